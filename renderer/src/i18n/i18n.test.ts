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

const parameters = (message: string) => [...new Set([...message.matchAll(/\{(\w+)\}/g)].map((match) => match[1]))].sort();

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
          // A plural message ("1 pod | {count} pods") is rendered in its many-form, with a number to choose by.
          const plural = valueAt(en, key).includes(' | ');
          const params: Record<string, unknown> = Object.fromEntries(parameters(valueAt(en, key)).map((name) => [name, plural && name === 'count' ? 57 : `«${name}»`]));
          const rendered = i18n.global.t(key, params);
          expect(rendered, `${locale}:${key}`).not.toBe(key);
          for (const [name, value] of Object.entries(params)) expect(rendered, `${locale}:${key}`).toContain(typeof value === 'number' ? String(value) : `«${name}»`);
          expect(rendered, `${locale}:${key}`).not.toMatch(/[{}]/);
        }
      }
    } finally {
      console.warn = originalWarn;
    }
    expect(warnings).toEqual([]);
  });
});

describe('counts', () => {
  const i18n = createI18n({ legacy: false, locale: 'en', messages: { en, ko } });
  const counted = keysOf(en).filter((key) => /\{count\}/.test(valueAt(en, key)));

  it('no English message leaves the plural to the reader ("context(s)")', () => {
    for (const key of keysOf(en)) expect(valueAt(en, key), key).not.toMatch(/\w\(s\)/);
  });

  it.each([1, 2, 11])('a count of %i reads as proper English: "1 pod", never "1 pods"', (count) => {
    i18n.global.locale.value = 'en';
    for (const key of counted) {
      const rendered = i18n.global.t(key, { count, namespace: 'default', names: 'a', total: count, running: count });
      if (count === 1) expect(rendered, key).not.toMatch(/\b1 (pods|containers|contexts|lines)\b/);
      else expect(rendered, key).not.toMatch(new RegExp(`\\b${count} (pod|container|context|line)\\b`));
    }
  });

  it.each([1, 4])('Korean counts with a counter word (%i개), one form for every number', (count) => {
    i18n.global.locale.value = 'ko';
    for (const key of ['podList.count', 'podList.deletePendingConfirm', 'kubeWizard.add', 'environments.test.containers', 'scaling.cleanupConfirm']) {
      expect(i18n.global.t(key, { count }), key).toContain(`${count}개`);
    }
    i18n.global.locale.value = 'en';
  });
});

describe('Korean terms', () => {
  it('the Production tag and the Operate button never share a word', () => {
    const productionLabels = keysOf(ko).filter((key) => key.endsWith('.production') && valueAt(en, key) === 'Production');
    const operateLabels = [valueAt(ko, 'services.operate'), valueAt(ko, 'operations.title').split(':')[0] ?? ''];
    expect(productionLabels.length).toBeGreaterThan(2);
    for (const key of productionLabels) {
      const words = valueAt(ko, key).split(' ');
      for (const label of operateLabels) expect(words, key).not.toContain(label);
      expect(valueAt(ko, key), key).toBe('운영 환경');
    }
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
