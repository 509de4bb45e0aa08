import { describe, expect, it } from 'vitest';
import { demuxLogFrames } from './log-frames.ts';
import { countLines, describeLog, keepNewestBytes } from './log-text.ts';

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

describe('log bounds', () => {
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
