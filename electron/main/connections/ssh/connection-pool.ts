import { AppError } from '../../../../shared/errors.ts';
import { SshConnection, type SshConnectionOptions } from './ssh-connection.ts';
import type { SshTarget } from './ssh-errors.ts';
import { hostPortOf } from './ssh-errors.ts';
import { execOnHost, type RemoteExecOptions, type RemoteExecResult } from './remote-exec.ts';
import { startSocksProxy, type SocksProxy } from './socks-proxy.ts';

export function poolKey(target: SshTarget, jumps: readonly SshTarget[] = []): string {
  return [target, ...[...jumps].reverse()].map((hop) => `${hop.username}@${hostPortOf(hop)}`).join(' via ');
}

/**
 * One SSH connection per host+port+user for the whole app: Kubernetes (SOCKS), Docker
 * (streamlocal channels) and host commands share it as channels. Closing the pool closes
 * every connection and every SOCKS listener it started.
 */
export class SshConnectionPool {
  private readonly connections = new Map<string, SshConnection>();
  private readonly proxies = new Map<string, Promise<SocksProxy>>();
  private closed = false;
  private readonly defaults: Partial<SshConnectionOptions>;

  constructor(defaults: Partial<Omit<SshConnectionOptions, 'target' | 'identity'>> = {}) {
    this.defaults = defaults;
  }

  /** The pooled connection for `options.target`; options of an existing entry are kept. */
  connection(options: SshConnectionOptions): SshConnection {
    this.assertOpen();
    const key = poolKey(options.target, options.jumps);
    let connection = this.connections.get(key);
    if (!connection || connection.state === 'closed') {
      connection = new SshConnection({ ...this.defaults, ...options });
      this.connections.set(key, connection);
    }
    return connection;
  }

  has(target: SshTarget, jumps: readonly SshTarget[] = []): boolean {
    return this.connections.has(poolKey(target, jumps));
  }

  /** Drops one host's connection and its SOCKS listener, e.g. after the user edits the environment. */
  async release(target: SshTarget, jumps: readonly SshTarget[] = []): Promise<void> {
    const key = poolKey(target, jumps);
    const proxy = this.proxies.get(key);
    this.proxies.delete(key);
    const connection = this.connections.get(key);
    this.connections.delete(key);
    await Promise.allSettled([proxy?.then((p) => p.close()), connection?.close()]);
  }

  async exec(options: SshConnectionOptions, argv: readonly string[], limits: Omit<RemoteExecOptions, 'hostLabel'>): Promise<RemoteExecResult> {
    const connection = this.connection(options);
    const client = await connection.ready();
    return execOnHost(client, argv, { ...limits, hostLabel: hostPortOf(options.target) });
  }

  /** The host's SOCKS5 listener on 127.0.0.1, started once and reused. */
  socksProxy(options: SshConnectionOptions): Promise<SocksProxy> {
    this.assertOpen();
    const key = poolKey(options.target, options.jumps);
    let proxy = this.proxies.get(key);
    if (!proxy) {
      const connection = this.connection(options);
      proxy = startSocksProxy(connection);
      proxy.catch(() => this.proxies.delete(key));
      this.proxies.set(key, proxy);
    }
    return proxy;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const proxies = [...this.proxies.values()];
    const connections = [...this.connections.values()];
    this.proxies.clear();
    this.connections.clear();
    await Promise.allSettled(proxies.map((p) => p.then((proxy) => proxy.close())));
    await Promise.allSettled(connections.map((c) => c.close()));
  }

  private assertOpen(): void {
    if (this.closed) throw closedPoolError();
  }
}

function closedPoolError(): AppError {
  return new AppError('CANCELLED', 'The SSH connections were closed because the app is shutting down.', undefined, { key: 'connections.ssh.poolClosed' });
}
