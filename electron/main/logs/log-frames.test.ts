import { describe, expect, it } from 'vitest';
import { demuxLogFrames, LogFrameReader } from './log-frames.ts';
import { countLines, describeLog, keepNewestBytes, lastLines, NewestBytes } from './log-text.ts';

function frame(stream: number, payload: string): Buffer {
  const body = Buffer.from(payload, 'utf8');
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

describe('demuxLogFrames', () => {
  it('joins stdout and stderr payloads in order without the 8-byte headers', () => {
    const framed = Buffer.concat([frame(1, 'out 1\n'), frame(2, 'err 1\n'), frame(1, 'out 2\n')]);
    expect(demuxLogFrames(framed)).toEqual({ output: Buffer.from('out 1\nerr 1\nout 2\n'), malformed: false });
  });

  it('keeps multi-byte characters split across frames intact', () => {
    const bytes = Buffer.from('로그\n', 'utf8');
    const framed = Buffer.concat([frame(1, ''), Buffer.from([1, 0, 0, 0, 0, 0, 0, 2]), bytes.subarray(0, 2), Buffer.from([1, 0, 0, 0, 0, 0, 0, bytes.length - 2]), bytes.subarray(2)]);
    expect(demuxLogFrames(framed).output.toString('utf8')).toBe('로그\n');
  });

  it('handles empty input, frames larger than 255 bytes and a last frame cut short', () => {
    expect(demuxLogFrames(Buffer.alloc(0))).toEqual({ output: Buffer.alloc(0), malformed: false });
    const long = 'x'.repeat(70_000);
    expect(demuxLogFrames(frame(1, long)).output.toString()).toBe(long);
    const cut = frame(1, 'complete line\n').subarray(0, 8 + 8);
    expect(demuxLogFrames(cut).output.toString()).toBe('complete');
  });

  it('keeps bytes that are not a frame instead of dropping them', () => {
    const framed = Buffer.concat([frame(1, 'ok\n'), Buffer.from('raw text\n')]);
    expect(demuxLogFrames(framed)).toEqual({ output: Buffer.from('ok\nraw text\n'), malformed: true });
  });
});

describe('LogFrameReader (frames arriving in pieces)', () => {
  const framed = Buffer.concat([frame(1, 'out 1\n'), frame(2, '로그 err\n'), frame(1, ''), frame(1, 'x'.repeat(300)), frame(1, 'last\n')]);
  const whole = `out 1\n로그 err\n${'x'.repeat(300)}last\n`;

  const readInPieces = (bytes: Buffer, cuts: readonly number[]): { text: string; malformed: boolean } => {
    const reader = new LogFrameReader();
    const parts: Buffer[] = [];
    let from = 0;
    for (const cut of [...cuts, bytes.length]) {
      parts.push(reader.push(bytes.subarray(from, cut)));
      from = cut;
    }
    const rest = reader.end();
    return { text: Buffer.concat([...parts, rest.output]).toString('utf8'), malformed: rest.malformed };
  };

  it('gives the same text wherever the pieces are cut: inside a header, a payload or a character', () => {
    for (let cut = 0; cut <= framed.length; cut++) expect(readInPieces(framed, [cut]), `cut at ${cut}`).toEqual({ text: whole, malformed: false });
    for (let a = 1; a < framed.length; a += 7) for (let b = a; b < framed.length; b += 11) expect(readInPieces(framed, [a, b]).text, `cuts at ${a}, ${b}`).toBe(whole);
    expect(readInPieces(framed, Array.from({ length: framed.length }, (_, i) => i)).text, 'one byte per piece').toBe(whole);
  });

  it('keeps a last frame cut short, a header cut short and bytes that are not a frame, as the one-piece demux does', () => {
    for (const bytes of [frame(1, 'complete line\n').subarray(0, 16), Buffer.concat([frame(1, 'ok\n'), Buffer.from([1, 0, 0])]), Buffer.concat([frame(1, 'ok\n'), Buffer.from('raw text\n'), frame(1, 'after\n')])]) {
      const once = demuxLogFrames(bytes);
      for (let cut = 0; cut <= bytes.length; cut++) expect(readInPieces(bytes, [cut]), `cut at ${cut}`).toEqual({ text: once.output.toString('utf8'), malformed: once.malformed });
    }
  });
});

describe('log bounds', () => {
  it('takes the last lines; a final newline does not start a line', () => {
    const raw = Buffer.from('a\nb\nc\n');
    expect([1, 2, 3, 4].map((lines) => lastLines(raw, lines).toString())).toEqual(['c\n', 'b\nc\n', 'a\nb\nc\n', 'a\nb\nc\n']);
    expect(lastLines(Buffer.from('a\nb\nno end'), 1).toString()).toBe('no end');
    expect(lastLines(Buffer.from('\n\nx\n'), 2).toString()).toBe('\nx\n');
    expect(lastLines(Buffer.from('\n\nx\n'), 5).toString()).toBe('\n\nx\n');
    expect(lastLines(Buffer.alloc(0), 3).length).toBe(0);
  });

  it('keeps the newest bytes of a log pushed in pieces, whatever their sizes', () => {
    const text = Array.from({ length: 400 }, (_, i) => `line ${i}\n`).join('');
    for (const size of [1, 3, 64, 1000, text.length]) {
      for (const limit of [1, 10, 999, text.length, text.length + 5]) {
        const newest = new NewestBytes(limit);
        for (let at = 0; at < text.length; at += size) newest.push(Buffer.from(text.slice(at, at + size)));
        expect(newest.take().toString(), `pieces of ${size}, limit ${limit}`).toBe(text.slice(-limit));
      }
    }
  });

  it('reading whole and keeping the newest limit+1 bytes gives the snapshot a tail read gives', () => {
    const text = Array.from({ length: 300 }, (_, i) => `${'y'.repeat(i % 17)}${i}\n`).join('');
    const raw = Buffer.from(text);
    for (const tailLines of [1, 5, 100, 300, 1000]) {
      for (const limitBytes of [10, 64, 500, 4000, 100_000]) {
        const fromTail = keepNewestBytes(lastLines(raw, tailLines), limitBytes);
        const newest = new NewestBytes(limitBytes + 1);
        for (let at = 0; at < raw.length; at += 37) newest.push(raw.subarray(at, at + 37));
        expect(keepNewestBytes(lastLines(newest.take(), tailLines), limitBytes), `tail ${tailLines}, limit ${limitBytes}`).toEqual(fromTail);
      }
    }
  });

  it('counts lines, not newlines', () => {
    expect([countLines(''), countLines('a'), countLines('a\n'), countLines('a\nb'), countLines('a\n\nb\n')]).toEqual([0, 1, 1, 2, 3]);
  });

  it('keeps the newest bytes from a line boundary', () => {
    const raw = Buffer.from('first line\nsecond line\nthird\n');
    expect(keepNewestBytes(raw, 100)).toEqual({ kept: raw, cut: false });
    expect(keepNewestBytes(raw, 15).kept.toString()).toBe('third\n');
    expect(keepNewestBytes(Buffer.from('one very long line'), 4)).toEqual({ kept: Buffer.from('line'), cut: true });
  });

  it('says whether the tail was full or the bytes were cut', () => {
    expect(describeLog(Buffer.from('a\nb\n'), 2, false)).toEqual({ text: 'a\nb\n', bytes: 4, lines: 2, truncated: 'lines' });
    expect(describeLog(Buffer.from('a\n'), 2, false).truncated).toBeNull();
    expect(describeLog(Buffer.from('a\n'), 2, true).truncated).toBe('bytes');
  });
});
