import { connect as connectTcp } from 'node:net';
import type { Duplex } from 'node:stream';
import { Client, type ConnectConfig } from 'ssh2';
import { AppError } from '../../../../shared/errors.ts';
import { checkHostKey, type HostKeyStore, type PinnedHostKey, type UnknownHostKeyPolicy } from './host-keys.ts';
import { checkPrivateKey, type IdentitySource, type SshIdentity } from './identity.ts';
import { describeSshError, hostPortOf, targetLabel, type SshTarget } from './ssh-errors.ts';

/** Injected so reconnect backoff can be driven by tests without waiting. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export type SshConnectionState = 'idle' | 'connecting' | 'ready' | 'reconnecting' | 'failed' | 'closed';

export interface SshConnectionOptions {
  readonly target: SshTarget;
  /**
   * ProxyJump hops in order (the first is dialled directly), each reached through the previous
   * one's `direct-tcpip` channel; no system ssh. Every hop's host key is checked like the target's.
   */
  readonly jumps?: readonly SshTarget[];
  readonly identity: IdentitySource;
  readonly hostKeys: HostKeyStore;
  /** Default `{ kind: 'ask' }`: an unpinned host fails with HOST_KEY_UNKNOWN and its fingerprint. */
  readonly unknownHostKey?: UnknownHostKeyPolicy;
  /** Called when a host key is pinned for the first time (trust on first use / confirmed). */
  readonly onHostKeyPinned?: (key: PinnedHostKey) => void;
  /** Called when a host key is refused (changed, or not confirmed), so the refusal is audited. */
  readonly onHostKeyRefused?: (error: unknown) => void;
  readonly keepaliveIntervalMs?: number;
  readonly keepaliveCountMax?: number;
  readonly readyTimeoutMs?: number;
  /** Default 1 s doubling to 10 s. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  readonly timers?: Timers;
  /** Probe the host every second while reconnecting and reconnect at once when it answers. Default true. */
  readonly probeWhileReconnecting?: boolean;
}

export interface SshConnectionStatus {
  readonly state: SshConnectionState;
  readonly error?: AppError;
  /** Delay before the next reconnect attempt, while reconnecting. */
  readonly retryInMs?: number;
}

type Waiter = { resolve: (client: Client) => void; reject: (error: AppError) => void };

/** Errors where trying again later can help; auth and host key problems need the user. */
function isRetryable(error: AppError): boolean {
  return error.code === 'UNREACHABLE' || error.code === 'UNAVAILABLE' || error.code === 'TIMEOUT';
}

/**
 * One persistent SSH client to one host. Keepalives detect a dead link; when an established
 * link drops, it reconnects with exponential backoff and callers of `ready()` wait for the
 * next attempt. A first connection that fails is reported as is (the UI offers a retry).
 */
export class SshConnection {
  readonly target: SshTarget;
  private readonly options: SshConnectionOptions;
  private readonly timers: Timers;
  private client: Client | undefined;
  /** The jump hops' clients under the current client, ended with it. */
  private hops: Client[] = [];
  private status: SshConnectionStatus = { state: 'idle' };
  private attempt: Promise<Client> | undefined;
  private waiters: Waiter[] = [];
  private retryTimer: unknown;
  private failures = 0;
  private pinned: PinnedHostKey | undefined;
  private readonly listeners = new Set<(status: SshConnectionStatus) => void>();

  constructor(options: SshConnectionOptions) {
    this.options = options;
    this.target = options.target;
    this.timers = options.timers ?? realTimers;
  }

  get state(): SshConnectionState {
    return this.status.state;
  }

  get currentStatus(): SshConnectionStatus {
    return this.status;
  }

  get hostKey(): PinnedHostKey | undefined {
    return this.pinned;
  }

