import type { AnsiLine, AnsiSpan } from './ansi.ts';

/** One occurrence of the search text: a line index and a [start, end) range in its `text`. */
export interface LogMatch {
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

export interface LogSearchOptions {
  readonly caseSensitive?: boolean;
  /** Stops counting here so a one-letter search in 5 MB stays quick; the UI says "limit+". */
  readonly limit?: number;
}

export const DEFAULT_MATCH_LIMIT = 10_000;

/** Plain-text search (no regex: operators paste error messages full of metacharacters). */
export function findMatches(lines: readonly AnsiLine[], query: string, options: LogSearchOptions = {}): LogMatch[] {
  if (query === '') return [];
  const limit = options.limit ?? DEFAULT_MATCH_LIMIT;
  const needle = options.caseSensitive ? query : query.toLowerCase();
  const matches: LogMatch[] = [];
  for (let line = 0; line < lines.length; line++) {
    const text = lines[line]?.text ?? '';
    const haystack = options.caseSensitive ? text : text.toLowerCase();
    let from = haystack.indexOf(needle);
    while (from !== -1) {
      matches.push({ line, start: from, end: from + needle.length });
      if (matches.length >= limit) return matches;
      from = haystack.indexOf(needle, from + needle.length);
    }
  }
  return matches;
}

/** Index of the first match on or after `line` (matches are sorted by line), or matches.length. */
export function firstMatchAtOrAfter(matches: readonly LogMatch[], line: number): number {
  let lo = 0;
  let hi = matches.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((matches[mid]?.line ?? 0) < line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Next/previous match index, wrapping around; -1 when there are none. */
export function stepMatch(current: number, count: number, direction: 1 | -1): number {
  if (count === 0) return -1;
  if (current < 0) return direction === 1 ? 0 : count - 1;
  return (current + direction + count) % count;
}

/** `mark`: 0 plain, 1 a match, 2 the current match. */
export interface MarkedSpan extends AnsiSpan {
  readonly mark: 0 | 1 | 2;
}

/**
 * Splits a line's spans at the given match ranges (all on this line, sorted), so each match can
 * be highlighted without losing the ANSI colours around and inside it.
 */
export function markSpans(spans: readonly AnsiSpan[], ranges: readonly { start: number; end: number; current: boolean }[]): MarkedSpan[] {
  if (ranges.length === 0) return spans.map((s) => ({ ...s, mark: 0 }));
  const out: MarkedSpan[] = [];
  let offset = 0;
  let r = 0;
  for (const span of spans) {
    const spanEnd = offset + span.text.length;
    let pos = offset;
    while (pos < spanEnd) {
      while (r < ranges.length && (ranges[r]?.end ?? 0) <= pos) r++;
      const range = ranges[r];
      if (!range || range.start >= spanEnd) {
        out.push({ text: span.text.slice(pos - offset), css: span.css, mark: 0 });
        pos = spanEnd;
      } else if (range.start > pos) {
        out.push({ text: span.text.slice(pos - offset, range.start - offset), css: span.css, mark: 0 });
        pos = range.start;
      } else {
        const end = Math.min(range.end, spanEnd);
        out.push({ text: span.text.slice(pos - offset, end - offset), css: span.css, mark: range.current ? 2 : 1 });
        pos = end;
      }
    }
    offset = spanEnd;
  }
  return out;
}
