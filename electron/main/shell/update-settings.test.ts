import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readUpdateChannel } from './update-settings.ts';

const dir = mkdtempSync(join(tmpdir(), 'kiops-updates-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('update channel setting', () => {
  it('is off unless the file names a known channel', () => {
    const file = join(dir, 'update-settings.json');
    expect(readUpdateChannel(file)).toBe('off');
    for (const [text, channel] of [
      ['{"channel":"latest"}', 'latest'],
      ['{"channel":"beta"}', 'beta'],
      ['{"channel":"off"}', 'off'],
      ['{"channel":"nightly"}', 'off'],
      ['{"channel":"latest","url":"http://evil.example/"}', 'off'],
      ['latest', 'off'],
      ['', 'off'],
    ]) {
      writeFileSync(file, text!);
      expect(readUpdateChannel(file), text).toBe(channel);
    }
  });
});
