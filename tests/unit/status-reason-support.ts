import { expect } from 'vitest';
import type { KeyedText } from '../../shared/contract/keyed-text.ts';
import type { MessageText } from '../../shared/errors.ts';
import { mainErrorText, type Translator } from '../../renderer/src/i18n/main-error-text.ts';
import { hangul, translator } from '../../renderer/src/i18n/main-error-test-support.ts';
import type { EnvironmentRecord } from '../../electron/main/environments/environment-repository.ts';

// A status reason main wrote (tests only): shown in Korean with no English prose, in English as main wrote it.

export const windows = { en: translator('en'), ko: translator('ko') };

/** The English table rendered like another language: main's English is what its keys must mirror. */
const mirror: Translator = { ...windows.en, locale: 'en-mirror' };

/**
 * Latin words a Korean text may keep: product and protocol names, Kubernetes kinds, conditions and probes, units.
 * Everything else written in Latin letters in a Korean reason is English prose the window forgot.
 */
const keptLatin = /\b(?:OpenVPN|WireGuard|VPN|SSH|API|OS|TCP|KIOPS|Desktop|Secret|Service|GNOME|Keyring|KWallet|Metrics|Server|Available|DAST|APIService|Pod|Deployment|ServiceAccount|ClusterRole|RoleBinding|ClusterRoleBinding|readiness)\b/g;

/**
 * Every parameter value of a keyed text and its parts: the names, addresses and codes main quotes.
 * A parameter a part replaces (main's English `detail` beside its keyed part) is not shown in Korean.
 */
export function paramValues(text: MessageText | KeyedText): string[] {
  const parts = text.parts ?? {};
  const params = text.params ?? {};
  // Not shown: a parameter a part or a nested message (`<slot>Key`, shared/message-params.ts) replaces, and the keys themselves.
  const own = Object.entries(params).filter(([name]) => !(name in parts) && !name.endsWith('Key') && !(`${name}Key` in params));
  return [...own.map(([, value]) => String(value)), ...Object.values(parts).flatMap((list) => list.flatMap(paramValues))];
}

/** Every key of a keyed text and its parts. */
export function keysOf(text: MessageText | KeyedText): string[] {
  return [text.key, ...Object.values(text.parts ?? {}).flatMap((parts) => parts.flatMap(keysOf))];
}

/** The English words left in `korean` once the quoted values and the kept names are taken out. */
export function englishWords(korean: string, quoted: readonly string[]): string[] {
  let rest = korean;
  for (const value of [...quoted].sort((a, b) => b.length - a.length)) if (value !== '') rest = rest.split(value).join(' ');
  // A word in quotes is a name the text quotes (a config directive, a profile), not prose.
  return rest.replace(/"[^"\n]*"/g, ' ').replace(keptLatin, ' ').replace(/(\d|\b)ms\b/g, ' ').match(/[A-Za-z]{2,}/g) ?? [];
}

/**
 * `english` with its `text` as each window shows it: Korean with Hangul, every quoted value and no
 * English prose; English exactly main's text; and the English table rendered with the same key and
 * parts is main's text too (lists joined as main joins them). vue-i18n must not warn.
 */
export function expectReasonShown(english: string, text: MessageText | KeyedText | undefined): string {
  expect(text, english).toBeDefined();
  if (text === undefined) return '';
  const warnings: string[] = [];
  const originalWarn = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
  try {
    const message = { message: english, text };
    const korean = mainErrorText(message, windows.ko);
    expect(korean, english).toMatch(hangul);
    expect(korean, english).not.toBe(english);
    expect(korean, english).not.toMatch(/\{\w+\}/);
    for (const value of paramValues(text)) expect(korean, `${english} [${value}]`).toContain(value);
    expect(englishWords(korean, paramValues(text)), korean).toEqual([]);
    expect(mainErrorText(message, windows.en), english).toBe(english);
    expect(mainErrorText(message, mirror), english).toBe(english);
    // Every key it uses is in the Korean table (a missing one would have fallen back to English above).
    for (const key of keysOf(text)) expect(windows.ko.has(`mainErrors.${key}`), key).toBe(true);
    return korean;
  } finally {
    console.warn = originalWarn;
    expect(warnings, english).toEqual([]);
  }
}

/** A Kubernetes environment record whose API server is 127.0.0.1:`port` (for the real probes). */
export function cluster(name: string, port: number, access: Partial<EnvironmentRecord['access']> = {}): EnvironmentRecord {
  return {
    id: `env-${name}`,
    name,
    kind: 'kubernetes',
    production: false,
    target: { kind: 'kubernetes', context: { name: 'c', cluster: 'c', user: 'u', server: `https://127.0.0.1:${port}` } },
    access: { selected: 'auto', methods: ['direct'], ...access },
    secretKeys: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  } as unknown as EnvironmentRecord;
}
