import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutputStream } from './delivered-output.ts';
import { OutputCoalescer } from './output-coalescer.ts';

// Generated output, cut into chunks at random byte offsets (inside UTF-8 characters and inside
// ANSI escapes), fed with random pauses: the text that leaves is the text that came in, per
// stream and in order, in fewer and bounded messages.
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

const pieces = ['a', 'line\n', '\r\n', 'é', '한', '😀', '\u001b[31m', '\u001b[1;38;5;208m', '\u001b[0m', '\u001b]0;title\u0007', '\t', ' '];

function text(next: () => number, length: number): string {
  let out = '';
  while (out.length < length) out += pieces[Math.floor(next() * pieces.length)];
  return out;
}

interface Segment {
  readonly stream: OutputStream;
  readonly text: string;
}

/** Adjacent same-stream segments as one: the order a reader of the output sees. */
function merged(segments: readonly Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const segment of segments) {
    const last = out.at(-1);
    if (last !== undefined && last.stream === segment.stream) out[out.length - 1] = { stream: last.stream, text: last.text + segment.text };
    else if (segment.text !== '') out.push(segment);
  }
  return out;
}

describe('OutputCoalescer: streamed output joined per frame, nothing lost or reordered', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])('interleaved stdout/stderr split at random bytes, seed %i', async (seed) => {
    const next = random(seed);
    const segments: Segment[] = Array.from({ length: 40 }, () => ({ stream: next() < 0.6 ? 'stdout' : 'stderr', text: text(next, 1 + Math.floor(next() * 3000)) }));
    const emitted: Segment[] = [];
    const maxChars = 4096;
    const output = new OutputCoalescer((stream, out) => emitted.push({ stream, text: out }), { windowMs: 16, maxChars });
    let chunks = 0;
    for (const segment of segments) {
      const bytes = Buffer.from(segment.text, 'utf8');
      for (let offset = 0; offset < bytes.length; ) {
        const size = 1 + Math.floor(next() * 40);
        output.push(segment.stream, bytes.subarray(offset, offset + size));
        chunks += 1;
        offset += size;
        if (next() < 0.05) await vi.advanceTimersByTimeAsync(Math.floor(next() * 40));
      }
    }
    output.end();
    expect(merged(emitted)).toEqual(merged(segments));
    expect(emitted.every((message) => message.text !== '' && !message.text.includes('\ufffd'))).toBe(true);
    // a message ends at the first push that reaches the bound, and a chunk here is at most 40 bytes
    expect(Math.max(...emitted.map((message) => message.text.length))).toBeLessThan(maxChars + 40);
    expect(emitted.length).toBeLessThan(chunks / 4);
  });

  it.each([11, 12, 13, 14, 15])('one stream of random bytes: bytes in = bytes out, seed %i', (seed) => {
    const next = random(seed);
    const bytes = Buffer.from(Array.from({ length: 20_000 }, () => Math.floor(next() * 256)));
    let out = '';
    const output = new OutputCoalescer((_stream, piece) => (out += piece));
    for (let offset = 0; offset < bytes.length; ) {
      const size = 1 + Math.floor(next() * 9);
      output.push('stdout', bytes.subarray(offset, offset + size));
      offset += size;
    }
    output.end();
    expect(Buffer.from(out, 'utf8').equals(Buffer.from(bytes.toString('utf8'), 'utf8'))).toBe(true);
  });

  it('sends what waits when the window ends, without a later push', async () => {
    const emitted: string[] = [];
    const output = new OutputCoalescer((_stream, out) => emitted.push(out), { windowMs: 16 });
    output.push('stdout', Buffer.from('one '));
    output.push('stdout', Buffer.from('two\n'));
    expect(emitted).toEqual([]);
    await vi.advanceTimersByTimeAsync(16);
    expect(emitted).toEqual(['one two\n']);
  });

  it('a character cut off by the end arrives as U+FFFD after the text before it', () => {
    const emitted: Segment[] = [];
    const output = new OutputCoalescer((stream, out) => emitted.push({ stream, text: out }));
    output.push('stderr', Buffer.from('ok '));
    output.push('stderr', Buffer.from('😀', 'utf8').subarray(0, 2));
    output.end();
    expect(merged(emitted)).toEqual([{ stream: 'stderr', text: 'ok \ufffd' }]);
  });
});
