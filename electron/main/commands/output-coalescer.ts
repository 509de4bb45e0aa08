import { StringDecoder } from 'node:string_decoder';
import type { OutputStream } from './delivered-output.ts';

export interface CoalescerOptions {
  /** Output arriving within this window goes out as one message. Default 16 ms (one display frame). */
  readonly windowMs?: number;
  /** A message holds at most about this many characters; more goes out at once. Default 64 Ki. */
  readonly maxChars?: number;
}

/**
 * Streamed output on its way to the UI. A child (or `docker logs -f`) hands over thousands of
 * tiny chunks; one IPC message and one render each is what made streaming slow. Here each stream
 * is decoded (a UTF-8 character split across chunks is joined, never replaced) and consecutive
 * text of the same stream is joined for up to `windowMs`, bounded by `maxChars`. Nothing is
 * dropped or reordered: a change of stream sends what waits first, and the text out is the text
 * in, so ANSI escapes split across chunks arrive whole in the joined text.
 */
export class OutputCoalescer {
  private readonly emit: (stream: OutputStream, text: string) => void;
  private readonly windowMs: number;
  private readonly maxChars: number;
  private readonly decoders: Record<OutputStream, StringDecoder> = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  private waiting: { stream: OutputStream; parts: string[]; chars: number } | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(emit: (stream: OutputStream, text: string) => void, options: CoalescerOptions = {}) {
    this.emit = emit;
    this.windowMs = options.windowMs ?? 16;
    this.maxChars = options.maxChars ?? 64 * 1024;
  }

  push(stream: OutputStream, data: Buffer): void {
    this.add(stream, this.decoders[stream].write(data));
  }

  /** Sends what waits now. */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const waiting = this.waiting;
    this.waiting = null;
    if (waiting !== null) this.emit(waiting.stream, waiting.parts.join(''));
  }

  /** At the end: what waits, then a character cut off by the end (as U+FFFD) per stream. */
  end(): void {
    for (const stream of ['stdout', 'stderr'] as const) this.add(stream, this.decoders[stream].end());
    this.flush();
  }

  private add(stream: OutputStream, text: string): void {
    if (text === '') return;
    if (this.waiting !== null && this.waiting.stream !== stream) this.flush();
    this.waiting ??= { stream, parts: [], chars: 0 };
    this.waiting.parts.push(text);
    this.waiting.chars += text.length;
    if (this.waiting.chars >= this.maxChars || this.windowMs <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.windowMs);
  }
}
