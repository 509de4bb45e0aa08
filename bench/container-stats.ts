// Container statistics for 50 containers: the app's stats refresh against `docker stats --no-stream`.
// Starts the private test dockerd (scripts/testenv), runs 50 labelled busybox containers, then
// alternates, per run: the docker CLI; the app opening a Container List (list + rows + first stats
// sample, which Docker primes on its one-second tick); the app refreshing an open list (what the
// 30 s auto-refresh and the Refresh button do). Prints medians with min/max and the ratios, and
// main's memory with the list open (the refresher runs in this process, as in main): heap after a
// full GC and RSS, for the 50/200 scaling runs (`npm run bench -- scaling`; rows say "P7 @ 50").
// Run: node bench/container-stats.ts   (BENCH_RUNS=7, BENCH_CONTAINERS=50 change the sizes)

import { execFile } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import Docker from 'dockerode';
import { ContainerListRefresher, type ContainerListUpdate } from '../electron/main/operations/containers/container-refresh.ts';
import type { EngineConnection } from '../electron/main/operations/containers/engine.ts';
import { startTestEnvironment } from '../scripts/testenv/index.ts';
import type { CommandLine } from '../scripts/testenv/description.ts';
import { benchResult, mainMemory, mib, sizeLabel } from './bench-result.ts';

