import { describe, expect, it } from 'vitest';
import type { AnsiLine } from './ansi.ts';
import { appendRowOffsets, rowOffsets } from './virtual-layout.ts';

// A stream grows its line array in appends of random size: the row table extended append by
// append is the table measured over all lines at once, wrapped or not.
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

describe('appendRowOffsets: only the new lines are measured', () => {
  it.each([
    [1, 80],
    [2, 13],
    [3, null],
    [4, 1],
  ])('seed %i, %s columns per row', (seed, columnsPerRow) => {
    const next = random(seed);
    const lines: AnsiLine[] = [];
    let table = rowOffsets(lines, columnsPerRow);
    for (let append = 0; append < 200; append++) {
      const count = Math.floor(next() * 30);
      for (let i = 0; i < count; i++) lines.push({ text: '', spans: [], columns: Math.floor(next() * 300) });
      table = appendRowOffsets(table, lines, columnsPerRow);
      expect(table).toEqual(rowOffsets(lines, columnsPerRow));
    }
    expect(lines.length).toBeGreaterThan(1000);
  });
});
