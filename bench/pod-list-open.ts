// P1 and P2: the Pod List of a 5,000-pod Deployment, from clicking its tab to the rows on screen
// (browser mode in Debian's Chromium, the real composition root), against `kubectl get pods -o json`
// for the same Deployment (P1) and against a raw HTTPS fetch + JSON.parse of the same pages (P2).
// Alternating runs after one warm-up of each; medians with min/max.
// Beside the ratios: the time to the first row on screen (its own row, goal under a second), and
// memory with the list open (main's heap after a full GC and its RSS, the renderer's JS heap after
// a full GC), for the 1k/5k/20k scaling runs (`npm run bench -- scaling`); rows carry the size
// ("P1 @ 5k").
// Run: node bench/pod-list-open.ts   (BENCH_RUNS=5, BENCH_PODS=5000 change the sizes)

import { execFile } from 'node:child_process';
import { request } from 'node:https';
import { benchResult, mainMemory, median, mib, sizeLabel, spread } from './bench-result.ts';
import { openPodListTimed, startKubeBenchApp } from './kube-app.ts';

const PODS = Number(process.env.BENCH_PODS ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const DEPLOYMENT = 'big';

const SIZE = sizeLabel(PODS);

const bench = await startKubeBenchApp(DEPLOYMENT, PODS);
const { kube, app } = bench;
try {
  const kubeconfig = kube.kubeconfigPath('developer');
  const token = 'developer-token';

  /** `kubectl get pods -o json` for the Deployment's pods, in kubectl's default 500-pod chunks. */
  const kubectl = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      execFile('kubectl', ['--kubeconfig', kubeconfig, 'get', 'pods', '-n', 'default', '-l', `app=${DEPLOYMENT}`, '-o', 'json'], { maxBuffer: 512 * 2 ** 20 }, (error, stdout) => {
        if (error) return reject(error);
        const count = (JSON.parse(stdout) as { items: unknown[] }).items.length;
        if (count !== PODS) return reject(new Error(`kubectl listed ${count} pods`));
        resolve(performance.now() - started);
      });
    });

  /** The same pages fetched raw and parsed: what a list costs before any app work. */
  const raw = async (): Promise<number> => {
    const started = performance.now();
    let next = '';
    let count = 0;
    do {
      const body = await new Promise<string>((resolve, reject) => {
        const url = new URL(`/api/v1/namespaces/default/pods?labelSelector=${encodeURIComponent(`app=${DEPLOYMENT}`)}&limit=500${next ? `&continue=${encodeURIComponent(next)}` : ''}`, kube.url);
        const req = request(url, { ca: kube.caPem, headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        });
        req.on('error', reject);
        req.end();
      });
      const page = JSON.parse(body) as { items: unknown[]; metadata?: { continue?: string } };
      count += page.items.length;
      next = page.metadata?.continue ?? '';
    } while (next);
    if (count !== PODS) throw new Error(`the raw fetch listed ${count} pods`);
    return performance.now() - started;
  };

  const firstRowMs: number[] = [];
  const mainHeaps: number[] = [];
  const mainRss: number[] = [];
  const rendererHeap: number[] = [];
  const cdp = await app.page.context().newCDPSession(app.page);
  const renderHeap = async (): Promise<number> => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };

  /** Opens the modal, then times a click on the Pod List tab until every pod is counted and rows show. */
  const openPodList = async (): Promise<number> => {
    const { modal, timed } = await openPodListTimed(bench, DEPLOYMENT, PODS);
    firstRowMs.push(timed.firstRowMs);
    const ms = timed.shownMs;
    // main runs in this process (browser mode; the API server does not)
    const main = mainMemory();
    mainHeaps.push(main.heap);
    mainRss.push(main.rss);
    rendererHeap.push(await renderHeap());
    await modal.close();
    return ms;
  };

  await openPodList();
  await kubectl();
  await raw();
  const appMs: number[] = [];
  const kubectlMs: number[] = [];
  const rawMs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    appMs.push(await openPodList());
    kubectlMs.push(await kubectl());
    rawMs.push(await raw());
  }
  const p1 = median(appMs) / median(kubectlMs);
  const p2 = median(appMs) / median(rawMs);
  process.stdout.write(
    [
      `Pod List of a ${PODS}-pod Deployment, ${RUNS} alternating runs (medians, min–max):`,
      `  app, tab click → ${PODS} counted and rows shown: ${spread(appMs)}`,
      `  kubectl get pods -l app=${DEPLOYMENT} -o json:          ${spread(kubectlMs)}`,
      `  raw HTTPS fetch + JSON.parse, 500-pod pages:   ${spread(rawMs)}`,
      `  app, tab click → first row shown:             ${spread(firstRowMs.slice(1))}`,
      `  memory with the list open (medians): main heap ${mib(median(mainHeaps.slice(1)))}, main RSS ${mib(median(mainRss.slice(1)))}, renderer JS heap ${mib(median(rendererHeap.slice(1)))}`,
      '',
    ].join('\n'),
  );
  // the warm-up open is left out of the first-row and memory figures, as of the times
  const scaling = {
    size: PODS,
    of: 'pods',
    ms: median(appMs),
    firstRowMs: median(firstRowMs.slice(1)),
    mainHeap: median(mainHeaps.slice(1)),
    mainRss: median(mainRss.slice(1)),
    rendererHeap: median(rendererHeap.slice(1)),
  } as const;
  const memory = `main heap ${mib(scaling.mainHeap)}, main RSS ${mib(scaling.mainRss)}, renderer heap ${mib(scaling.rendererHeap)}`;
  benchResult({
    row: `P1 @ ${SIZE}`,
    what: `Pod List of a ${PODS}-pod Deployment, open → rows rendered, vs kubectl get pods -o json`,
    ratio: p1,
    goal: 0.25,
    note: `app ${scaling.ms.toFixed(0)} ms, kubectl ${median(kubectlMs).toFixed(0)} ms; first row ${scaling.firstRowMs.toFixed(0)} ms; ${memory}`,
    scaling,
  });
  benchResult({ row: `P2 @ ${SIZE}`, what: `the same vs raw HTTPS fetch + JSON.parse of the same pages`, ratio: p2, goal: 2.0, note: `raw ${median(rawMs).toFixed(0)} ms` });
  // issue 13: "20,000 pods must stay usable: first rows in under a second"
  benchResult({ row: `P1 @ ${SIZE} first row`, what: `Pod List of ${PODS} pods: tab click → first row on screen`, ratio: scaling.firstRowMs, goal: 1000, unit: 'ms', note: memory });
} finally {
  await bench.close();
}
