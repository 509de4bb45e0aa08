import { expect } from 'vitest';
import { createI18n } from 'vue-i18n';
import type { AppError } from '../../../shared/errors.ts';
import { bodyMessageText, errorBodySchema, type ErrorBody, type MessageText } from '../../../shared/errors.ts';
import { en } from './en.ts';
import { ko } from './ko.ts';
import { mainErrorText, renderedParams, type Translator } from './main-error-text.ts';

/** The window's translator over the app's real messages, in one language (tests only). */
export function translator(locale: 'en' | 'ko'): Translator {
  const i18n = createI18n({ legacy: false, locale, fallbackLocale: 'en', messages: { en, ko } });
  return {
    locale,
    has: (key) => i18n.global.te(key, locale),
    render: (key, params) => (i18n.global.t as (key: string, params: Record<string, unknown>) => string)(key, params),
  };
}

/** Through the envelope body, as the window receives it. */
export function received(error: AppError | ErrorBody): { message: string; text?: MessageText } {
  const body = errorBodySchema.parse(JSON.parse(JSON.stringify('toBody' in error ? error.toBody() : error)));
  const text = bodyMessageText(body);
  return text === undefined ? { message: body.message } : { message: body.message, text: { params: {}, ...text } };
}

export const hangul = /[\uac00-\ud7a3]/;

const windows = { en: translator('en'), ko: translator('ko') };

/**
 * An error main keyed, as each window shows it: Korean with Hangul and every parameter value,
 * English exactly main's text; and the English key rendered with the parameters is main's text
 * too (the key mirrors it). vue-i18n must not warn (an unknown key, a message read as HTML).
 */
export function expectShownInBothLanguages(error: AppError | ErrorBody, keyPrefix: string): void {
  const message = received(error);
  const label = message.message;
  expect(message.text?.key, label).toMatch(new RegExp(`^${keyPrefix.replace(/\./g, '\\.')}`));
  const params = message.text?.params ?? {};
  const warnings: string[] = [];
  const originalWarn = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
  try {
    const korean = mainErrorText(message, windows.ko);
    expect(korean, label).toMatch(hangul);
    expect(korean, label).not.toBe(message.message);
    expect(korean, label).not.toMatch(/\{\w+\}/);
    for (const [name, value] of Object.entries(params)) if (!isPhraseParam(name)) expect(korean, `${label} [${String(value)}]`).toContain(String(value));
    expect(mainErrorText(message, windows.en), label).toBe(message.message);
    expect(windows.en.render(`mainErrors.${message.text?.key ?? ''}`, renderedParams(message.text ?? { key: '' }, windows.en) ?? {}), label).toBe(message.message);
  } finally {
    console.warn = originalWarn;
  }
  expect(warnings, label).toEqual([]);
}

export { appErrorOf } from '../../../tests/support/app-errors.ts';

/** A parameter naming a phrase (`whyKey`, `doingKey`), not a value shown in the message. */
export const isPhraseParam = (name: string): boolean => name.endsWith('Key');

/** Words Korean messages keep as Kubernetes and the engines name them. */
const keptNames = new Set(['Kubernetes', 'Pod', 'Deployment', 'Secret', 'Service', 'Ingress', 'Docker', 'Podman', 'Traefik', 'Metrics', 'Server']);

/**
 * The English prose words left in a Korean message once its parameter values (names, paths, the
 * server's own words) are taken out: lower-case or Capitalised Latin words that are not a name
 * Kubernetes gives (Pod, Deployment) nor code (CamelCase, ALL CAPS, with a digit, dot or underscore).
 */
export function englishProse(korean: string, params: Readonly<Record<string, string | number>>): string[] {
  const values = Object.entries(params).filter(([name]) => !isPhraseParam(name)).map(([, value]) => String(value)).filter((value) => value.length > 0).sort((a, b) => b.length - a.length);
  const rest = values.reduce((text, value) => text.split(value).join(' '), korean);
  const words = rest.match(/[A-Za-z][\w./:-]*/g) ?? [];
  return words.filter((word) => !keptNames.has(word) && !/[a-z][A-Z]|_|\d|\w\.\w|^[A-Z]{2,}/.test(word));
}
