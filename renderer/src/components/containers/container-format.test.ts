import { describe, expect, it } from 'vitest';
import { containerTagType, formatBytes, formatPercent } from './container-format.ts';

describe('Container List formatting', () => {
  it('prints sizes in binary units like docker stats', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(300 * 1024 * 1024)).toBe('300 MiB');
    expect(formatBytes(2 * 1024 ** 3)).toBe('2.0 GiB');
  });

  it('prints CPU like docker stats, whole numbers past one core', () => {
    expect(formatPercent(0.04)).toBe('0.0%');
    expect(formatPercent(12.345)).toBe('12.3%');
    expect(formatPercent(187.6)).toBe('188%');
  });

  it('gives only running and exited a colour of their own', () => {
    expect(['running', 'exited', 'paused', 'created', 'other'].map((tone) => containerTagType(tone as 'running'))).toEqual(['info', 'warning', 'default', 'default', 'default']);
  });
});