  onStatus(listener: (status: SshConnectionStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The connected client, connecting first if needed. */
  ready(): Promise<Client> {
    const { state } = this.status;
    if (state === 'closed') return Promise.reject(this.closedError());
    if (state === 'ready' && this.client) return Promise.resolve(this.client);
    if (state === 'reconnecting') return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
    return (this.attempt ??= this.connect().finally(() => (this.attempt = undefined)));
  }

  async close(): Promise<void> {
    if (this.status.state === 'closed') return;
    this.timers.clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    this.setStatus({ state: 'closed' });
    this.rejectWaiters(this.closedError());
    if (client) {
      await new Promise<void>((resolve) => {
        client.once('close', () => resolve());
        client.end();
        setTimeout(resolve, 2_000).unref();
      });
    }
    this.endHops();
  }

  private endHops(): void {
    const hops = this.hops;
    this.hops = [];
    for (const hop of hops.reverse()) hop.end();
  }

  private async connect(): Promise<Client> {
    this.setStatus({ state: this.failures > 0 ? 'reconnecting' : 'connecting' });
    try {
      const client = await this.connectOnce();
      if (this.status.state === 'closed') {
        client.end();
        throw this.closedError();
      }
      this.client = client;
      this.failures = 0;
      this.setStatus({ state: 'ready' });
      client.on('close', () => this.onDropped(client));
      return client;
    } catch (error) {
      const appError = describeSshError(error, this.target);
      if (this.status.state !== 'closed') this.setStatus({ state: 'failed', error: appError });
      throw appError;
    }
  }

  private onDropped(client: Client): void {
    if (this.client !== client || this.status.state === 'closed') return;
    this.client = undefined;
    this.endHops();
    this.scheduleReconnect(new AppError('UNAVAILABLE', `The SSH connection to ${targetLabel(this.target)} was lost; reconnecting.`, undefined, { key: 'connections.ssh.connectionLost', params: { host: targetLabel(this.target) } }));
  }

  private scheduleReconnect(error: AppError): void {
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 1_000, maxMs: 10_000 };
    const delay = Math.min(maxMs, initialMs * 2 ** this.failures);
    this.failures += 1;
    this.setStatus({ state: 'reconnecting', error, retryInMs: delay });
    let fired = false;
    const fire = (): void => {
      if (fired || this.status.state === 'closed') return;
      fired = true;
      this.timers.clearTimeout(this.retryTimer);
      this.connect().then(
        (client) => this.resolveWaiters(client),
        (failure: AppError) => {
          if (this.status.state === 'closed') return;
          this.rejectWaiters(failure);
          if (isRetryable(failure)) this.scheduleReconnect(failure);
        },
      );
    };
    this.retryTimer = this.timers.setTimeout(fire, delay);
    if (this.options.probeWhileReconnecting !== false) this.probeWhileWaiting(fire, () => !fired && this.status.state === 'reconnecting');
  }

  /**
   * While waiting to reconnect, asks every second whether the host speaks SSH again (its
   * banner arrives): then the next attempt starts at once instead of at the end of the backoff.
   * A frozen link accepts the TCP connection but sends no banner, so it does not count.
   */
  private probeWhileWaiting(fire: () => void, isWaiting: () => boolean): void {
    const probe = (): void => {
      if (!isWaiting()) return;
      const first = this.options.jumps?.[0] ?? this.target;
      const socket = connectTcp({ host: first.host, port: first.port });
      let done = false;
      const finish = (answered: boolean): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        socket.destroy();
        if (!isWaiting()) return;
        if (answered) fire();
        else setTimeout(probe, 1_000).unref();
      };
      const timer = setTimeout(() => finish(false), 1_500);
      socket.once('data', (chunk: Buffer) => finish(chunk.toString('latin1').startsWith('SSH-')));
      socket.once('error', () => finish(false));
      socket.once('close', () => finish(false));
    };
    setTimeout(probe, 1_000).unref();
  }

