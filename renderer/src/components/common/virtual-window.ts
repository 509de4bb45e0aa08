/**
 * Which rows of a VirtualTable are drawn: rows of one fixed height, where an open row carries its
 * panel below it (the Pod List's expand row). Panels are few (one per Pending or crash-looping pod
 * the operator opened), so every position is the row's index times the row height plus the panels
 * above it, and nothing is measured per row: a 20,000-pod list lays out like a 20-pod one.
 */

/** An open row's panel: the row's index and the panel's measured height in px (0 until measured). */
export interface OpenPanel {
  readonly index: number;
  readonly height: number;
}

export interface TableWindow {
  /** The first and last row drawn (last < first when there are none). */
  readonly first: number;
  readonly last: number;
  /** Where the first drawn row starts, from the top of the rows. */
  readonly top: number;
  /** The height of every row and panel together. */
  readonly height: number;
}

/** Panels in row order, each once (the last height given for a row wins). */
function inOrder(panels: readonly OpenPanel[]): OpenPanel[] {
  const byIndex = new Map<number, number>();
  for (const panel of panels) byIndex.set(panel.index, Math.max(0, panel.height));
  return [...byIndex].map(([index, height]) => ({ index, height })).sort((a, b) => a.index - b.index);
}

/** Where row `index` starts. */
export function rowTop(index: number, rowHeight: number, panels: readonly OpenPanel[]): number {
  let above = 0;
  for (const panel of inOrder(panels)) if (panel.index < index) above += panel.height;
  return index * rowHeight + above;
}

/** The row at height `y` (a panel counts as its row's), clamped to the rows there are. */
function rowAt(y: number, count: number, rowHeight: number, panels: readonly OpenPanel[]): number {
  let above = 0;
  for (const panel of panels) {
    const panelTop = (panel.index + 1) * rowHeight + above;
    if (y < panelTop) break;
    if (y < panelTop + panel.height) return panel.index;
    above += panel.height;
  }
  return Math.min(count - 1, Math.max(0, Math.floor((y - above) / rowHeight)));
}

/**
 * The rows to draw for a view of `viewHeight` px scrolled to `scrollTop`, with `overscan` rows more
 * on each side so a small scroll finds its rows already there.
 */
export function tableWindow(count: number, rowHeight: number, panels: readonly OpenPanel[], scrollTop: number, viewHeight: number, overscan: number): TableWindow {
  const ordered = inOrder(panels.filter((panel) => panel.index >= 0 && panel.index < count));
  const height = count * rowHeight + ordered.reduce((sum, panel) => sum + panel.height, 0);
  if (count === 0) return { first: 0, last: -1, top: 0, height };
  const top = Math.max(0, Math.min(scrollTop, height - 1));
  const first = Math.max(0, rowAt(top, count, rowHeight, ordered) - overscan);
  const last = Math.min(count - 1, rowAt(top + Math.max(0, viewHeight), count, rowHeight, ordered) + overscan);
  return { first, last, top: rowTop(first, rowHeight, ordered), height };
}
