import { KubeConfig } from '@kubernetes/client-node';
import type Docker from 'dockerode';

/** No single API or engine request may hang longer than this (a half-open link never fails by itself). */
export const defaultRequestDeadlineMs = 20_000;

/**
 * A KubeConfig whose every generated-API request (list, get, patch, …) carries a deadline.
 * client-node sets no timeout of its own; it asks the KubeConfig to authenticate each request,
 * which is the one hook every call passes, so the deadline is attached there. Watches, logs
 * and health checks build their own requests and keep their own timing.
 */
export class DeadlineKubeConfig extends KubeConfig {
  readonly requestDeadlineMs: number;

  constructor(requestDeadlineMs = defaultRequestDeadlineMs) {
    super();
    this.requestDeadlineMs = requestDeadlineMs;
  }

  override async applySecurityAuthentication(context: Parameters<KubeConfig['applySecurityAuthentication']>[0]): Promise<void> {
    await super.applySecurityAuthentication(context);
    if (context.getSignal() === undefined) context.setSignal(AbortSignal.timeout(this.requestDeadlineMs));
  }
}

interface DialOptions {
  path?: string;
  abortSignal?: AbortSignal;
  options?: Record<string, unknown>;
}
type DialCallback = (error: Error | null, result?: unknown) => void;
interface Dialer {
  dial(options: DialOptions, callback: DialCallback): void;
}

const deadlined = new WeakSet<object>();

/**
 * Gives every dockerode request a deadline until its answer arrives (docker-modem has none):
 * a plain request must have its whole body by then, a stream (events, logs, stats) its headers;
 * after that a stream is the caller's to watch. Stopping or restarting with a grace period
 * `t` gets that much longer. The error says which engine request timed out.
 */
export function withRequestDeadlines(docker: Docker, deadlineMs = defaultRequestDeadlineMs): Docker {
  const modem = docker.modem as unknown as Dialer;
  if (deadlined.has(modem)) return docker;
  deadlined.add(modem);
  const dial = modem.dial.bind(modem);
  modem.dial = (options, callback) => {
    const grace = Number(options.options?.t);
    const ms = deadlineMs + (Number.isFinite(grace) && grace > 0 ? grace * 1000 : 0);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), ms);
    const signal = options.abortSignal ? AbortSignal.any([options.abortSignal, deadline.signal]) : deadline.signal;
    dial({ ...options, abortSignal: signal }, (error, result) => {
      clearTimeout(timer);
      if (error && deadline.signal.aborted && !options.abortSignal?.aborted) {
        const what = (options.path ?? '').split('?')[0];
        callback(Object.assign(new Error(`The engine did not answer ${what} within ${Math.round(ms / 1000)} s: the link may be silent.`), { code: 'ETIMEDOUT' }));
        return;
      }
      callback(error, result);
    });
  };
  return docker;
}
