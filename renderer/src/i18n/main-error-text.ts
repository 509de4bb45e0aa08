import type { MessageText } from '../../../shared/errors.ts';

/** What the translator needs of vue-i18n: the locale, whether a key exists, and rendering it. */
export interface Translator {
  readonly locale: string;
  has(key: string): boolean;
  render(key: string, params: Record<string, string | number>): string;
}

/** A message main wrote: its English text and, when main keyed it, the key and parameters. */
export interface MainMessage {
  readonly message: string;
  readonly text?: MessageText | undefined;
}

/**
 * Parameters that name a phrase rather than carry a value: `whyKey` names a `mainErrors.permissionWhy`
 * sentence, `doingKey` a `mainErrors.doing` phrase (what the app was doing). Each is rendered with the
 * message's parameters and passed in as `why` / `doing`.
 */
const phraseParams = [
  { param: 'whyKey', group: 'mainErrors.permissionWhy', as: 'why' },
  { param: 'doingKey', group: 'mainErrors.doing', as: 'doing' },
] as const;

/**
 * Main's message in the window's language. English windows show main's own text (it is the
 * source the English keys mirror, and may say more); other languages render the key under
 * `mainErrors`. A key the window does not know (a newer main, a typo) falls back to the
 * English text, never to the bare key; so does a phrase parameter (`phraseParams`) naming an unknown phrase.
 */
export function mainErrorText(error: MainMessage, translator: Translator): string {
  const text = error.text;
  if (text === undefined || translator.locale === 'en') return error.message;
  const key = `mainErrors.${text.key}`;
  if (!translator.has(key)) return error.message;
  const params = renderedParams(text, translator);
  return params === undefined ? error.message : translator.render(key, params);
}

/** The message's parameters with each phrase parameter's phrase rendered in; undefined if one is unknown. */
export function renderedParams(text: MessageText, translator: Translator): Record<string, string | number> | undefined {
  const params: Record<string, string | number> = { ...(text.params ?? {}) };
  for (const phrase of phraseParams) {
    const name = params[phrase.param];
    if (typeof name !== 'string') continue;
    const key = `${phrase.group}.${name}`;
    if (!translator.has(key)) return undefined;
    params[phrase.as] = translator.render(key, params);
  }
  return params;
}
