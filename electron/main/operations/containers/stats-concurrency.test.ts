import { Agent } from 'node:http';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { engineConcurrencyFor, forwardedEngineConcurrency, localEngineConcurrency, remoteEngineConcurrency } from './bounded-parallel.ts';
import { ContainerListRefresher } from './container-refresh.ts';
import { ContainerRowReader } from './container-rows.ts';
import { ContainerStatsSampler } from './container-stats.ts';
import type { EngineConnection } from './engine.ts';

// Docker answers a primed stats request only on its one-second tick, so how many requests are in
// flight at once decides how long a list of many containers waits for its numbers.
const payload = { read: '2026-12-05T10:00:01.5Z', cpu_stats: { cpu_usage: { total_usage: 2e9 }, system_cpu_usage: 4e10, online_cpus: 2 }, memory_stats: { usage: 1024, limit: 4096 } };

/** A real dockerode client whose stats and inspect calls are held until the test releases them. */
function heldEngine(docker: Docker, containers: readonly string[] = []) {
  const inFlight = { stats: 0, inspect: 0 };
  const maxInFlight = { stats: 0, inspect: 0 };
  const waiting: (() => void)[] = [];
  const held =
    <T>(kind: keyof typeof inFlight, answer: T) =>
    () =>
      new Promise<T>((resolve) => {
        inFlight[kind] += 1;
        maxInFlight[kind] = Math.max(maxInFlight[kind], inFlight[kind]);
        waiting.push(() => {
          inFlight[kind] -= 1;
          resolve(answer);
        });
      });
  docker.getContainer = (id: string) =>
    ({
      id,
      stats: held('stats', payload),
      inspect: held('inspect', { Id: id, State: { Status: 'running', StartedAt: '2026-12-05T09:00:00Z' } }),
    }) as unknown as Docker.Container;
  docker.listContainers = (() =>
    Promise.resolve(containers.map((id) => ({ Id: id, Names: [`/${id}`], Image: 'busybox', State: 'running', Status: 'Up 1 minute', Created: 1_780_000_000, Labels: { 'com.docker.compose.project': 'shop' }, Ports: [] })))) as unknown as Docker['listContainers'];
  const releaseAll = (): void => {
    for (const release of waiting.splice(0)) release();
  };
  const engine: EngineConnection = { docker, kind: 'docker', identity: 'docker@test' };
  return { engine, inFlight: () => ({ ...inFlight }), maxInFlight: () => maxInFlight.stats, maxInspects: () => maxInFlight.inspect, releaseAll };
}

/** Settles `work`, releasing whatever it holds on each turn. */
async function releasingEachRound<T>(held: ReturnType<typeof heldEngine>, work: Promise<T>): Promise<T> {
  let settled = false;
  void work.then(() => (settled = true));
  while (!settled) {
    await new Promise((resolve) => setImmediate(resolve));
    held.releaseAll();
  }
  return work;
}

function sampleReleasingEachRound(held: ReturnType<typeof heldEngine>, sampler: ContainerStatsSampler, ids: string[]) {
  return releasingEachRound(held, sampler.sample(ids));
}

describe('how many stats and inspect requests go out at once', () => {
  const ids = Array.from({ length: 50 }, (_, index) => `c${index}`);

  it('sends every container of a local engine socket at once', async () => {
    const held = heldEngine(new Docker({ socketPath: '/run/kiops-test/docker.sock' }));
    expect(engineConcurrencyFor(held.engine)).toBe(localEngineConcurrency);
    const samples = await sampleReleasingEachRound(held, new ContainerStatsSampler(held.engine), ids);
    expect(held.maxInFlight()).toBe(50);
    expect(samples.map((sample) => sample.containerId)).toEqual(ids);
    expect(samples.every((sample) => sample.memory?.usageBytes === 1024 && sample.problem === undefined)).toBe(true);
  });

  it('keeps an SSH-forwarded engine (no socket path, an agent) to a bounded few', async () => {
    const held = heldEngine(new Docker({ protocol: 'http', host: 'remote-engine.invalid', port: 80, agent: new Agent() } as Docker.DockerOptions));
    expect(engineConcurrencyFor(held.engine)).toBe(remoteEngineConcurrency);
    const samples = await sampleReleasingEachRound(held, new ContainerStatsSampler(held.engine), ids);
    expect(held.maxInFlight()).toBe(remoteEngineConcurrency);
    expect(samples.map((sample) => sample.containerId)).toEqual(ids);
  });

  it('still honours an explicit cap', async () => {
    const held = heldEngine(new Docker({ socketPath: '/run/kiops-test/docker.sock' }));
    await sampleReleasingEachRound(held, new ContainerStatsSampler(held.engine, { concurrency: 3 }), ids);
    expect(held.maxInFlight()).toBe(3);
  });

  it('inspects every container of a local engine socket at once, and an SSH-forwarded engine a bounded few', async () => {
    const local = heldEngine(new Docker({ socketPath: '/run/kiops-test/docker.sock' }), ids);
    const rows = await releasingEachRound(local, new ContainerRowReader(local.engine).rows(await local.engine.docker.listContainers()));
    expect(local.maxInspects()).toBe(50);
    expect(rows.map((row) => row.startedAt)).toEqual(ids.map(() => '2026-12-05T09:00:00Z'));
    const remote = heldEngine(new Docker({ protocol: 'http', host: 'remote-engine.invalid', port: 80, agent: new Agent() } as Docker.DockerOptions), ids);
    await releasingEachRound(remote, new ContainerRowReader(remote.engine).rows(await remote.engine.docker.listContainers()));
    expect(remote.maxInspects()).toBe(remoteEngineConcurrency);
  });

  it('a refresh asks for the stats of running containers beside their inspects, and still sends the rows first', async () => {
    const held = heldEngine(new Docker({ socketPath: '/run/kiops-test/docker.sock' }), ids);
    const updates: string[] = [];
    const refresher = new ContainerListRefresher({ engine: held.engine, selector: { kind: 'compose', project: 'shop' }, onUpdate: (update) => updates.push(update.kind) });
    const refreshed = refresher.refresh('manual');
    for (let turn = 0; turn < 100 && held.inFlight().inspect < ids.length; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(held.inFlight()).toEqual({ inspect: 50, stats: 50 });
    await releasingEachRound(held, refreshed);
    expect(updates).toEqual(['rows', 'stats']);
    refresher.stop();
  });

  it('an SSH-forwarded engine reached by streamlocal channels gets more at once than one reached by dial-stdio sessions, decided per round', async () => {
    // the SSH agent learns how it reaches the engine from its first request
    const agent = Object.assign(new Agent(), { transport: undefined as string | undefined });
    const held = heldEngine(new Docker({ protocol: 'http', host: 'remote-engine.invalid', port: 80, agent } as Docker.DockerOptions));
    const many = Array.from({ length: 100 }, (_, index) => `c${index}`);
    const sampler = new ContainerStatsSampler(held.engine);
    expect(engineConcurrencyFor(held.engine)).toBe(remoteEngineConcurrency);
    agent.transport = 'dial-stdio';
    await sampleReleasingEachRound(held, sampler, many);
    expect(held.maxInFlight()).toBe(remoteEngineConcurrency);
    agent.transport = 'streamlocal';
    await sampleReleasingEachRound(held, sampler, many);
    expect(held.maxInFlight()).toBe(forwardedEngineConcurrency);
  });
});
