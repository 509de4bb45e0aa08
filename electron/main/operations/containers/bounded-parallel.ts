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

/** Over SSH every request is a channel on the one shared connection: keep a few in flight. */
export const remoteEngineConcurrency = 8;
/**
 * On a local socket the engine serves requests side by side, and this only caps open sockets:
 * high enough for every container of any service to go at once. dockerd answers a stats request
 * on its collector's one-second tick, so requests sent in rounds cost a second per round (200
 * containers 64 at a time: 5 s a refresh, against 1.4 s all at once).
 */
export const localEngineConcurrency = 256;

/**
 * How many stats or inspect requests to send an engine at once. 50 containers sampled four at a
 * time took 13 s where `docker stats` asks for all at once. A local engine socket (dockerode's
 * `socketPath`) gets them all in parallel; an SSH-forwarded engine a bounded few.
 */
export function engineConcurrencyFor(engine: EngineConnection): number {
  const socketPath = (engine.docker.modem as { socketPath?: unknown } | undefined)?.socketPath;
  return typeof socketPath === 'string' && socketPath !== '' ? localEngineConcurrency : remoteEngineConcurrency;
}
