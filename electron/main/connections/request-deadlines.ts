import { IsomorphicFetchHttpLibrary, KubeConfig, wrapHttpLibrary, type Cluster, type HttpLibrary, type RequestContext, type ResponseContext } from '@kubernetes/client-node';
import type Docker from 'dockerode';
import type { AgentOptions } from 'node:https';
import { AppError } from '../../../shared/errors.ts';
import type { EnvironmentConnections } from './api-server-connections.ts';

/** No single API or engine request may hang longer than this (a half-open link never fails by itself). */
export const defaultRequestDeadlineMs = 20_000;

interface DispatcherFactory {
  createDispatcher(cluster: Cluster | null, agentOptions: AgentOptions): unknown;
}

/**
 * A KubeConfig whose every generated-API request (list, get, patch, …) carries a deadline.
 * client-node sets no timeout of its own; it asks the KubeConfig to authenticate each request,
 * which is the one hook every call passes, so the deadline is attached there. Watches, logs
 * and health checks build their own requests and keep their own timing.
 *
 * Given an environment's `connections`, every request (watches and probes too) goes over that
 * environment's keep-alive pool instead of the new undici Agent, and so the new TLS handshake,
 * client-node 2.x builds for each request in its private `createDispatcher`.
 */
export class DeadlineKubeConfig extends KubeConfig {
  readonly requestDeadlineMs: number;
  private readonly onUnauthorized: (() => void) | undefined;
  private readonly connections: EnvironmentConnections | undefined;
  private readonly http = new IsomorphicFetchHttpLibrary();

  /** `onUnauthorized`: drops cached tokens (exec plugin, OIDC) so the next authentication fetches fresh ones. */
  constructor(requestDeadlineMs = defaultRequestDeadlineMs, options: { onUnauthorized?: () => void; connections?: EnvironmentConnections } = {}) {
    super();
    this.requestDeadlineMs = requestDeadlineMs;
    this.onUnauthorized = options.onUnauthorized;
    this.connections = options.connections;
    const connections = options.connections;
    if (connections === undefined) return;
    const factory = this as unknown as DispatcherFactory;
    if (typeof factory.createDispatcher !== 'function') throw new Error('client-node no longer builds its connections in KubeConfig.createDispatcher: connection reuse (electron/main/connections/README.md) needs a new hook.');
    factory.createDispatcher = (cluster, agentOptions) => connections.pool(cluster?.server ?? '', this.createDispatcherOptions(cluster, agentOptions));
  }

  /** Whether requests share the environment's connections (else each gets its own, as in plain client-node). */
  get sharesConnections(): boolean {
    return this.connections !== undefined;
  }

  override async applySecurityAuthentication(context: Parameters<KubeConfig['applySecurityAuthentication']>[0]): Promise<void> {
    await super.applySecurityAuthentication(context);
    if (context.getSignal() === undefined) context.setSignal(AbortSignal.timeout(this.requestDeadlineMs));
  }

  /** The server refused the credentials: the next request authenticates with fresh ones. */
  credentialsRejected(): void {
    this.onUnauthorized?.();
  }

  /** A request over `pool` found the link dead or silent: the environment's next requests dial anew. */
  linkFailed(pool?: unknown): void {
    this.connections?.linkFailed(pool);
  }

  /**
   * Sends an authenticated request. A reused connection the server, a NAT or a load balancer
   * dropped while it was idle fails on first use (ECONNRESET, EPIPE): a read is sent once more on
   * a new connection, a write never, since the server may have acted on it. A request past its
   * deadline retires its connections, so a half-open link is not used again.
   */
  async send(request: RequestContext): Promise<ResponseContext> {
    for (let attempt = 1; ; attempt++) {
      const pool = request.getDispatcher();
      try {
        return await this.http.send(request).toPromise();
      } catch (error) {
        if (passedDeadline(request.getSignal())) this.linkFailed(pool);
        else if (attempt === 1 && safeToResend(request.getHttpMethod().toString(), error)) {
          this.linkFailed(pool);
          await this.applySecurityAuthentication(request);
          continue;
        }
        throw error;
      }
    }
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
    return new apiClientType({ ...configuration, httpApi: retryOnceOnUnauthorized(this) } as never);
  }
}

function retryOnceOnUnauthorized(kubeConfig: DeadlineKubeConfig): HttpLibrary {
  return wrapHttpLibrary({
    async send(request: RequestContext): Promise<ResponseContext> {
      const first = await kubeConfig.send(request);
      if (first.httpStatusCode !== 401) return first;
      await first.body.text().catch(() => '');
      kubeConfig.credentialsRejected();
      await kubeConfig.applySecurityAuthentication(request);
      return kubeConfig.send(request);
    },
  });
}

/** Socket failures of a connection that was open before the request: the link is gone, not the server's answer. */
const linkResetCodes = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
const readMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A read whose connection was reset, or any request refused by a pool retired before it was sent. */
export function safeToResend(method: string, error: unknown): boolean {
  const codes = errorCodes(error);
  // a pool retired (closed) between authentication and sending: nothing reached the server
  if (codes.includes('UND_ERR_CLOSED')) return true;
  return readMethods.has(method) && codes.some((code) => linkResetCodes.has(code));
}

/** The codes along an error's cause chain (undici's fetch wraps the socket's error in a TypeError). */
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
  }
  return codes;
}

/** Aborted by a deadline (the request's own, or a caller's such as the catalogue's per environment), not by a user. */
export function passedDeadline(signal: AbortSignal | undefined): boolean {
  if (signal?.aborted !== true) return false;
  const reason: unknown = signal.reason;
  return (reason instanceof DOMException && reason.name === 'TimeoutError') || (reason instanceof AppError && reason.code === 'TIMEOUT');
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
