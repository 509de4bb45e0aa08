// How soon does the Pod List show a pod status change? Times, on the Kubernetes test API server,
// a pod phase change until PodWatch hands the row to its subscriber, as medians of alternating
// runs, next to the batch window it waits on purpose, and how long a burst of status changes
// (BENCH_BURST, default 1,000, over the Deployment's pods) takes until every one is in the table.
// This used to be a "within 1 s" assert in the integration tests; latency lives here.
// P3 compares the burst with what it replaces: a fresh list of the same Deployment (a new
// PodWatch from start until its table holds every pod), medians of BENCH_RELISTS.
// Run: node bench/pod-watch.ts (BENCH_RUNS=20 BENCH_REPLICAS=5000 BENCH_RELISTS=3)

import { KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { toPodRow } from '../electron/main/operations/kubernetes/pod-rows.ts';
import { PodWatch } from '../electron/main/operations/kubernetes/pod-watch.ts';
import { startKubeTestServer } from '../tests/kube-server/index.ts';
import { benchResult, median } from './bench-result.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const BATCH_MS = 16; // PodWatch's default: about one display frame
const REPLICAS = Number(process.env.BENCH_REPLICAS ?? 5000);
const RELISTS = Number(process.env.BENCH_RELISTS ?? 3);
const BURST = Number(process.env.BENCH_BURST ?? 1000);

/** What a status change changes in a row (the server's raw dates and the client's parsed ones print differently). */
const statusOf = (row: { phase: string; displayStatus: string; statusTone: string; ready: string }): string => `${row.phase} ${row.displayStatus} ${row.statusTone} ${row.ready}`;

const kube = await startKubeTestServer({ nodes: Math.ceil(REPLICAS / 100) + 1, timings: { kubeletStartDelayMs: 40, containerStopMs: 20 } });
try {
  kube.applyDeployment({ name: 'web', replicas: REPLICAS });
  await kube.waitFor(() => kube.podsOf('default', 'web').filter((pod) => pod.status?.phase === 'Running').length === REPLICAS, 120_000, 'web running');
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(kube.kubeconfigYaml('developer'));
  const watch = new PodWatch({ kubeConfig, service: { namespace: 'default', deployment: 'web' }, batchMs: BATCH_MS });
  const phases = new Map<string, string>();
  const shown = new Map<string, string>();
  let batches = 0;
  let changed: (() => void) | null = null;
  watch.subscribe({
    onChanges: (changes) => {
      batches += 1;
      for (const row of changes.upserted) {
        phases.set(row.name, row.phase);
        shown.set(row.name, statusOf(row));
      }
      changed?.();
    },
    onState: () => {},
  });
  watch.start();
  await kube.waitFor(() => phases.size === REPLICAS && watch.state().kind === 'live', 120_000, 'live table');

  const target = [...phases.keys()][0] ?? '';
  const samples: number[] = [];
  for (let run = 0; run <= RUNS; run += 1) {
    const phase = run % 2 === 0 ? 'Failed' : 'Running';
    const shown = new Promise<void>((resolve) => {
      changed = () => {
        if (phases.get(target) === phase) resolve();
      };
    });
    const started = performance.now();
    kube.setPodPhase('default', target, phase);
    await shown;
    if (run > 0) samples.push(performance.now() - started); // the first is a warm-up
  }
  // The burst: BURST changes as fast as the server takes them, then wait until the table shows the last of each pod.
  const names = kube.podsOf('default', 'web').filter((pod) => !pod.metadata.deletionTimestamp && pod.status?.phase === 'Running').map((pod) => pod.metadata.name ?? '');
  const batchesBefore = batches;
  const burstStarted = performance.now();
  for (let change = 0; change < BURST; change++) {
    const name = names[change % names.length] ?? '';
    kube.setPodPhase('default', name, change % 2 === 0 ? 'Pending' : 'Unknown', `Burst${change}`);
    if (change % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
  }
  // the server's final rows, read once: the kubelet no longer drives these pods
  const final = kube.podsOf('default', 'web').filter((pod) => names.includes(pod.metadata.name ?? '')).map((pod) => toPodRow(pod as V1Pod));
  await kube.waitFor(() => final.every((row) => shown.get(row.name) === statusOf(row)), 120_000, 'burst reflected');
  const burstMs = performance.now() - burstStarted;
  await watch.stop();

  /** What a re-list costs: a fresh PodWatch of the same Deployment until its table holds every pod. */
  const relist = async (): Promise<number> => {
    const started = performance.now();
    const fresh = new PodWatch({ kubeConfig, service: { namespace: 'default', deployment: 'web' }, batchMs: BATCH_MS });
    let rows = 0;
    let full: () => void = () => {};
    const done = new Promise<void>((resolve) => (full = resolve));
    fresh.subscribe({
      onChanges: (changes) => {
        rows += changes.upserted.length;
        if (rows >= REPLICAS) full();
      },
      onState: () => {},
    });
    fresh.start();
    await done;
    const ms = performance.now() - started;
    await fresh.stop();
    return ms;
  };
  const relists: number[] = [];
  for (let run = 0; run < RELISTS; run++) relists.push(await relist());
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  process.stdout.write(
    [
      `pod status change → Pod List row, ${RUNS} runs: median ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, max ${at(1).toFixed(1)} ms`,
      `ratio median / batch window (${BATCH_MS} ms): ${(at(0.5) / BATCH_MS).toFixed(2)}x`,
      `${BURST} status changes over ${REPLICAS} pods → all in the table: ${burstMs.toFixed(0)} ms, ${batches - batchesBefore} batches`,
      `a fresh list of the ${REPLICAS} pods into a new table: median ${median(relists).toFixed(0)} ms of ${RELISTS}`,
      '',
    ].join('\n'),
  );
  benchResult({ row: 'P3', what: `${BURST} pod status changes reflected in the table vs a fresh ${REPLICAS}-pod re-list`, ratio: burstMs / median(relists), goal: 0.1, note: `burst ${burstMs.toFixed(0)} ms, re-list ${median(relists).toFixed(0)} ms (main's table; the renderer applies each batch per frame)` });
} finally {
  await kube.close();
}
