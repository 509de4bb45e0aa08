import { IsomorphicFetchHttpLibrary, KubeConfig, wrapHttpLibrary, type HttpLibrary, type RequestContext, type ResponseContext } from '@kubernetes/client-node';
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
  private readonly onUnauthorized: (() => void) | undefined;

  /** `onUnauthorized`: drops cached tokens (exec plugin, OIDC) so the next authentication fetches fresh ones. */
  constructor(requestDeadlineMs = defaultRequestDeadlineMs, options: { onUnauthorized?: () => void } = {}) {
    super();
    this.requestDeadlineMs = requestDeadlineMs;
    this.onUnauthorized = options.onUnauthorized;
  }

  override async applySecurityAuthentication(context: Parameters<KubeConfig['applySecurityAuthentication']>[0]): Promise<void> {
    await super.applySecurityAuthentication(context);
    if (context.getSignal() === undefined) context.setSignal(AbortSignal.timeout(this.requestDeadlineMs));
  }

  /** The server refused the credentials: the next request authenticates with fresh ones. */
  credentialsRejected(): void {
    this.onUnauthorized?.();
  }

  /**
   * client-node's API client, whose requests are retried once on 401 with fresh credentials: a
   * token revoked or rotated before its stated expiry (signing key rotation, a clock ahead of
   * ours) costs one request, not a failed list.
   */
  override makeApiClient<T>(apiClientType: new (configuration: never) => T): T {
    let configuration: Record<string, unknown> = {};
    super.makeApiClient(
      class {
        constructor(built: Record<string, unknown>) {
          configuration = built;
        }
      } as never,
    );
    return new apiClientType({ ...configuration, httpApi: retryOnceOnUnauthorized(new IsomorphicFetchHttpLibrary(), this) } as never);
  }
}

function retryOnceOnUnauthorized(inner: HttpLibrary, kubeConfig: DeadlineKubeConfig): HttpLibrary {
  return wrapHttpLibrary({
    async send(request: RequestContext): Promise<ResponseContext> {
      const first = await inner.send(request).toPromise();
      if (first.httpStatusCode !== 401) return first;
      await first.body.text().catch(() => '');
      kubeConfig.credentialsRejected();
      await kubeConfig.applySecurityAuthentication(request);
      return inner.send(request).toPromise();
    },
  });
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
