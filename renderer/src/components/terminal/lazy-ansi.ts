import { AnsiParser, freshState, scanSgr, type AnsiLine, type AnsiSpan, type SgrState } from './ansi.ts';

/**
 * A log snapshot whose lines are parsed when first read, not all before the first paint: a
 * 40,000-line log opened at its end parses the few dozen lines in view. Each parsed line is
 * cached. Colours carry across lines as on a terminal, so the SGR state a line starts with is
 * found by walking back to the nearest line that resets it (or a line already parsed) and
 * applying only the SGR sequences from there: no spans are built for the lines in between.
 * Search still reads every line's `text`, so it parses them, but only when the user searches.
 */
export class LazyAnsiDocument {
  readonly lines: readonly AnsiLine[];
  private readonly raw: readonly string[];
  private readonly parsed: (AnsiLine | undefined)[];
  /** `startStates[i]`: SGR state before line i, where known. */
  private readonly startStates: (SgrState | undefined)[];
  private parses = 0;

  constructor(text: string) {
    const raw = text.split('\n');
    // As parseAnsi: a final newline does not add an empty line.
    if (raw.at(-1) === '') raw.pop();
    this.raw = raw;
    this.parsed = new Array<AnsiLine | undefined>(raw.length);
    this.startStates = new Array<SgrState | undefined>(raw.length + 1);
    this.startStates[0] = freshState();
    this.lines = raw.map((_, index) => new LazyAnsiLine(this, index));
  }

  /** How many lines have been parsed into spans so far. */
  get parsedCount(): number {
    return this.parses;
  }

  line(index: number): AnsiLine {
    const cached = this.parsed[index];
    if (cached !== undefined) return cached;
    const state = { ...this.stateBefore(index) };
    const line = new AnsiParser(state).line(this.raw[index] ?? '');
    this.parses += 1;
    this.parsed[index] = line;
    this.startStates[index + 1] ??= { ...state };
    return line;
  }

  private stateBefore(index: number): SgrState {
    const known = this.startStates[index];
    if (known !== undefined) return known;
    // Walk back to a line whose state is known or that resets every attribute.
    let from = index - 1;
    let state: SgrState | undefined;
    for (; from >= 0; from--) {
      const before = this.startStates[from];
      if (before !== undefined) {
        state = { ...before };
        break;
      }
      const raw = this.raw[from] ?? '';
      if (ESCAPE.test(raw) && scanSgr(raw, freshState())) {
        state = freshState();
        break;
      }
    }
    if (state === undefined) {
      from = 0;
      state = freshState();
    }
    for (let at = from; at < index; at++) {
      const raw = this.raw[at] ?? '';
      if (ESCAPE.test(raw)) scanSgr(raw, state);
    }
    this.startStates[index] = state;
    return state;
  }
}

// eslint-disable-next-line no-control-regex
const ESCAPE = /[\x1b\x9b]/;

/** An AnsiLine whose fields are read from its document, parsing the line on first use. */
class LazyAnsiLine implements AnsiLine {
  private readonly document: LazyAnsiDocument;
  private readonly index: number;

  constructor(document: LazyAnsiDocument, index: number) {
    this.document = document;
    this.index = index;
  }

  get text(): string {
    return this.document.line(this.index).text;
  }

  get spans(): readonly AnsiSpan[] {
    return this.document.line(this.index).spans;
  }

  get columns(): number {
    return this.document.line(this.index).columns;
  }
}

/** parseAnsi for a snapshot, with each line parsed when first read. */
export function parseAnsiLazily(text: string): AnsiLine[] {
  return [...new LazyAnsiDocument(text).lines];
}