  /** Connects hop by hop: each jump's `direct-tcpip` channel is the next hop's socket. */
  private async connectOnce(): Promise<Client> {
    const identity = await this.options.identity();
    checkPrivateKey(identity, this.target);
    const hops: Client[] = [];
    let sock: Duplex | undefined;
    try {
      for (const jump of this.options.jumps ?? []) {
        const hop = await this.handshake(jump, identity, sock);
        hops.push(hop);
        sock = await forward(hop, this.options.jumps?.[hops.length] ?? this.target);
      }
      const client = await this.handshake(this.target, identity, sock);
      this.endHops();
      this.hops = hops;
      // a hop that drops takes the target's channel with it: the client closes and reconnects
      for (const hop of hops) hop.once('close', () => client.end());
      return client;
    } catch (error) {
      for (const hop of hops.reverse()) hop.end();
      throw error;
    }
  }

  private handshake(target: SshTarget, identity: SshIdentity, sock: Duplex | undefined): Promise<Client> {
    const hostPort = hostPortOf(target);
    const policy = this.options.unknownHostKey ?? { kind: 'ask' };
    const isTarget = target === this.target;
    let hostKeyError: unknown;
    const config: ConnectConfig = {
      host: target.host,
      port: target.port,
      username: target.username,
      ...(sock === undefined ? {} : { sock }),
      // 4 s × 2 unanswered: a silent (half-open) link is declared dead within ~12 s, inside the 15 s the operator waits.
      keepaliveInterval: this.options.keepaliveIntervalMs ?? 4_000,
      keepaliveCountMax: this.options.keepaliveCountMax ?? 2,
      readyTimeout: this.options.readyTimeoutMs ?? 20_000,
      tryKeyboard: false,
      hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
        checkHostKey(this.options.hostKeys, hostPort, key, policy).then(
          ({ pinned, newlyPinned }) => {
            if (isTarget) this.pinned = pinned;
            if (newlyPinned) this.options.onHostKeyPinned?.(pinned);
            verify(true);
          },
          (error: unknown) => {
            hostKeyError = error;
            this.options.onHostKeyRefused?.(error);
            verify(false);
          },
        );
      },
      ...(identity.kind === 'agent' ? { agent: identity.socketPath } : { privateKey: identity.privateKey, passphrase: identity.passphrase }),
    };
    return new Promise<Client>((resolve, reject) => {
      const client = new Client();
      let settled = false;
      client.once('ready', () => {
        settled = true;
        resolve(client);
      });
      client.on('error', (error) => {
        if (settled) return;
        settled = true;
        client.end();
        reject(hostKeyError ?? describeSshError(error, target));
      });
      client.once('close', () => {
        if (settled) return;
        settled = true;
        reject(hostKeyError ?? new AppError('UNREACHABLE', `Cannot reach ${targetLabel(target)}: the server closed the connection during the handshake.`, undefined, { key: 'connections.ssh.handshakeClosed', params: { host: targetLabel(target) } }));
      });
      client.connect(config);
    });
  }

  private resolveWaiters(client: Client): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.resolve(client);
  }

  private rejectWaiters(error: AppError): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }

  private closedError(): AppError {
    return new AppError('CANCELLED', `The SSH connection to ${targetLabel(this.target)} was closed by the app.`, undefined, { key: 'connections.ssh.closedByApp', params: { host: targetLabel(this.target) } });
  }

  private setStatus(status: SshConnectionStatus): void {
    this.status = status;
    for (const listener of this.listeners) listener(status);
  }
}

/** A `direct-tcpip` channel from `hop` to the next host, as the hop itself resolves and reaches it. */
function forward(hop: Client, next: SshTarget): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    hop.forwardOut('127.0.0.1', 0, next.host, next.port, (error, channel) => {
      if (error) reject(new AppError('UNREACHABLE', `The jump host could not reach ${targetLabel(next)}: ${error.message}.`, { host: next.host, port: next.port, reason: 'proxy-jump' }, { key: 'connections.ssh.jumpUnreachable', params: { host: targetLabel(next), detail: error.message } }));
      else resolve(channel);
    });
  });
}
