import { describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import { en } from './en.ts';
import { ko } from './ko.ts';
import { localeFromLanguage } from './index.ts';

type Tree = { [key: string]: string | Tree };

function keysOf(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keysOf(value, `${prefix}${key}.`),
  );
}

function valueAt(tree: Tree, path: string): string {
  const value = path.split('.').reduce<string | Tree | undefined>((node, key) => (typeof node === 'object' ? node[key] : undefined), tree);
  if (typeof value !== 'string') throw new Error(`no message at ${path}`);
  return value;
}

const parameters = (message: string) => [...message.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('messages', () => {
  // the type of ko.ts already demands this; the runtime check also catches a cast or `as`
  it('Korean has exactly the English keys', () => {
    expect(keysOf(ko).sort()).toEqual(keysOf(en).sort());
  });

  it('every Korean message takes the same parameters as the English one', () => {
    for (const key of keysOf(en)) expect(parameters(valueAt(ko, key)), key).toEqual(parameters(valueAt(en, key)));
  });

  it('every message compiles and renders its parameters, in both languages', () => {
    const warnings: string[] = [];
    const i18n = createI18n({ legacy: false, locale: 'en', messages: { en, ko }, warnHtmlMessage: false });
    const originalWarn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
    try {
      for (const locale of ['en', 'ko'] as const) {
        i18n.global.locale.value = locale;
        for (const key of keysOf(en)) {
          const params = Object.fromEntries(parameters(valueAt(en, key)).map((name) => [name, `«${name}»`]));
          const rendered = i18n.global.t(key, params);
          expect(rendered, `${locale}:${key}`).not.toBe(key);
          for (const name of Object.keys(params)) expect(rendered, `${locale}:${key}`).toContain(`«${name}»`);
          expect(rendered, `${locale}:${key}`).not.toMatch(/[{}]/);
        }
      }
    } finally {
      console.warn = originalWarn;
    }
    expect(warnings).toEqual([]);
  });
});

describe('default language', () => {
  it('is Korean for a Korean system language, English otherwise', () => {
    expect(localeFromLanguage('ko')).toBe('ko');
    expect(localeFromLanguage('ko-KR')).toBe('ko');
    expect(localeFromLanguage('KO-kr')).toBe('ko');
    expect(localeFromLanguage('en-US')).toBe('en');
    expect(localeFromLanguage('ja-JP')).toBe('en');
    expect(localeFromLanguage(undefined)).toBe('en');
  });
});
