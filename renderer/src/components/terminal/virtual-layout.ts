import type { AnsiLine } from './ansi.ts';

/**
 * Row arithmetic for the virtualized view. The font is monospace and wrapped lines break
 * anywhere (`word-break: break-all`), so a line's height is known without rendering it:
 * ceil(columns / columnsPerRow) rows. That is what lets only the visible lines be in the DOM.
 */

/** `offsets[i]` is the first row of line i; `offsets[lines.length]` is the total row count. */
export function rowOffsets(lines: readonly AnsiLine[], columnsPerRow: number | null): Float64Array {
  return appendRowOffsets(new Float64Array(1), lines, columnsPerRow);
}

/**
 * The row table of `lines` given the table of its first lines (`known`, for the same array and
 * width): only the appended lines are measured, so a stream that grows line by line costs
 * its new lines per frame, not all lines again.
 */
export function appendRowOffsets(known: Float64Array, lines: readonly AnsiLine[], columnsPerRow: number | null): Float64Array {
  const from = Math.min(known.length - 1, lines.length);
  const offsets = new Float64Array(lines.length + 1);
  offsets.set(known.subarray(0, from + 1));
  if (columnsPerRow === null) {
    // One row per line: no need to read (and, for a lazy snapshot, parse) any line.
    for (let i = from; i <= lines.length; i++) offsets[i] = i;
    return offsets;
  }
  let row = offsets[from] ?? 0;
  for (let i = from; i < lines.length; i++) {
    offsets[i] = row;
    const columns = lines[i]?.columns ?? 0;
    row += columnsPerRow === null || columns <= columnsPerRow ? 1 : Math.ceil(columns / columnsPerRow);
  }
  offsets[lines.length] = row;
  return offsets;
}

/** The line that contains `row` (clamped to the document). */
export function lineAtRow(offsets: Float64Array, row: number): number {
  const count = offsets.length - 1;
  if (count <= 0) return 0;
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((offsets[mid] ?? 0) <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The widest line in columns, for the horizontal scroll extent when not wrapping. */
export function widestLine(lines: readonly AnsiLine[]): number {
  let widest = 0;
  for (const line of lines) if (line.columns > widest) widest = line.columns;
  return widest;
}
