/**
 * ANSI text → styled lines for the log and command-output views.
 *
 * Only SGR (colours and text attributes) is rendered; every other escape sequence (cursor
 * movement, OSC titles and hyperlinks, charset switches) and every other control character is
 * dropped, so nothing a container prints can reach the DOM as anything but text. Output is
 * rendered with text interpolation (never v-html) and `css` is built only from the numbers parsed
 * here, so a hostile log cannot inject markup or styles.
 *
 * SGR state carries across lines as on a terminal. Tabs are expanded to 8-column stops and a bare
 * carriage return overwrites the line (progress bars), so `text` is exactly what is shown and
 * search offsets in `text` line up with the spans.
 */

/** One run of identically styled text; `css` is '' for the default style. */
export interface AnsiSpan {
  readonly text: string;
  readonly css: string;
}

export interface AnsiLine {
  /** The visible text: escapes removed, tabs expanded; the concatenation of `spans`. */
  readonly text: string;
  readonly spans: readonly AnsiSpan[];
  /** Terminal columns the text occupies (East Asian wide characters count 2). */
  readonly columns: number;
}

export interface SgrState {
  fg: string | null;
  bg: string | null;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  inverse: boolean;
  strike: boolean;
}

export const DEFAULT_FOREGROUND = '#d4d4d4';
export const DEFAULT_BACKGROUND = '#1e1e1e';

/** The 16 base colours (VS Code's dark terminal theme: readable on the dark log background). */
const PALETTE = [
  '#000000', '#cd3131', '#0dbc79', '#e5e510', '#2472c8', '#bc3fbc', '#11a8cd', '#e5e5e5',
  '#666666', '#f14c4c', '#23d18b', '#f5f543', '#3b8eea', '#d670d6', '#29b8db', '#ffffff',
];
const CUBE_LEVELS = [0, 95, 135, 175, 215, 255];

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');
const rgb = (r: number, g: number, b: number): string => `#${hex2(r)}${hex2(g)}${hex2(b)}`;

/** xterm's 256-colour table: 16 base, a 6×6×6 cube, 24 greys. */
export function color256(index: number): string {
  if (index < 16) return PALETTE[index] ?? DEFAULT_FOREGROUND;
  if (index < 232) {
    const i = index - 16;
    return rgb(CUBE_LEVELS[Math.floor(i / 36)] ?? 0, CUBE_LEVELS[Math.floor(i / 6) % 6] ?? 0, CUBE_LEVELS[i % 6] ?? 0);
  }
  const grey = 8 + (index - 232) * 10;
  return rgb(grey, grey, grey);
}

export const freshState = (): SgrState => ({ fg: null, bg: null, bold: false, dim: false, italic: false, underline: false, inverse: false, strike: false });

function cssOf(s: SgrState): string {
  const parts: string[] = [];
  let fg = s.fg;
  let bg = s.bg;
  if (s.inverse) [fg, bg] = [bg ?? DEFAULT_BACKGROUND, fg ?? DEFAULT_FOREGROUND];
  if (fg) parts.push(`color:${fg}`);
  if (bg) parts.push(`background-color:${bg}`);
  if (s.bold) parts.push('font-weight:bold');
  if (s.dim) parts.push('opacity:0.65');
  if (s.italic) parts.push('font-style:italic');
  const lines = [s.underline ? 'underline' : '', s.strike ? 'line-through' : ''].filter(Boolean);
  if (lines.length) parts.push(`text-decoration:${lines.join(' ')}`);
  return parts.join(';');
}

const byte = (v: number | undefined): number | null => (v === undefined || !Number.isInteger(v) || v < 0 || v > 255 ? null : v);

/** `38;5;n`, `38;2;r;g;b` (also the colon forms `38:5:n`, `38:2::r:g:b`). Returns colour and params consumed. */
function extendedColor(params: readonly number[], at: number): { color: string | null; used: number } {
  const mode = params[at + 1];
  if (mode === 5) {
    const n = byte(params[at + 2]);
    return { color: n === null ? null : color256(n), used: 3 };
  }
  if (mode === 2) {
    const [r, g, b] = [byte(params[at + 2]), byte(params[at + 3]), byte(params[at + 4])];
    return { color: r === null || g === null || b === null ? null : rgb(r, g, b), used: 5 };
  }
  return { color: null, used: params.length };
}

