import { describe, expect, it } from 'vitest';
import { podAge, podTagType } from './pod-format.ts';

describe('Pod List formatting', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

  it('shows AGE as kubectl does', () => {
    expect(podAge(ago(45), now)).toBe('45s');
    expect(podAge(ago(5 * 60 + 3), now)).toBe('5m3s');
    expect(podAge(ago(42 * 60), now)).toBe('42m');
    expect(podAge(ago(5 * 3600 + 10 * 60), now)).toBe('5h10m');
    expect(podAge(ago(20 * 3600), now)).toBe('20h');
    expect(podAge(ago(3 * 86400 + 4 * 3600), now)).toBe('3d4h');
    expect(podAge(ago(30 * 86400), now)).toBe('30d');
    expect(podAge(null, now)).toBe('—');
  });

  it('colours statuses by the spec: blue, orange, red, grey', () => {
    expect(['running', 'pending', 'failed', 'other'].map((tone) => podTagType(tone as 'running'))).toEqual(['info', 'warning', 'error', 'default']);
  });
});
