import type { AnsiLine } from './ansi.ts';

/**
 * Row arithmetic for the virtualized view. The font is monospace and wrapped lines break
 * anywhere (`word-break: break-all`), so a line's height is known without rendering it:
 * ceil(columns / columnsPerRow) rows. That is what lets only the visible lines be in the DOM.
 */

/** `offsets[i]` is the first row of line i; `offsets[lines.length]` is the total row count. */
export function rowOffsets(lines: readonly AnsiLine[], columnsPerRow: number | null): Float64Array {
  const offsets = new Float64Array(lines.length + 1);
  if (columnsPerRow === null) {
    // One row per line: no need to read (and, for a lazy snapshot, parse) any line.
    for (let i = 0; i <= lines.length; i++) offsets[i] = i;
    return offsets;
  }
  let row = 0;
  for (let i = 0; i < lines.length; i++) {
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
