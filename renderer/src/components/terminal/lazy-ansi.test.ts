import { describe, expect, it } from 'vitest';
import { parseAnsi } from './ansi.ts';
import { LazyAnsiDocument } from './lazy-ansi.ts';
import { findMatches } from './log-search.ts';
import { lineAtRow, rowOffsets } from './virtual-layout.ts';

/** Small deterministic PRNG so every variant can be re-run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const PIECES = [
  'plain text', '\x1b[31m', '\x1b[0m', '\x1b[m', '\x1b[1;32m', '\x1b[38;5;208m', '\x1b[48;2;10;20;30m', '\x1b[0;33m',
  '\x1b[7m', '\x1b[27m', '\x1b[22m', '\tTAB', 'progress 10%\rprogress 90%', '\x1b]0;title\x07', '\x9b34m', '한글', '\x1b[2K', 'ERROR', '',
];

function generatedLog(seed: number, lines: number): string {
  const next = random(seed);
  const out: string[] = [];
  for (let line = 0; line < lines; line++) {
    const parts = Math.floor(next() * 4);
    let text = '';
    for (let part = 0; part < parts; part++) text += PIECES[Math.floor(next() * PIECES.length)];
    out.push(`${line} ${text}`);
  }
  return `${out.join('\n')}${next() < 0.5 ? '\n' : ''}`;
}

const plain = (line: { text: string; spans: readonly { text: string; css: string }[]; columns: number }) => ({ text: line.text, spans: line.spans.map((span) => ({ ...span })), columns: line.columns });

describe('lazily parsed log snapshots', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('gives the same lines as parsing everything, read in any order (variant %i)', (seed) => {
    const text = generatedLog(seed, 400);
    const eager = parseAnsi(text);
    const document = new LazyAnsiDocument(text);
    expect(document.lines).toHaveLength(eager.length);
    const order = eager.map((_, index) => index).sort(() => random(seed)() - 0.5);
    const next = random(seed * 7);
    for (let index = 0; index < eager.length; index++) {
      const at = next() < 0.5 ? (order[index] as number) : eager.length - 1 - index;
      expect(plain(document.line(at))).toEqual(plain(eager[at]!));
    }
    expect(document.lines.map((line) => plain(line))).toEqual(eager.map(plain));
  });

  it('a 40,000-line log shows its last lines, coloured by an escape 39,000 lines up, after parsing only those lines', () => {
    const body = Array.from({ length: 40_000 }, (_, index) => (index % 7 === 0 ? `\x1b[32m${index} INFO ready\x1b[0m` : `${index} plain`));
    body[500] = '500 \x1b[35mstarts magenta and never resets';
    for (let index = 501; index < 40_000; index++) if (body[index]?.includes('\x1b')) body[index] = `${index} no escapes now`;
    const text = `${body.join('\n')}\n`;
    const document = new LazyAnsiDocument(text);
    const lines = document.lines;

    // What VirtualLogView does for a 600 px view scrolled to the end (no wrap): rows, then spans in view.
    const offsets = rowOffsets(lines, null);
    const lastRow = offsets[lines.length]! - 600 / 18;
    const first = lineAtRow(offsets, lastRow) - 20;
    const shown = lines.slice(first).map((line) => line.spans);
    expect(document.parsedCount).toBe(lines.length - first);
    expect(document.parsedCount).toBeLessThan(100);
    expect(shown.at(-1)).toEqual([{ text: '39999 plain', css: 'color:#bc3fbc' }]);
    expect(plain(lines[39_998]!)).toEqual(plain(parseAnsi(text)[39_998]!));

    // Searching reads every line's text, so it parses them: only when asked.
    expect(findMatches(lines, '39999')).toEqual([{ line: 39_999, start: 0, end: 5 }]);
    expect(document.parsedCount).toBe(40_000);
  });

  it('keeps parseAnsi\'s line count: a final newline adds no line, a missing one keeps the last', () => {
    expect(new LazyAnsiDocument('a\nb\n').lines).toHaveLength(2);
    expect(new LazyAnsiDocument('a\nb').lines).toHaveLength(2);
    expect(new LazyAnsiDocument('').lines).toHaveLength(parseAnsi('').length);
    expect(new LazyAnsiDocument('\n\n').lines).toHaveLength(parseAnsi('\n\n').length);
  });
});
