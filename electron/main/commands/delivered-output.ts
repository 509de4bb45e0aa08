import { StringDecoder } from 'node:string_decoder';

export type OutputStream = 'stdout' | 'stderr';

/**
 * Output limits count what the user receives, not what the process wrote: the UI shows text,
 * and every invalid UTF-8 byte becomes U+FFFD (3 bytes), so binary output counted raw would
 * reach the screen up to three times larger than the limit. Each stream is decoded here; chunks
 * leave as valid UTF-8 holding whole characters only, and the limit is cut on a character
 * boundary (at most 3 bytes short of it when a character does not fit).
 */
export class DeliveredOutput {
  private readonly limitBytes: number;
  private readonly emit: (stream: OutputStream, data: Buffer) => void;
  private readonly decoders: Record<OutputStream, StringDecoder> = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  readonly bytes: Record<OutputStream, number> = { stdout: 0, stderr: 0 };
  private full = false;

  constructor(limitBytes: number, emit: (stream: OutputStream, data: Buffer) => void) {
    this.limitBytes = limitBytes;
    this.emit = emit;
  }

  get total(): number {
    return this.bytes.stdout + this.bytes.stderr;
  }

  /** True once the limit is reached: the caller ends the process. */
  get limitReached(): boolean {
    return this.full;
  }

  /** Decodes and delivers; returns true when this write reached the limit. */
  write(stream: OutputStream, data: Buffer): boolean {
    if (this.full) return false;
    return this.deliver(stream, this.decoders[stream].write(data));
  }

  /** At the end: a character cut off by the process's end is delivered as U+FFFD, and counted. */
  flush(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.decoders[stream].end();
      if (!this.full) this.deliver(stream, rest);
    }
  }

  private deliver(stream: OutputStream, text: string): boolean {
    if (text === '') return false;
    const encoded = Buffer.from(text, 'utf8');
    const room = this.limitBytes - this.total;
    const kept = encoded.length > room ? encoded.subarray(0, characterBoundary(encoded, room)) : encoded;
    this.bytes[stream] += kept.length;
    if (kept.length > 0) this.emit(stream, kept);
    if (kept.length < encoded.length || this.total >= this.limitBytes) this.full = true;
    return this.full;
  }
}

/** The largest cut ≤ `at` that does not split a UTF-8 character. */
function characterBoundary(bytes: Buffer, at: number): number {
  let cut = Math.max(0, at);
  while (cut > 0 && ((bytes[cut] ?? 0) & 0xc0) === 0x80) cut -= 1;
  return cut;
}
