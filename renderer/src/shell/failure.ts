import { ApiError } from '../../../shared/contract/client.ts';
import { bodyMessageText, type ErrorBody, type ErrorCode } from '../../../shared/errors.ts';
import { i18n } from '../i18n/index.ts';
import { mainErrorText, type Translator } from '../i18n/main-error-text.ts';

/**
 * A failure as the window shows it. An ApiError's message was written for users by main and
 * is shown in the window's language (see mainErrorText); anything else is a bug in the window,
 * so it gets a generic text (`message` undefined) and never a stack or internal detail.
 */
export interface Failure {
  code: ErrorCode | 'UNEXPECTED';
  message: string | undefined;
}

/** The window's i18n instance as a Translator, read at the moment of the failure. */
export function windowTranslator(): Translator {
  const global = i18n.global;
  return {
    locale: global.locale.value,
    has: (key) => global.te(key, global.locale.value),
    render: (key, params) => (global.t as (key: string, params: Record<string, unknown>) => string)(key, params),
  };
}

export function toFailure(error: unknown): Failure {
  if (error instanceof ApiError) return { code: error.code, message: mainErrorText(error, windowTranslator()) };
  return { code: 'UNEXPECTED', message: undefined };
}

/** The text of an error body a stream ended with, in the window's language. */
export function bodyText(body: ErrorBody): string {
  return mainErrorText({ message: body.message, text: bodyMessageText(body) }, windowTranslator());
}
