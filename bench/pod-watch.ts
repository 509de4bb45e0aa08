// How soon does the Pod List show a pod status change? Times, on the Kubernetes test API server,
// a pod phase change until PodWatch hands the row to its subscriber, as medians of alternating
// runs, next to the batch window it waits on purpose, and how long a burst of status changes
// (BENCH_BURST, default 1,000, over the Deployment's pods) takes until every one is in the table.
// This used to be a "within 1 s" assert in the integration tests; latency lives here.
// P3 compares the burst with what it replaces: a fresh list of the same Deployment (a new
// PodWatch from start until its table holds every pod). Bursts and re-lists alternate
// (BENCH_BURSTS of each, medians), each after the table has been quiet for a moment and the
// server answers a ping at once: right after serving a 5,000-pod list it can be busy for another
// 150 ms (most likely collecting garbage), and a burst sent then waited that long before the server even read it.
//
// The API server runs in a process of its own (kube-server-process.ts), so this process holds
// only main's code (PodWatch, client-node) and the bench's subscriber: the server's work of
// applying a burst (store, ReplicaSet controller, kubelet) and of serving the list is not
// charged to the app. Two measures per window: wall time (the burst from the command to the
// server until every change is in the table; the re-list from start until every pod is) and the
// CPU time of this process in that window (process.cpuUsage, user + system, all its threads).
// Run: node bench/pod-watch.ts (BENCH_RUNS=20 BENCH_REPLICAS=5000 BENCH_BURSTS=3)

import { KubeConfig } from '@kubernetes/client-node';
import type { PodRow } from '../electron/main/operations/kubernetes/pod-rows.ts';
import { PodWatch } from '../electron/main/operations/kubernetes/pod-watch.ts';
import { benchResult, median } from './bench-result.ts';
import { podStatusText, startKubeServerProcess } from './kube-server-process.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const BATCH_MS = 16; // PodWatch's default: about one display frame
const REPLICAS = Number(process.env.BENCH_REPLICAS ?? 5000);
const BURST = Number(process.env.BENCH_BURST ?? 1000);
const BURSTS = Number(process.env.BENCH_BURSTS ?? process.env.BENCH_RELISTS ?? 3);
const service = { namespace: 'default', deployment: 'web' };

/** This process's CPU time (user + system, ms) since `from`. */
const cpuMs = (from: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1000;
};

interface Window {
  readonly wallMs: number;
  readonly cpuMs: number;
}

