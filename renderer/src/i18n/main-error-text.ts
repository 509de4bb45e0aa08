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
 * sentence, `doingKey` a `mainErrors.doing` phrase (what the app was doing), `labelKey` and `whereKey`
 * a subject phrase (shared/message-params.ts). Each is rendered with the message's parameters and
 * passed in as `why` / `doing` / `label` / `where`.
 */
const phraseParams = [
  { param: 'whyKey', group: 'mainErrors.permissionWhy', as: 'why' },
  { param: 'doingKey', group: 'mainErrors.doing', as: 'doing' },
  { param: 'labelKey', group: 'mainErrors.label', as: 'label' },
  { param: 'whereKey', group: 'mainErrors.where', as: 'where' },
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
  const params = renderedParams(text, translator);
  if (params === undefined) return undefined;
  for (const [name, parts] of Object.entries(text.parts ?? {})) {
    const rendered = parts.map((part) => keyedText(part, translator));
    if (rendered.some((part) => part === undefined)) return undefined;
    params[name] = joinParts(rendered as string[]);
  }
  return translator.render(key, params);
}

/**
 * The message's parameters with each phrase parameter's phrase rendered in; undefined if one is
 * unknown. Other messages inside it (shared/message-params.ts: `<slot>Key` with parameters under
 * `<slot>.`, lists counted by `<slot>Items`) are rendered into `<slot>`; one the window does not
 * know keeps main's English there.
 */
export function renderedParams(text: MessageText, translator: Translator): Record<string, string | number> | undefined {
  const given = text.params ?? {};
  const params: Record<string, string | number> = { ...given };
  for (const phrase of phraseParams) {
    const name = params[phrase.param];
    if (typeof name !== 'string') continue;
    const key = `${phrase.group}.${name}`;
    if (!translator.has(key)) return undefined;
    params[phrase.as] = translator.render(key, params);
  }
  for (const [name, value] of Object.entries(given)) {
    const slot = name.slice(0, -'Key'.length);
    if (!name.endsWith('Key') || slot.includes('.') || phraseParams.some((phrase) => phrase.param === name)) continue;
    const shown = nestedText(slot, value, given, translator);
    if (shown !== undefined) params[slot] = shown;
  }
  for (const [name, count] of Object.entries(given)) {
    if (!name.endsWith('Items') || typeof count !== 'number') continue;
    const slot = name.slice(0, -'Items'.length);
    const items = Array.from({ length: count }, (_, index) => nestedText(`${slot}.${index}`, given[`${slot}.${index}Key`], given, translator));
    if (items.every((item) => item !== undefined)) params[slot] = items.join('; ');
  }
  return params;
}

/** The message at `slot` (key `key`, parameters under `<slot>.`) in the window's language, if it knows it. */
function nestedText(slot: string, key: string | number | undefined, all: Readonly<Record<string, string | number>>, translator: Translator): string | undefined {
  if (typeof key !== 'string' || !translator.has(`mainErrors.${key}`)) return undefined;
  const prefix = `${slot}.`;
  const inner = Object.fromEntries(Object.entries(all).filter(([name]) => name.startsWith(prefix)).map(([name, value]) => [name.slice(prefix.length), value]));
  const params = renderedParams({ key, params: inner }, translator);
  return params === undefined ? undefined : translator.render(`mainErrors.${key}`, params);
}
