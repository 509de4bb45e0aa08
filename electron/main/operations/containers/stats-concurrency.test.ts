import { Agent } from 'node:http';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { ContainerStatsSampler, localStatsConcurrency, remoteStatsConcurrency, statsConcurrencyFor } from './container-stats.ts';
import type { EngineConnection } from './engine.ts';

// Docker answers a primed stats request only on its one-second tick, so how many requests are in
// flight at once decides how long a list of many containers waits for its numbers.
const payload = { read: '2026-12-05T10:00:01.5Z', cpu_stats: { cpu_usage: { total_usage: 2e9 }, system_cpu_usage: 4e10, online_cpus: 2 }, memory_stats: { usage: 1024, limit: 4096 } };

/** A real dockerode client whose stats calls are held until the test releases them. */
function heldEngine(docker: Docker): { engine: EngineConnection; inFlight: () => number; maxInFlight: () => number; releaseAll: () => void } {
  let inFlight = 0;
  let maxInFlight = 0;
  const waiting: (() => void)[] = [];
  docker.getContainer = (id: string) =>
    ({
      id,
      stats: () =>
        new Promise((resolve) => {
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          waiting.push(() => {
            inFlight -= 1;
            resolve(payload);
          });
        }),
    }) as unknown as Docker.Container;
  const releaseAll = (): void => {
    for (const release of waiting.splice(0)) release();
  };
  return { engine: { docker, kind: 'docker', identity: 'docker@test' }, inFlight: () => inFlight, maxInFlight: () => maxInFlight, releaseAll };
}

async function sampleReleasingEachRound(held: ReturnType<typeof heldEngine>, sampler: ContainerStatsSampler, ids: string[]) {
  const done = sampler.sample(ids);
  let settled = false;
  void done.then(() => (settled = true));
  while (!settled) {
    await new Promise((resolve) => setImmediate(resolve));
    held.releaseAll();
  }
  return done;
}

describe('how many stats requests go out at once', () => {
  const ids = Array.from({ length: 50 }, (_, index) => `c${index}`);

  it('sends every container of a local engine socket at once', async () => {
    const held = heldEngine(new Docker({ socketPath: '/run/kiops-test/docker.sock' }));
    expect(statsConcurrencyFor(held.engine)).toBe(localStatsConcurrency);
    const samples = await sampleReleasingEachRound(held, new ContainerStatsSampler(held.engine), ids);
    expect(held.maxInFlight()).toBe(50);
    expect(samples.map((sample) => sample.containerId)).toEqual(ids);
    expect(samples.every((sample) => sample.memory?.usageBytes === 1024 && sample.problem === undefined)).toBe(true);
  });

  it('keeps an SSH-forwarded engine (no socket path, an agent) to a bounded few', async () => {
    const held = heldEngine(new Docker({ protocol: 'http', host: 'remote-engine.invalid', port: 80, agent: new Agent() } as Docker.DockerOptions));
    expect(statsConcurrencyFor(held.engine)).toBe(remoteStatsConcurrency);
    const samples = await sampleReleasingEachRound(held, new ContainerStatsSampler(held.engine), ids);
    expect(held.maxInFlight()).toBe(remoteStatsConcurrency);
    expect(samples.map((sample) => sample.containerId)).toEqual(ids);
  });

  it('still honours an explicit cap', async () => {
    const held = heldEngine(new Docker({ socketPath: '/run/kiops-test/docker.sock' }));
    await sampleReleasingEachRound(held, new ContainerStatsSampler(held.engine, { concurrency: 3 }), ids);
    expect(held.maxInFlight()).toBe(3);
  });
});
