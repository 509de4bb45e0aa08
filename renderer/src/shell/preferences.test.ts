import { describe, expect, it } from 'vitest';
import { readPreferences, resolveTheme, writePreferences } from './preferences.ts';

describe('stored preferences', () => {
  it('default to following the OS theme and the system language', () => {
    expect(readPreferences(null, 'ko-KR')).toEqual({ theme: 'system', locale: 'ko' });
    expect(readPreferences(null, 'en-GB')).toEqual({ theme: 'system', locale: 'en' });
  });

  it('are read back as written', () => {
    expect(readPreferences(writePreferences({ theme: 'dark', locale: 'en' }), 'ko-KR')).toEqual({ theme: 'dark', locale: 'en' });
  });

  it('fall back to defaults instead of breaking when the stored value is unreadable', () => {
    for (const stored of ['{', '"dark"', 'null', '{"version":1,"theme":"purple","locale":"en"}', '{"version":2,"theme":"dark","locale":"en"}']) {
      expect(readPreferences(stored, 'ko'), stored).toEqual({ theme: 'system', locale: 'ko' });
    }
  });
});

describe('theme in effect', () => {
  it('follows the OS unless overridden, light when the OS says nothing', () => {
    expect(resolveTheme('system', 'dark')).toBe('dark');
    expect(resolveTheme('system', 'light')).toBe('light');
    expect(resolveTheme('system', null)).toBe('light');
    expect(resolveTheme('light', 'dark')).toBe('light');
    expect(resolveTheme('dark', 'light')).toBe('dark');
  });
});
