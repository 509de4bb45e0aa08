import type { EngineConnection } from './engine.ts';

/**
 * Maps `items` through `work` with at most `limit` calls in flight, keeping input order.
 * An engine answers each stats or inspect request with real work (cgroup reads, a runtime
 * call for Podman), so a service with many containers must not fire them all at once.
 */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T, index);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, () => worker());
  await Promise.all(workers);
  return results;
}

/**
 * Over SSH through `docker|podman system dial-stdio` every request is an exec session: OpenSSH
 * allows 10 per connection (MaxSessions), and each starts the engine CLI on the host.
 */
export const remoteEngineConcurrency = 8;
/**
 * Over SSH through `direct-streamlocal` forwarding every request is a channel to the engine
 * socket: no session limit applies, and a channel costs the host nothing but a socket.
 */
export const forwardedEngineConcurrency = 64;
/**
 * On a local socket the engine serves requests side by side, and this only caps open sockets:
 * high enough for every container of any service to go at once. dockerd answers a stats request
 * on its collector's one-second tick, so requests sent in rounds cost a second per round (200
 * containers 64 at a time: 5 s a refresh, against 1.4 s all at once).
 */
export const localEngineConcurrency = 256;

/**
 * How many stats or inspect requests to send an engine at once, asked before each round of them:
 * how an SSH-forwarded engine is reached is known only after its first request. 50 containers
 * sampled four at a time took 13 s where `docker stats` asks for all at once.
 */
export function engineConcurrencyFor(engine: EngineConnection): number {
  const modem = engine.docker.modem as { socketPath?: unknown; agent?: { transport?: unknown } } | undefined;
  if (typeof modem?.socketPath === 'string' && modem.socketPath !== '') return localEngineConcurrency;
  return modem?.agent?.transport === 'streamlocal' ? forwardedEngineConcurrency : remoteEngineConcurrency;
}
