/** Bounding and describing a log snapshot, independent of where it came from. */

export interface BoundedLog {
  readonly text: string;
  readonly bytes: number;
  readonly lines: number;
  readonly truncated: 'lines' | 'bytes' | null;
}

/** Lines in a log text; a final newline does not start another line. */
export function countLines(text: string): number {
  if (text === '') return 0;
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return text.endsWith('\n') ? lines - 1 : lines;
}

/**
 * Keeps the newest `limitBytes` of a log, starting at a line boundary so the first line shown
 * is whole (and no UTF-8 character is split). A snapshot is read from the bottom up.
 */
export function keepNewestBytes(raw: Buffer, limitBytes: number): { kept: Buffer; cut: boolean } {
  if (raw.length <= limitBytes) return { kept: raw, cut: false };
  const from = raw.length - limitBytes;
  const newline = raw.indexOf(0x0a, from);
  return { kept: newline === -1 || newline + 1 >= raw.length ? raw.subarray(from) : raw.subarray(newline + 1), cut: true };
}

/** The last `lines` lines of a log (a final newline does not start a line); all of it when it has fewer. */
export function lastLines(raw: Buffer, lines: number): Buffer {
  let at = raw.length > 0 && raw[raw.length - 1] === 0x0a ? raw.length - 1 : raw.length;
  for (let found = 0; found < lines; found++) {
    const newline = at > 0 ? raw.lastIndexOf(0x0a, at - 1) : -1;
    if (newline === -1) return raw;
    at = newline;
  }
  return raw.subarray(at + 1);
}

/**
 * The newest `limit` bytes of a log read whole, piece by piece: older pieces are let go as newer
 * ones arrive, so memory stays near the limit however long the log is.
 */
export class NewestBytes {
  private readonly limit: number;
  private pieces: Buffer[] = [];
  private total = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  push(piece: Buffer): void {
    if (piece.length === 0) return;
    this.pieces.push(piece);
    this.total += piece.length;
    while (this.pieces.length > 1 && this.total - (this.pieces[0]?.length ?? 0) >= this.limit) this.total -= this.pieces.shift()?.length ?? 0;
  }

  take(): Buffer {
    const all = Buffer.concat(this.pieces);
    return all.length > this.limit ? all.subarray(all.length - this.limit) : all;
  }
}

/**
 * Decodes and describes what came back. `fullTail`: the engine returned as many lines as were
 * asked for, so there are probably earlier lines (Load earlier).
 */
export function describeLog(raw: Buffer, tailLines: number, cutByBytes: boolean): BoundedLog {
  const text = raw.toString('utf8');
  const lines = countLines(text);
  return { text, bytes: raw.length, lines, truncated: cutByBytes ? 'bytes' : lines >= tailLines ? 'lines' : null };
}
