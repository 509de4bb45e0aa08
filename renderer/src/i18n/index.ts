import { createI18n } from 'vue-i18n';
import { en, type MessageSchema } from './en.ts';
import { ko } from './ko.ts';

export const locales = ['ko', 'en'] as const;
export type Locale = (typeof locales)[number];

/** Each language named in itself, as a language switch shows it. */
export const localeNames: Record<Locale, string> = { ko: '한국어', en: 'English' };

/** Korean for a Korean system (`ko`, `ko-KR`, …), English for everything else. */
export function localeFromLanguage(language: string | undefined): Locale {
  return language?.toLowerCase().split('-')[0] === 'ko' ? 'ko' : 'en';
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

export const messages: Record<Locale, MessageSchema> = { en, ko };

/** The one i18n instance: components use `useI18n()`, code outside components `i18n.global.t`. */
export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: 'en',
  fallbackLocale: 'en',
  messages,
});

declare module 'vue-i18n' {
  // Makes `t('audit.title')` key-checked against the English messages.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  export interface DefineLocaleMessage extends MessageSchema {}
}
