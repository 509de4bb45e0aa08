// How soon does the Pod List show a pod status change? Times, on the Kubernetes test API server,
// a pod phase change until PodWatch hands the row to its subscriber, as medians of alternating
// runs, next to the batch window it waits on purpose. This used to be a "within 1 s" assert in
// the integration tests; latency lives here. Run: node bench/pod-watch.ts (BENCH_RUNS=20)

import { KubeConfig } from '@kubernetes/client-node';
import { PodWatch } from '../electron/main/operations/kubernetes/pod-watch.ts';
import { startKubeTestServer } from '../tests/kube-server/index.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const BATCH_MS = 75;

const kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20 } });
try {
  kube.applyDeployment({ name: 'web', replicas: 3 });
  await kube.waitFor(() => kube.podsOf('default', 'web').filter((pod) => pod.status?.phase === 'Running').length === 3, 30_000, 'web running');
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(kube.kubeconfigYaml('developer'));
  const watch = new PodWatch({ kubeConfig, service: { namespace: 'default', deployment: 'web' }, batchMs: BATCH_MS });
  const phases = new Map<string, string>();
  let changed: (() => void) | null = null;
  watch.subscribe({
    onChanges: (changes) => {
      for (const row of changes.upserted) phases.set(row.name, row.phase);
      changed?.();
    },
    onState: () => {},
  });
  watch.start();
  await kube.waitFor(() => phases.size === 3 && watch.state().kind === 'live', 30_000, 'live table');

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
  await watch.stop();
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  process.stdout.write(
    [
      `pod status change → Pod List row, ${RUNS} runs: median ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, max ${at(1).toFixed(1)} ms`,
      `ratio median / batch window (${BATCH_MS} ms): ${(at(0.5) / BATCH_MS).toFixed(2)}x`,
      '',
    ].join('\n'),
  );
} finally {
  await kube.close();
}
