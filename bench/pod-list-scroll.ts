// Does a 20,000-pod Pod List stay usable? Browser mode in Debian's Chromium (the real composition
// root) with a Deployment of BENCH_PODS pods: opens the Operations Modal, clicks the Pod List tab,
// waits until every pod is counted and rows show (first row timed from the click, on the page's
// clock), then scrolls the table's virtual list in the page, one step per animation frame: 600 px,
// with a jump of a quarter of the list every 20th frame (back to the top at the end), as
// bench/log-render.ts scrolls the Log Viewer. Each frame's time is the gap between two
// requestAnimationFrame timestamps. Before scrolling, idle frames give the display interval the
// goal is stated in (p95 ≤ 1.5× that interval: "scrolling at display rate").
// Each frame also checks that the rows really moved (the first visible row's `data-pod` changed)
// and counts the rows mounted into the DOM; 30 more frames scroll one row each, where only the
// entering row should mount (all of them would mean the list remounts its rows). Beside: DOM rows, main's heap and RSS, the renderer's
// JS heap with the list open. One warm-up open, then BENCH_RUNS opens; frames pooled.
// Run: node bench/pod-list-scroll.ts   (BENCH_PODS=20000, BENCH_RUNS=3, BENCH_FRAMES=120)

import { benchResult, mainMemory, median, mib, sizeLabel, spread } from './bench-result.ts';
import { openPodListTimed, startKubeBenchApp } from './kube-app.ts';
import { pct, scrollTable, type Scrolled } from './table-scroll.ts';

const PODS = Number(process.env.BENCH_PODS ?? 20000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FRAMES = Number(process.env.BENCH_FRAMES ?? 120);
const IDLE_FRAMES = 30;
const STEP_PX = 600;
const DEPLOYMENT = 'big';

const podTable = { tableTestId: 'pod-table', rowTestId: 'pod-row', keyAttribute: 'data-pod' };

const bench = await startKubeBenchApp(DEPLOYMENT, PODS);
const { app } = bench;
try {
  const cdp = await app.page.context().newCDPSession(app.page);
  const rendererHeap = async (): Promise<number> => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  const runs: { firstRowMs: number; shownMs: number; scrolled: Scrolled; mainHeap: number; mainRss: number; rendererHeap: number }[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const { modal, timed } = await openPodListTimed(bench, DEPLOYMENT, PODS);
    const scrolled = await scrollTable(app.page, podTable, FRAMES, IDLE_FRAMES, STEP_PX);
    // main runs in this process (browser mode; the API server does not)
    const main = mainMemory();
    const renderer = await rendererHeap();
    await modal.close();
    // the first open is a warm-up (connection, code paths); it is left out like pod-list-open's
    if (run > 0) runs.push({ ...timed, scrolled, mainHeap: main.heap, mainRss: main.rss, rendererHeap: renderer });
  }

  const frames = runs.flatMap((run) => run.scrolled.frames);
  const interval = median(runs.flatMap((run) => run.scrolled.idle));
  const p50 = pct(frames, 50);
  const p95 = pct(frames, 95);
  const max = Math.max(...frames);
  const over = frames.filter((ms) => ms > 2 * interval).length;
  const goal = Math.round(15 * interval) / 10;
  const mounted = runs.flatMap((run) => run.scrolled.mounted);
  const last = runs.at(-1)?.scrolled;
  if (last === undefined) throw new Error('BENCH_RUNS must be at least 1');
  const firstRowMs = median(runs.map((run) => run.firstRowMs));
  const memory = { mainHeap: median(runs.map((run) => run.mainHeap)), mainRss: median(runs.map((run) => run.mainRss)), rendererHeap: median(runs.map((run) => run.rendererHeap)) };
  const slowFrames = runs.flatMap((run) => run.scrolled.slowFrames);
  const slowMounted = runs.flatMap((run) => run.scrolled.slowMounted);
  process.stdout.write(
    [
      `Pod List of a ${PODS}-pod Deployment, ${RUNS} runs after one warm-up, ${FRAMES} scroll frames each (${STEP_PX} px, every 20th a quarter of the list):`,
      `  tab click → first row shown:            ${spread(runs.map((run) => run.firstRowMs))}`,
      `  tab click → ${PODS} counted and rows shown: ${spread(runs.map((run) => run.shownMs))}`,
      `  display interval (idle frames, median):  ${interval.toFixed(1)} ms`,
      `  scroll frame p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${max.toFixed(1)} ms; ${over} of ${frames.length} frames over 2× the interval`,
      `  rows moved in ${runs.map((run) => run.scrolled.moved).join('/')} of ${FRAMES} frames; frames that began blank: ${runs.map((run) => run.scrolled.blank).join('/')}; distinct first rows ${last.distinct}`,
      `  rows mounted per frame: median ${median(mounted)}, max ${Math.max(...mounted)} (the view holds ~${Math.ceil(last.viewHeight / last.rowHeight)} rows of ${last.rowHeight.toFixed(1)} px)`,
      `  one row per frame: frame p50 ${pct(slowFrames, 50).toFixed(1)} ms, p95 ${pct(slowFrames, 95).toFixed(1)} ms; rows mounted per frame median ${median(slowMounted)}, max ${Math.max(...slowMounted)} (1: only the entering row)`,
      `  DOM: ${last.rowsInDom} pod rows, ${last.elementsInTable} elements in the table; list ${last.scrollHeight} px tall, view ${last.viewHeight} px`,
      `  memory with the list open (medians): main heap ${mib(memory.mainHeap)}, main RSS ${mib(memory.mainRss)}, renderer JS heap ${mib(memory.rendererHeap)}`,
      '',
    ].join('\n'),
  );
  benchResult({
    row: `P1 @ ${sizeLabel(PODS)} scroll`,
    what: `Pod List of ${PODS} pods: scroll frame p95 vs 1.5× the display interval`,
    ratio: p95,
    goal,
    unit: 'ms',
    note:
      `display interval ${interval.toFixed(1)} ms (idle frames; goal 1.5× it); p50 ${p50.toFixed(1)}, max ${max.toFixed(1)} ms, ${over}/${frames.length} frames over 2×; ` +
      `first row ${firstRowMs.toFixed(0)} ms; ${last.rowsInDom} rows in the DOM, ${median(mounted)} mounted per frame (one row per frame: p95 ${pct(slowFrames, 95).toFixed(1)} ms, ${median(slowMounted)} mounted); main heap ${mib(memory.mainHeap)}, main RSS ${mib(memory.mainRss)}, renderer heap ${mib(memory.rendererHeap)}`,
    scaling: { size: PODS, of: 'pods', ms: p95, firstRowMs, ...memory },
  });
} finally {
  await bench.close();
}