function parseParams(raw: string): number[][] {
  // Each `;` group may carry `:` sub-parameters (ITU T.416); an empty field means 0.
  return raw.split(';').map((group) => group.split(':').map((p) => (p === '' ? 0 : Number(p))));
}

function applySgr(state: SgrState, raw: string): void {
  const groups = parseParams(raw);
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i] ?? [0];
    const code = group[0] ?? 0;
    if (code === 38 || code === 48) {
      let color: string | null;
      if (group.length > 1) {
        // Colon form: 38:2::r:g:b has an empty colour-space id, 38:2:r:g:b does not.
        const sub = group[1] === 2 && group.length >= 6 ? [code, 2, ...group.slice(-3)] : group;
        color = extendedColor(sub, 0).color;
      } else {
        const flat = groups.slice(i).map((g) => g[0] ?? 0);
        const ext = extendedColor(flat, 0);
        color = ext.color;
        i += ext.used - 1;
      }
      if (code === 38) state.fg = color;
      else state.bg = color;
      continue;
    }
    applyCode(state, code);
  }
}

function applyCode(state: SgrState, code: number): void {
  if (code === 0) Object.assign(state, freshState());
  else if (code === 1) state.bold = true;
  else if (code === 2) state.dim = true;
  else if (code === 3) state.italic = true;
  else if (code === 4 || code === 21) state.underline = true;
  else if (code === 7) state.inverse = true;
  else if (code === 9) state.strike = true;
  else if (code === 22) [state.bold, state.dim] = [false, false];
  else if (code === 23) state.italic = false;
  else if (code === 24) state.underline = false;
  else if (code === 27) state.inverse = false;
  else if (code === 29) state.strike = false;
  else if (code >= 30 && code <= 37) state.fg = PALETTE[code - 30] ?? null;
  else if (code === 39) state.fg = null;
  else if (code >= 40 && code <= 47) state.bg = PALETTE[code - 40] ?? null;
  else if (code === 49) state.bg = null;
  else if (code >= 90 && code <= 97) state.fg = PALETTE[code - 90 + 8] ?? null;
  else if (code >= 100 && code <= 107) state.bg = PALETTE[code - 100 + 8] ?? null;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Columns a string occupies on a terminal. */
export function displayColumns(text: string): number {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(text)) return text.length;
  let cols = 0;
  for (const ch of text) cols += isWide(ch.codePointAt(0) ?? 0) ? 2 : 1;
  return cols;
}

// Anything that is not plain printable text: C0 controls (tab included), DEL, C1 controls.
// eslint-disable-next-line no-control-regex
const SPECIAL = /[\x00-\x1f\x7f-\x9f]/;

/** Parses ANSI text line by line, keeping SGR state across lines (and across `push` calls). */
export class AnsiParser {
  private state: SgrState;
  private pending = '';

  /** `state`: the SGR state in effect before the first line (it is advanced in place). */
  constructor(state: SgrState = freshState()) {
    this.state = state;
  }

  /** Parses one complete line (no '\n') and advances the SGR state past it. */
  line(raw: string): AnsiLine {
    return this.parseLine(raw);
  }

  /** Feeds a chunk; returns the lines it completed. A trailing partial line waits for more. */
  push(chunk: string): AnsiLine[] {
    const raw = this.pending + chunk;
    const parts = raw.split('\n');
    this.pending = parts.pop() ?? '';
    return parts.map((part) => this.parseLine(part));
  }

  /** Ends the input: the partial line, if any, as a last line. */
  end(): AnsiLine[] {
    if (this.pending === '') return [];
    const last = this.parseLine(this.pending);
    this.pending = '';
    return [last];
  }

  /** The partial line so far, parsed without consuming it (for showing streaming output). */
  peekPartial(): AnsiLine | null {
    if (this.pending === '') return null;
    const saved = { ...this.state };
    const line = this.parseLine(this.pending);
    this.state = saved;
    return line;
  }

  private parseLine(input: string): AnsiLine {
    const raw = input.endsWith('\r') ? input.slice(0, -1) : input;
    if (!SPECIAL.test(raw)) {
      const css = cssOf(this.state);
      return { text: raw, spans: raw === '' ? [] : [{ text: raw, css }], columns: displayColumns(raw) };
    }
    return this.parseSpecialLine(raw);
  }