const CONTAINERS = Number(process.env.BENCH_CONTAINERS ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const PROJECT = `kiops-bench-stats-${process.pid}`;
// BENCH_CONCURRENCY=4 reproduces the old sampler (4 requests at a time) for a before/after.
const CONCURRENCY = process.env.BENCH_CONCURRENCY === undefined ? {} : { concurrency: Number(process.env.BENCH_CONCURRENCY) };

const run = (cli: CommandLine, args: readonly string[]): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile(cli.command, [...cli.args, ...args], { env: { ...process.env, ...cli.env }, maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${args.join(' ')}: ${stderr.trim() || error.message}`));
      else resolve(stdout);
    });
  });

const environment = await startTestEnvironment({ pieces: ['docker'] });
const docker = environment.description.docker;
if (docker.status !== 'ready') {
  await environment.stop();
  throw new Error(`the test dockerd did not start: ${JSON.stringify(docker)}`);
}
const client = new Docker({ socketPath: docker.socketPath });
const engine: EngineConnection = { docker: client, kind: 'docker', identity: 'docker@bench' };
const names = Array.from({ length: CONTAINERS }, (_, index) => `${PROJECT}-${index}`);
let cleaning: Promise<void> | undefined;
/** Removes the containers and stops the private dockerd; once, whether the run ends, fails or is interrupted. */
const cleanUp = (): Promise<void> =>
  (cleaning ??= (async () => {
    await Promise.all(names.map((name) => client.getContainer(name).remove({ force: true }).catch(() => undefined)));
    await environment.stop();
  })());
// Ctrl-C during a 200-container run would otherwise leave the dockerd and its containers running
// until a later test environment sweeps them.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)));

try {
  const seedStart = performance.now();
  // Settled, not Promise.all: on a failed create the others still finish before the removal below,
  // so none is created after it ran (the test dockerd kills what is left when it stops anyway).
  const seeded = await Promise.allSettled(
    names.map(async (name) => {
      const container = await client.createContainer({
        name,
        Image: docker.images.latest.reference,
        Cmd: ['sleep', '3600'],
        Labels: { 'com.docker.compose.project': PROJECT, 'com.docker.compose.service': 'load', 'kiops.bench': PROJECT },
        StopSignal: 'SIGKILL',
        HostConfig: { NetworkMode: 'none' },
      });
      await container.start();
    }),
  );
  const seedFailures = seeded.flatMap((result) => (result.status === 'rejected' ? [result.reason instanceof Error ? result.reason.message : String(result.reason)] : []));
  if (seedFailures.length > 0) throw new Error(`${seedFailures.length} of ${CONTAINERS} containers did not start; first: ${seedFailures[0]}`);
  const seedMs = performance.now() - seedStart;

  /** `docker stats --no-stream` for our containers, by name; checks every row came back. */
  const cliStats = async (): Promise<number> => {
    const start = performance.now();
    const out = await run(docker.cli, ['stats', '--no-stream', '--format', '{{.Name}} {{.CPUPerc}} {{.MemUsage}}', ...names]);
    const ms = performance.now() - start;
    const rows = out.trim().split('\n').filter((line) => line.startsWith(PROJECT));
    if (rows.length !== CONTAINERS) throw new Error(`docker stats printed ${rows.length} of ${CONTAINERS} rows`);
    return ms;
  };

  /** Resolves with the next stats update that has a sample for every container. */
  const nextStats = (updates: ContainerListUpdate[], from: number): Promise<Extract<ContainerListUpdate, { kind: 'stats' }>> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const found = updates.slice(from).find((update): update is Extract<ContainerListUpdate, { kind: 'stats' }> => update.kind === 'stats');
        if (found !== undefined) {
          const complete = found.samples.filter((sample) => sample.problem === undefined && sample.memory !== null).length;
          if (complete === CONTAINERS) resolve(found);
          else reject(new Error(`stats update had ${complete} complete samples of ${CONTAINERS}`));
          return;
        }
        const problem = updates.slice(from).find((update) => update.kind === 'problem');
        if (problem !== undefined) reject(new Error(JSON.stringify(problem)));
        else setImmediate(check);
      };
      check();
    });

  const open = (): { refresher: ContainerListRefresher; updates: ContainerListUpdate[] } => {
    const updates: ContainerListUpdate[] = [];
    const refresher = new ContainerListRefresher({ engine, selector: { kind: 'compose', project: PROJECT }, onUpdate: (update) => updates.push(update), autoRefresh: false, ...CONCURRENCY });
    return { refresher, updates };
  };

  /** Opening a Container List: list, rows and the first (primed) stats for every container. */
  const appFirstOpen = async (): Promise<number> => {
    const { refresher, updates } = open();
    const start = performance.now();
    void refresher.start();
    const stats = await nextStats(updates, 0);
    const ms = performance.now() - start;
    refresher.stop();
    if (stats.samples.some((sample) => sample.cpuPercent === null)) throw new Error('first open left a CPU figure empty');
    return ms;
  };

  // One list stays open for the refresh runs, as on screen.
  const shown = open();
  void shown.refresher.start();
  await nextStats(shown.updates, 0);
  /** Refreshing an open list (Refresh button / auto-refresh): list, rows and stats again. */
  const appRefresh = async (): Promise<number> => {
    const from = shown.updates.length;
    const start = performance.now();
    const done = shown.refresher.refresh('manual');
    await nextStats(shown.updates, from);
    const ms = performance.now() - start;
    await done;
    return ms;
  };

  // Warm-up of each path, then alternating runs.
  await cliStats();
  await appFirstOpen();
  await appRefresh();
  const times = { cli: [] as number[], first: [] as number[], refresh: [] as number[] };
  for (let index = 0; index < RUNS; index += 1) {
    times.cli.push(await cliStats());
    times.first.push(await appFirstOpen());
    times.refresh.push(await appRefresh());
  }
  // with one list open, as on screen
  const memory = mainMemory();
  shown.refresher.stop();

  const median = (values: number[]): number => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  };
  const line = (label: string, values: number[]): string =>
    `| ${label} | ${Math.round(median(values))} ms | ${Math.round(Math.min(...values))}–${Math.round(Math.max(...values))} ms |`;
  console.log(`${CONTAINERS} running busybox containers, sampler concurrency ${CONCURRENCY.concurrency ?? 'default'}`);
  console.log(`${CONTAINERS} running busybox containers on dockerd ${docker.engineVersion} (seeded in ${Math.round(seedMs)} ms), ${RUNS} alternating runs`);
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((value) => value.toFixed(2)).join(' ')} at the end`);
  console.log('| what | median | min–max |');
  console.log('| --- | ---: | ---: |');
  console.log(line(`\`docker stats --no-stream\` (the ${CONTAINERS} names)`, times.cli));
  console.log(line('app: open the Container List (list, rows, first stats)', times.first));
  console.log(line('app: refresh an open list (list, rows, stats)', times.refresh));
  console.log(`ratio app/docker CLI: first open ${(median(times.first) / median(times.cli)).toFixed(2)}×, refresh ${(median(times.refresh) / median(times.cli)).toFixed(2)}×`);
  console.log(`main's memory with the list open: heap ${mib(memory.heap)} (after a full GC), RSS ${mib(memory.rss)}`);
  benchResult({
    row: `P7 @ ${sizeLabel(CONTAINERS)}`,
    what: `stats refresh for ${CONTAINERS} containers vs docker stats --no-stream`,
    ratio: median(times.refresh) / median(times.cli),
    goal: 1,
    note: `refresh ${Math.round(median(times.refresh))} ms, docker stats ${Math.round(median(times.cli))} ms; first open ${Math.round(median(times.first))} ms (${(median(times.first) / median(times.cli)).toFixed(2)}×); main heap ${mib(memory.heap)}, main RSS ${mib(memory.rss)}`,
    scaling: { size: CONTAINERS, of: 'containers', ms: median(times.refresh), mainHeap: memory.heap, mainRss: memory.rss },
  });
} finally {
  await cleanUp();
}
