import type { SshHost } from '../../../shared/contract/connections.ts';
import type { HostKeyStore, UnknownHostKeyPolicy } from './ssh/host-keys.ts';
import type { IdentitySource } from './ssh/identity.ts';
import { SshConnectionPool } from './ssh/connection-pool.ts';
import type { SshConnection, SshConnectionOptions } from './ssh/ssh-connection.ts';

export interface IdentityResolver {
  identitySource(identityId: string): IdentitySource;
}

/**
 * One SshConnectionPool per SSH identity: a host reached with two different identities gets
 * two clients, so an environment never silently rides on a connection another identity
 * opened (a wrong key must fail as a wrong key). Within an identity, one client per host.
 */
export class SshPools {
  private readonly pools = new Map<string, SshConnectionPool>();
  private readonly identities: IdentityResolver;
  private readonly hostKeys: HostKeyStore;
  private readonly readyTimeoutMs: number;
  private readonly onHostKeyRefused: ((error: unknown) => void) | undefined;

  constructor(options: { identities: IdentityResolver; hostKeys: HostKeyStore; readyTimeoutMs?: number; onHostKeyRefused?: (error: unknown) => void }) {
    this.identities = options.identities;
    this.hostKeys = options.hostKeys;
    this.onHostKeyRefused = options.onHostKeyRefused;
    this.readyTimeoutMs = options.readyTimeoutMs ?? 15_000;
  }

  options(host: SshHost, unknownHostKey: UnknownHostKeyPolicy = { kind: 'ask' }): SshConnectionOptions {
    return {
      target: { host: host.host, port: host.port, username: host.username },
      ...(host.jumps === undefined ? {} : { jumps: host.jumps.map((hop) => ({ host: hop.host, port: hop.port, username: hop.username })) }),
      identity: this.identities.identitySource(host.identityId),
      hostKeys: this.hostKeys,
      unknownHostKey,
      readyTimeoutMs: this.readyTimeoutMs,
      ...(this.onHostKeyRefused === undefined ? {} : { onHostKeyRefused: this.onHostKeyRefused }),
    };
  }

  pool(identityId: string): SshConnectionPool {
    let pool = this.pools.get(identityId);
    if (!pool) {
      pool = new SshConnectionPool();
      this.pools.set(identityId, pool);
    }
    return pool;
  }

  connection(host: SshHost): SshConnection {
    return this.pool(host.identityId).connection(this.options(host));
  }

  /** Drops a host's client (after an edit), so the next use connects with the new settings. */
  async release(host: SshHost): Promise<void> {
    await this.pools.get(host.identityId)?.release({ host: host.host, port: host.port, username: host.username }, host.jumps ?? []);
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.allSettled(pools.map((pool) => pool.close()));
  }
}
