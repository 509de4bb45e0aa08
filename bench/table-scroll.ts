// Scrolling a table in the page as a user's fast scroll does, frame by frame, for the scroll benches
// (pod-list-scroll.ts, audit-log-scroll.ts). Each frame's time is the gap between two
// requestAnimationFrame timestamps; each frame also checks that the rows really moved (the first
// visible row changed) and counts the rows mounted into the DOM.

import type { Page } from 'playwright-core';

export interface Scrolled {
  /** Gaps between rAF timestamps with nothing to do: the display interval. */
  idle: number[];
  /** Gaps between rAF timestamps while scrolling, one per frame. */
  frames: number[];
  /** Frames after which the first visible row was another one. */
  moved: number;
  /** Frames that began with no row at the top of the view (the list had not caught up). */
  blank: number;
  /** Rows mounted into the DOM, per frame. */
  mounted: number[];
  /** Frames scrolled by one row each, and the rows mounted in each. */
  slowFrames: number[];
  slowMounted: number[];
  rowHeight: number;
  /** Distinct rows seen first in view. */
  distinct: number;
  rowsInDom: number;
  elementsInTable: number;
  scrollHeight: number;
  viewHeight: number;
}

// Runs in the page; kept as source text because the bench is type-checked without the DOM.
const scrollInPage = `async ({ frames, idleFrames, step, tableTestId, rowTestId, keyAttribute }) => {
  const rowSelector = '[data-testid="' + rowTestId + '"]';
  const table = document.querySelector('[data-testid="' + tableTestId + '"]');
  const firstRow = table && table.querySelector(rowSelector);
  if (!firstRow) return { error: 'no row in the table' };
  // the nearest ancestor of a row that scrolls (VirtualTable's view; naive-ui's virtual list, vueuc's .v-vl)
  let scroller = firstRow.parentElement;
  while (scroller && scroller !== table) {
    const overflow = getComputedStyle(scroller).overflowY;
    if ((overflow === 'auto' || overflow === 'scroll') && scroller.scrollHeight > scroller.clientHeight) break;
    scroller = scroller.parentElement;
  }
  if (!scroller || scroller === table) return { error: 'no scrolling element between the rows and the table' };
  const firstVisible = () => {
    const top = scroller.getBoundingClientRect().top;
    for (const row of scroller.querySelectorAll(rowSelector)) {
      const box = row.getBoundingClientRect();
      if (box.bottom > top + 1 && box.height > 0) return box.top <= top + 1 ? row.getAttribute(keyAttribute) : 'blank';
    }
    return 'blank';
  };
  let mountedNow = 0;
  const isRow = (node) => node.nodeType === 1 && (node.matches(rowSelector) ? 1 : node.querySelectorAll(rowSelector).length);
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
    rowsInDom: document.querySelectorAll(rowSelector).length,
    elementsInTable: table.getElementsByTagName('*').length,
    scrollHeight: scroller.scrollHeight,
    viewHeight: scroller.clientHeight,
  };
}`;

/** Which table to scroll: the table's and its rows' test ids, and the row attribute that names a row. */
export interface ScrolledTable {
  readonly tableTestId: string;
  readonly rowTestId: string;
  readonly keyAttribute: string;
}

/**
 * Scrolls `table` in the page, one step per animation frame (`step` px, every 20th frame a
 * quarter of the list, back to the top at the end), after `idleFrames` frames with nothing to do
 * (the display interval), then 30 frames of one row each. Fails when the rows did not move.
 */
export async function scrollTable(page: Page, table: ScrolledTable, frames: number, idleFrames: number, step: number): Promise<Scrolled> {
  const result = (await page.evaluate(`(${scrollInPage})(${JSON.stringify({ frames, idleFrames, step, ...table })})`)) as Scrolled | { error: string };
  if ('error' in result) throw new Error(`scroll: ${result.error}`);
  // a number for frames in which nothing moved would say nothing about scrolling
  if (result.moved < frames * 0.9) throw new Error(`scrolling did not move the rows: the first visible row changed in ${result.moved} of ${frames} frames (${result.blank} began blank)`);
  return result;
}

/** The p-th percentile of `values` (nearest rank). */
export const pct = (values: readonly number[], p: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? 0;

