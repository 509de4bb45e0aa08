import { describe, expect, it } from 'vitest';
import { formatDateTime, formatNumber } from './date-time.ts';

describe('dates and numbers follow the UI language', () => {
  it.each([1_234, 56_789, 1_000_000, 20_000])('groups %i by the UI language, whatever the browser runs in', (value) => {
    expect(formatNumber(value, 'en')).toBe(new Intl.NumberFormat('en-US').format(value));
    expect(formatNumber(value, 'ko')).toBe(new Intl.NumberFormat('ko-KR').format(value));
    expect(formatNumber(value, 'en')).toMatch(/^\d{1,3}(,\d{3})+$/);
  });

  it.each(['2026-03-04T05:06:07Z', '2025-12-31T23:59:58Z'])('writes %s year-first in English and with Korean date words in Korean', (iso) => {
    expect(formatDateTime(iso, 'en')).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(formatDateTime(iso, 'ko')).toMatch(/^\d{4}\. \d{2}\. \d{2}\. .*\d{2}:\d{2}:\d{2}$/);
    expect(formatDateTime(iso, 'ko')).not.toBe(formatDateTime(iso, 'en'));
  });
});
