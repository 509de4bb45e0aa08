import { describe, expect, it } from 'vitest';
import { enUS, koKR, type NLocale } from 'naive-ui';
import { withoutDefaultPlaceholders } from './naive-locale.ts';

describe('naive-ui texts without the library placeholders', () => {
  it.each([
    ['en', enUS],
    ['ko', koKR],
  ] as const)('%s: inputs and selects have no "Please Input" / "Please Select"; everything else is kept', (_, base: NLocale) => {
    const locale = withoutDefaultPlaceholders(base);
    for (const part of ['Input', 'InputNumber', 'Select', 'Cascader'] as const) expect(locale[part].placeholder, part).toBe('');
    expect(locale.name).toBe(base.name);
    expect(locale.Popconfirm).toEqual(base.Popconfirm);
    expect(JSON.stringify(locale)).not.toMatch(/Please Input|Please Select|입력해 주세요|선택해 주세요/);
  });
});
