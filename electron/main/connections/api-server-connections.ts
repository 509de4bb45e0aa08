import { createHash } from 'node:crypto';
import type { DispatcherOptions } from '@kubernetes/client-node';
import type { Dispatcher } from 'undici';
import { ApiServerPool } from './api-server-pool.ts';

/** What one environment's KubeConfig asks of the pools: the connections for its TLS identity, and a dead link reported. */
export interface EnvironmentConnections {
  /** The environment's pool for this server and TLS identity, opened on first use. */
  pool(server: string, options: DispatcherOptions): Dispatcher;
  /**
   * A request found the link dead (a reset on a reused socket) or passed its deadline: that pool
   * is retired, so the next request dials anew. Its requests in flight run on to their own end
   * (a half-open one to its deadline). Without `pool`, whichever pool is current is retired.
   */
  linkFailed(pool?: unknown): void;
}

/**
 * TLS identities kept per environment. An exec plugin that issues a new client certificate
 * makes a new identity while a watch built before still holds the old one; a third retires the
 * oldest (gracefully: its requests and watches finish).
 */
const identitiesPerEnvironment = 2;

/**
 * Keep-alive connections to Kubernetes API servers, one pool per environment and TLS identity,
 * shared by every client built for that environment: a catalogue read or an Operations Modal
 * opened again reuses the connections the last one opened, as kubectl's one connection does.
 *
 * Never shared: two environments never use one pool, even with the same kubeconfig, and within
 * an environment a new server, CA, client certificate or proxy is a new pool. A bearer token is
 * a header and does not change the identity. An edited or removed environment has its pools
 * destroyed (`release`), as has everything at shutdown (`close`).
 */
export class ApiServerConnections {
  private readonly byEnvironment = new Map<string, Map<string, Dispatcher>>();
  private readonly open: (options: DispatcherOptions) => Dispatcher;

  constructor(open: (options: DispatcherOptions) => Dispatcher = (options) => new ApiServerPool(options)) {
    this.open = open;
  }

  of(environmentId: string): EnvironmentConnections {
    return {
      pool: (server, options) => this.pool(environmentId, server, options),
      linkFailed: (pool) => this.retire(environmentId, pool),
    };
  }

  pool(environmentId: string, server: string, options: DispatcherOptions): Dispatcher {
    let pools = this.byEnvironment.get(environmentId);
    if (pools === undefined) {
      pools = new Map();
      this.byEnvironment.set(environmentId, pools);
    }
    const key = identityKey(server, options);
    let pool = pools.get(key);
    if (pool !== undefined) {
      // the most recently used identity goes last: the one retired when a third comes is the oldest in use
      pools.delete(key);
      pools.set(key, pool);
      return pool;
    }
    pool = this.open(options);
    pools.set(key, pool);
    for (const [oldKey, old] of pools) {
      if (pools.size <= identitiesPerEnvironment) break;
      pools.delete(oldKey);
      void old.close().catch(() => undefined);
    }
    return pool;
  }

  /** The link of `pool` (or the current one) failed: later requests of the environment get new connections. */
  retire(environmentId: string, pool?: unknown): void {
    const pools = this.byEnvironment.get(environmentId);
    if (pools === undefined) return;
    const current = pool === undefined ? [...pools.entries()].at(-1) : [...pools.entries()].find(([, candidate]) => candidate === pool);
    // A pool already retired by a request that failed alongside this one is not retired twice.
    if (current === undefined) return;
    pools.delete(current[0]);
    void current[1].close().catch(() => undefined);
  }

  /** The environment changed or went away: its connections are cut, watches included. */
  async release(environmentId: string): Promise<void> {
    const pools = this.byEnvironment.get(environmentId);
    this.byEnvironment.delete(environmentId);
    await Promise.all([...(pools?.values() ?? [])].map((pool) => pool.destroy().catch(() => undefined)));
  }

  /** The app stops: every connection is cut. */
  async close(): Promise<void> {
    await Promise.all([...this.byEnvironment.keys()].map((id) => this.release(id)));
  }

  /** How many pools an environment holds (its TLS identities in use). */
  poolsOf(environmentId: string): number {
    return this.byEnvironment.get(environmentId)?.size ?? 0;
  }
}

/**
 * The TLS identity of a pool: server, proxy and every TLS option (CA, client certificate and
 * key, verification, SNI). Hashed, so the key material is not held a second time as a map key.
 */
export function identityKey(server: string, options: DispatcherOptions): string {
  // Buffers (a CA or certificate read from a file) serialize as their bytes.
  return createHash('sha256').update(JSON.stringify([server, options])).digest('hex');
}
