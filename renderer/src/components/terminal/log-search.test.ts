import { describe, expect, it } from 'vitest';
import { parseAnsi } from './ansi.ts';
import { findMatches, firstMatchAtOrAfter, markSpans, stepMatch } from './log-search.ts';
import { lineAtRow, rowOffsets, widestLine } from './virtual-layout.ts';

describe('findMatches', () => {
  const lines = parseAnsi('Error one\nfine\n\x1b[31mERROR\x1b[0m two error\n');

  it('finds every occurrence case-insensitively in the visible text, ignoring escapes', () => {
    expect(findMatches(lines, 'error')).toEqual([
      { line: 0, start: 0, end: 5 },
      { line: 2, start: 0, end: 5 },
      { line: 2, start: 10, end: 15 },
    ]);
  });

  it('can match case-sensitively, treats the query literally and stops at the limit', () => {
    expect(findMatches(lines, 'ERROR', { caseSensitive: true })).toHaveLength(1);
    expect(findMatches(parseAnsi('a.b axb'), 'a.b')).toEqual([{ line: 0, start: 0, end: 3 }]);
    expect(findMatches(parseAnsi('aaaa'), 'a', { limit: 2 })).toHaveLength(2);
    expect(findMatches(lines, '')).toEqual([]);
  });

  it('steps next and previous with wrap-around', () => {
    expect(stepMatch(-1, 3, 1)).toBe(0);
    expect(stepMatch(-1, 3, -1)).toBe(2);
    expect(stepMatch(2, 3, 1)).toBe(0);
    expect(stepMatch(0, 3, -1)).toBe(2);
    expect(stepMatch(0, 0, 1)).toBe(-1);
  });

  it('finds the first match at or after a line', () => {
    const matches = findMatches(lines, 'error');
    expect(firstMatchAtOrAfter(matches, 0)).toBe(0);
    expect(firstMatchAtOrAfter(matches, 1)).toBe(1);
    expect(firstMatchAtOrAfter(matches, 3)).toBe(3);
  });
});

describe('markSpans', () => {
  it('splits coloured spans at match boundaries and keeps their colours', () => {
    const [line] = parseAnsi('ab\x1b[31mcd\x1b[0mef');
    const marked = markSpans(line?.spans ?? [], [{ start: 1, end: 5, current: true }]);
    expect(marked).toEqual([
      { text: 'a', css: '', mark: 0 },
      { text: 'b', css: '', mark: 2 },
      { text: 'cd', css: 'color:#cd3131', mark: 2 },
      { text: 'e', css: '', mark: 2 },
      { text: 'f', css: '', mark: 0 },
    ]);
  });

  it('marks several ranges in one span', () => {
    const [line] = parseAnsi('x err y err');
    const marked = markSpans(line?.spans ?? [], [
      { start: 2, end: 5, current: false },
      { start: 8, end: 11, current: true },
    ]);
    expect(marked.map((s) => [s.text, s.mark])).toEqual([['x ', 0], ['err', 1], [' y ', 0], ['err', 2]]);
  });
});

describe('row layout', () => {
  const lines = parseAnsi(`short\n${'x'.repeat(25)}\n\nlast`);

  it('gives every line one row without wrapping and ceil(columns / width) rows with it', () => {
    expect(Array.from(rowOffsets(lines, null))).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(rowOffsets(lines, 10))).toEqual([0, 1, 4, 5, 6]);
    expect(widestLine(lines)).toBe(25);
  });

  it('finds the line holding a row', () => {
    const offsets = rowOffsets(lines, 10);
    expect([0, 1, 2, 3, 4, 5, 99].map((row) => lineAtRow(offsets, row))).toEqual([0, 1, 1, 1, 2, 3, 3]);
    expect(lineAtRow(rowOffsets([], null), 0)).toBe(0);
  });
});