  private parseSpecialLine(raw: string): AnsiLine {
    let spans: AnsiSpan[] = [];
    let text = '';
    let run = '';
    let css = cssOf(this.state);
    const flush = (): void => {
      if (run === '') return;
      const last = spans[spans.length - 1];
      if (last && last.css === css) spans[spans.length - 1] = { text: last.text + run, css };
      else spans.push({ text: run, css });
      text += run;
      run = '';
    };
    let i = 0;
    while (i < raw.length) {
      const ch = raw.charCodeAt(i);
      if (ch === 0x1b || ch === 0x9b) {
        const seq = readEscape(raw, i);
        if (seq.sgr !== null) {
          flush();
          applySgr(this.state, seq.sgr);
          css = cssOf(this.state);
        }
        i = seq.end;
        continue;
      }
      if (ch === 0x09) {
        const col = displayColumns(text + run);
        run += ' '.repeat(8 - (col % 8));
      } else if (ch === 0x0d) {
        // A bare carriage return: what follows overwrites the line, as a progress bar does.
        run = '';
        spans = [];
        text = '';
      } else if (!(ch < 0x20 || (ch >= 0x7f && ch <= 0x9f))) {
        run += raw[i];
      }
      i++;
    }
    flush();
    return { text, spans, columns: displayColumns(text) };
  }
}

/** Reads one escape sequence at `at`; returns where it ends and its SGR parameters if it is SGR. */
function readEscape(raw: string, at: number): { end: number; sgr: string | null } {
  let i = at;
  if (raw.charCodeAt(i) === 0x1b) {
    const next = raw[i + 1];
    if (next === undefined) return { end: i + 1, sgr: null };
    if (next === ']' || next === 'P' || next === '_' || next === '^' || next === 'X') return { end: skipString(raw, i + 2), sgr: null };
    if (next !== '[') {
      // ESC + intermediates (0x20–0x2f) + one final byte, e.g. ESC ( B, ESC 7, ESC =
      i += 1;
      while (i < raw.length && raw.charCodeAt(i) >= 0x20 && raw.charCodeAt(i) <= 0x2f) i++;
      return { end: Math.min(i + 1, raw.length), sgr: null };
    }
    i += 2;
  } else {
    i += 1; // 8-bit CSI
  }
  const start = i;
  while (i < raw.length && raw.charCodeAt(i) >= 0x20 && raw.charCodeAt(i) <= 0x3f) i++;
  const params = raw.slice(start, i);
  while (i < raw.length && raw.charCodeAt(i) >= 0x20 && raw.charCodeAt(i) <= 0x2f) i++;
  const final = raw[i];
  if (final === undefined) return { end: raw.length, sgr: null };
  const isSgr = final === 'm' && /^[\d;:]*$/.test(params);
  return { end: i + 1, sgr: isSgr ? params : null };
}

/**
 * Applies a line's SGR sequences to `state` without building spans (the cheap pass that carries
 * colours to a line further down). Returns true when one of them resets every attribute, so
 * the state after the line does not depend on the state before it.
 */
export function scanSgr(raw: string, state: SgrState): boolean {
  let resets = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw.charCodeAt(i);
    if (ch !== 0x1b && ch !== 0x9b) continue;
    const seq = readEscape(raw, i);
    if (seq.sgr !== null) {
      applySgr(state, seq.sgr);
      if (parseParams(seq.sgr)[0]?.[0] === 0) resets = true;
    }
    i = seq.end - 1;
  }
  return resets;
}

/** OSC/DCS/APC/PM/SOS strings run to BEL or ST (ESC \) — or, unterminated, to the end of the line. */
function skipString(raw: string, from: number): number {
  for (let i = from; i < raw.length; i++) {
    const ch = raw.charCodeAt(i);
    if (ch === 0x07 || ch === 0x9c) return i + 1;
    if (ch === 0x1b && raw[i + 1] === '\\') return i + 2;
  }
  return raw.length;
}

/** Parses a whole text (a log snapshot) into lines. A final newline does not add an empty line. */
export function parseAnsi(text: string): AnsiLine[] {
  const parser = new AnsiParser();
  const lines = parser.push(text);
  for (const last of parser.end()) lines.push(last);
  return lines;
}

/** The visible text only (escapes removed, tabs expanded), lines joined with '\n'. */
export function stripAnsi(text: string): string {
  return parseAnsi(text)
    .map((line) => line.text)
    .join('\n');
}
