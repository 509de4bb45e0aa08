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
import type { Page } from 'playwright-core';

const PODS = Number(process.env.BENCH_PODS ?? 20000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FRAMES = Number(process.env.BENCH_FRAMES ?? 120);
const IDLE_FRAMES = 30;
const STEP_PX = 600;
const DEPLOYMENT = 'big';

interface Scrolled {
  /** Gaps between rAF timestamps with nothing to do: the display interval. */
  idle: number[];
  /** Gaps between rAF timestamps while scrolling, one per frame. */
  frames: number[];
  /** Frames after which the first visible row was another pod. */
  moved: number;
  /** Frames that began with no row at the top of the view (the list had not caught up). */
  blank: number;
  /** Rows mounted into the DOM, per frame. */
  mounted: number[];
  /** Frames scrolled by one row each, and the rows mounted in each. */
  slowFrames: number[];
  slowMounted: number[];
  rowHeight: number;
  /** Distinct pods seen first in view. */
  distinct: number;
  rowsInDom: number;
  elementsInTable: number;
  scrollHeight: number;
  viewHeight: number;
}

// Runs in the page; kept as source text because the bench is type-checked without the DOM.
const scrollInPage = `async ({ frames, idleFrames, step }) => {
  const table = document.querySelector('[data-testid="pod-table"]');
  const firstRow = table && table.querySelector('[data-testid="pod-row"]');
  if (!firstRow) return { error: 'no pod row in the table' };
  // naive-ui's virtual list (vueuc's .v-vl) is the nearest ancestor of a row that scrolls
  let scroller = firstRow.parentElement;
  while (scroller && scroller !== table) {
    const overflow = getComputedStyle(scroller).overflowY;
    if ((overflow === 'auto' || overflow === 'scroll') && scroller.scrollHeight > scroller.clientHeight) break;
    scroller = scroller.parentElement;
  }
  if (!scroller || scroller === table) return { error: 'no scrolling element between the rows and the table' };
  const firstVisible = () => {
    const top = scroller.getBoundingClientRect().top;
    for (const row of scroller.querySelectorAll('[data-testid="pod-row"]')) {
      const box = row.getBoundingClientRect();
      if (box.bottom > top + 1 && box.height > 0) return box.top <= top + 1 ? row.getAttribute('data-pod') : 'blank';
    }
    return 'blank';
  };
  let mountedNow = 0;
  const isRow = (node) => node.nodeType === 1 && (node.matches('[data-testid="pod-row"]') ? 1 : node.querySelectorAll('[data-testid="pod-row"]').length);
  const observer = new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) mountedNow += isRow(node) || 0;
  });
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame((t) => resolve(t)));
  const idle = [];
  let last = await nextFrame();
  for (let i = 0; i < idleFrames; i++) {
    const now = await nextFrame();
    idle.push(now - last);
    last = now;
  }
  scroller.scrollTop = 0;
  await nextFrame();
  await nextFrame();
  observer.observe(scroller, { childList: true, subtree: true });
  const times = [];
  const mounted = [];
  const seen = new Set();
  let moved = 0;
  let blank = 0;
  let shown = firstVisible();
  last = await nextFrame();
  for (let i = 0; i < frames; i++) {
    const max = scroller.scrollHeight - scroller.clientHeight;
    if (scroller.scrollTop >= max - 1) scroller.scrollTop = 0;
    else scroller.scrollTop += i % 20 === 19 ? Math.max(step, Math.floor(max / 4)) : step;
    mountedNow = 0;
    const now = await nextFrame();
    // the MutationObserver's records of this frame's render were delivered before this callback
    mounted.push(mountedNow);
    times.push(now - last);
    last = now;
    const first = firstVisible();
    if (first === 'blank') blank++;
    else if (first !== shown) moved++;
    if (first !== 'blank') seen.add(first);
    shown = first;
  }
  // then one row per frame: only the entering row should mount; all of them would mean remounting
  const rowHeight = firstRow.getBoundingClientRect().height || 30;
  const slowFrames = [];
  const slowMounted = [];
  scroller.scrollTop = 0;
  await nextFrame();
  last = await nextFrame();
  for (let i = 0; i < 30; i++) {
    scroller.scrollTop += rowHeight;
    mountedNow = 0;
    const now = await nextFrame();
    slowMounted.push(mountedNow);
    slowFrames.push(now - last);
    last = now;
  }
  observer.disconnect();
  return {
    slowFrames,
    slowMounted,
    rowHeight,
    idle,
    frames: times,
    moved,
    blank,
    mounted,
    distinct: seen.size,
    rowsInDom: document.querySelectorAll('[data-testid="pod-row"]').length,
    elementsInTable: table.getElementsByTagName('*').length,
    scrollHeight: scroller.scrollHeight,
    viewHeight: scroller.clientHeight,
  };
}`;

async function scroll(page: Page): Promise<Scrolled> {
  const result = (await page.evaluate(`(${scrollInPage})(${JSON.stringify({ frames: FRAMES, idleFrames: IDLE_FRAMES, step: STEP_PX })})`)) as Scrolled | { error: string };
  if ('error' in result) throw new Error(`scroll: ${result.error}`);
  // a number for frames in which nothing moved would say nothing about scrolling
  if (result.moved < FRAMES * 0.9) throw new Error(`scrolling did not move the rows: the first visible row changed in ${result.moved} of ${FRAMES} frames (${result.blank} began blank)`);
  return result;
}

const pct = (values: readonly number[], p: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? 0;

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
    const scrolled = await scroll(app.page);
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
