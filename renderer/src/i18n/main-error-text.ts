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
 * Main's message in the window's language. English windows show main's own text (it is the
 * source the English keys mirror, and may say more); other languages render the key under
 * `mainErrors`. A key the window does not know (a newer main, a typo) falls back to the
 * English text, never to the bare key. A `whyKey` parameter names a `mainErrors.permissionWhy`
 * sentence that is rendered with the same parameters and passed in as `why`.
 */
export function mainErrorText(error: MainMessage, translator: Translator): string {
  const text = error.text;
  if (text === undefined || translator.locale === 'en') return error.message;
  return keyedText(text, translator) ?? error.message;
}

/** A list of parts as main joins them: after a full sentence a space, otherwise "; ". */
function joinParts(parts: readonly string[]): string {
  return parts.reduce((joined, part, index) => (index === 0 ? part : `${joined}${/[.!?。]$/.test(joined) ? ' ' : '; '}${part}`), '');
}

/**
 * One keyed text rendered, or undefined when the window lacks its key (or a key of its parts).
 * `parts` are parameters that are main's own prose: each rendered the same way, a list joined.
 */
function keyedText(text: MessageText, translator: Translator): string | undefined {
  const key = `mainErrors.${text.key}`;
  if (!translator.has(key)) return undefined;
  const params: Record<string, string | number> = { ...(text.params ?? {}) };
  const whyKey = params['whyKey'];
  if (typeof whyKey === 'string') {
    const why = `mainErrors.permissionWhy.${whyKey}`;
    if (!translator.has(why)) return undefined;
    params['why'] = translator.render(why, params);
  }
  for (const [name, parts] of Object.entries(text.parts ?? {})) {
    const rendered = parts.map((part) => keyedText(part, translator));
    if (rendered.some((part) => part === undefined)) return undefined;
    params[name] = joinParts(rendered as string[]);
  }
  return translator.render(key, params);
}