const kube = await startKubeServerProcess({ nodes: Math.ceil(REPLICAS / 100) + 1, deployments: [{ name: service.deployment, replicas: REPLICAS }] });
try {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(kube.kubeconfigYaml('developer'));
  const watch = new PodWatch({ kubeConfig, service, batchMs: BATCH_MS });
  const phases = new Map<string, string>();
  const shown = new Map<string, string>();
  let batches = 0;
  let lastBatchAt = performance.now();
  let changed: ((rows: readonly PodRow[]) => void) | null = null;
  watch.subscribe({
    onChanges: (changes) => {
      batches += 1;
      lastBatchAt = performance.now();
      for (const row of changes.upserted) {
        phases.set(row.name, row.phase);
        shown.set(row.name, podStatusText(row));
      }
      changed?.(changes.upserted);
    },
  });
  const until = async (check: () => boolean, what: string, timeoutMs = 120_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  /** Before a measured window: no batch for a while (a replacement pod started, a deletion finished), and a server with nothing left to do. */
  const quiet = async (): Promise<void> => {
    await until(() => performance.now() - lastBatchAt > 1_000, 'a quiet table');
    await kube.idle();
  };
  watch.start();
  await until(() => phases.size >= REPLICAS && watch.state().kind === 'live', 'live table');

  const target = [...phases.keys()][0] ?? '';
  const samples: number[] = [];
  for (let run = 0; run <= RUNS; run += 1) {
    const phase = run % 2 === 0 ? 'Failed' : 'Running';
    const reflected = new Promise<void>((resolve) => {
      changed = () => {
        if (phases.get(target) === phase) resolve();
      };
    });
    const started = performance.now();
    await kube.command({ op: 'setPodPhase', namespace: service.namespace, pod: target, phase });
    await reflected;
    if (run > 0) samples.push(performance.now() - started); // the first is a warm-up
  }
  changed = null;

  /** BURST changes sent to the server at once, until the table shows the last of each pod. */
  const burst = async (): Promise<Window & { appliedMs: number; batches: number }> => {
    await quiet();
    const batchesBefore = batches;
    let waiting: Map<string, string> | null = null;
    let finished: () => void = () => {};
    const done = new Promise<void>((resolve) => (finished = resolve));
    const settle = (rows: readonly PodRow[]): void => {
      if (waiting === null) return;
      for (const row of rows) if (waiting.get(row.name) === podStatusText(row)) waiting.delete(row.name);
      if (waiting.size === 0) finished();
    };
    changed = settle;
    const cpu = process.cpuUsage();
    const started = performance.now();
    const answer = await kube.command({ op: 'burst', namespace: service.namespace, deployment: service.deployment, changes: BURST });
    const appliedMs = performance.now() - started;
    // the server's final status of each pod changed; some may be in the table already
    waiting = new Map(Object.entries(answer.statuses ?? {}).filter(([name, status]) => shown.get(name) !== status));
    settle([]);
    await done;
    const window = { wallMs: performance.now() - started, cpuMs: cpuMs(cpu), appliedMs, batches: batches - batchesBefore };
    changed = null;
    return window;
  };

  /** What a re-list costs: a fresh PodWatch of the same Deployment until its table holds every pod the live one does. */
  const relist = async (): Promise<Window> => {
    await quiet();
    const expected = watch.rows().length;
    const cpu = process.cpuUsage();
    const started = performance.now();
    const fresh = new PodWatch({ kubeConfig, service, batchMs: BATCH_MS });
    let rows = 0;
    let full: () => void = () => {};
    const done = new Promise<void>((resolve) => (full = resolve));
    fresh.subscribe({
      onChanges: (changes) => {
        rows += changes.upserted.length;
        if (rows >= expected) full();
      },
    });
    fresh.start();
    await done;
    const window = { wallMs: performance.now() - started, cpuMs: cpuMs(cpu) };
    await fresh.stop();
    return window;
  };

  const bursts: Awaited<ReturnType<typeof burst>>[] = [];
  const relists: Window[] = [];
  for (let run = 0; run < BURSTS; run++) {
    bursts.push(await burst());
    relists.push(await relist());
  }
  await watch.stop();

  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const burstWall = median(bursts.map((window) => window.wallMs));
  const burstCpu = median(bursts.map((window) => window.cpuMs));
  const relistWall = median(relists.map((window) => window.wallMs));
  const relistCpu = median(relists.map((window) => window.cpuMs));
  // how long after the server's answer (its last change applied) the table held every change
  const lag = median(bursts.map((window) => window.wallMs - window.appliedMs));
  const list = (values: readonly number[]): string => values.map((value) => value.toFixed(0)).join(', ');
  process.stdout.write(
    [
      `pod status change → Pod List row, ${RUNS} runs: median ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, max ${at(1).toFixed(1)} ms`,
      `ratio median / batch window (${BATCH_MS} ms): ${(at(0.5) / BATCH_MS).toFixed(2)}x`,
      `${BURST} status changes over ${REPLICAS} pods → all in the table, ${BURSTS} bursts: wall ${list(bursts.map((window) => window.wallMs))} ms (median ${burstWall.toFixed(0)}), app CPU ${list(bursts.map((window) => window.cpuMs))} ms (median ${burstCpu.toFixed(0)}); server applied them in ${list(bursts.map((window) => window.appliedMs))} ms (the table had them all ${lag.toFixed(0)} ms after, median); ${list(bursts.map((window) => window.batches))} batches`,
      `a fresh list of the ${REPLICAS} pods into a new table, ${BURSTS} runs: wall ${list(relists.map((window) => window.wallMs))} ms (median ${relistWall.toFixed(0)}), app CPU ${list(relists.map((window) => window.cpuMs))} ms (median ${relistCpu.toFixed(0)})`,
      `ratio burst / re-list: wall ${(burstWall / relistWall).toFixed(2)}x, app CPU ${(burstCpu / relistCpu).toFixed(2)}x`,
      '',
    ].join('\n'),
  );
  benchResult({
    row: 'P3',
    what: `${BURST} pod status changes reflected in the table vs a fresh ${REPLICAS}-pod re-list (wall; server in its own process)`,
    ratio: burstWall / relistWall,
    goal: 0.1,
    note: `burst ${burstWall.toFixed(0)} ms, re-list ${relistWall.toFixed(0)} ms wall (the table ${lag.toFixed(0)} ms behind the server's last change); main's CPU ${burstCpu.toFixed(0)} vs ${relistCpu.toFixed(0)} ms (${(burstCpu / relistCpu).toFixed(2)}×); medians of ${BURSTS}; main's table (the renderer applies each batch per frame)`,
  });
} finally {
  await kube.close();
}
