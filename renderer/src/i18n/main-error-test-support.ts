import { createI18n } from 'vue-i18n';
import { errorBodySchema, type AppError, type MessageText } from '../../../shared/errors.ts';
import { en } from './en.ts';
import { ko } from './ko.ts';
import type { Translator } from './main-error-text.ts';

/** For tests of main's keyed messages: the window's translator in one language, over the real messages. */
export function translator(locale: 'en' | 'ko'): Translator {
  const i18n = createI18n({ legacy: false, locale, fallbackLocale: 'en', messages: { en, ko } });
  return {
    locale,
    has: (key) => i18n.global.te(key, locale),
    render: (key, params) => (i18n.global.t as (key: string, params: Record<string, unknown>) => string)(key, params),
  };
}

/** An AppError through the envelope body, as the window receives it. */
export function received(error: AppError): { message: string; text?: MessageText } {
  const body = errorBodySchema.parse(JSON.parse(JSON.stringify(error.toBody())));
  return body.messageKey === undefined ? { message: body.message } : { message: body.message, text: { key: body.messageKey, params: body.params ?? {} } };
}

export const hangul = /[\uac00-\ud7a3]/;
