import { AppError, type MessageText } from './errors.ts';

/**
 * Parameters of a keyed message (AppError `text`) that are prose rather than data, so that a Korean
 * window can say them in Korean too. Each keeps main's English under the parameter's own name (what
 * an older window shows) and adds what the window needs to say it in its language:
 * - a phrase (`label`, `where`): `<slot>Key` names a `mainErrors.<slot>` phrase, its names beside it;
 * - another keyed message inside this one (`detail`): `<slot>Key` names its key, its parameters sit under `<slot>.`;
 * - a list of keyed messages (`lookedFor`): `<slot>Items` counts them, each a nested message at `<slot>.<i>`.
 * The window renders them in renderer/src/i18n/main-error-text.ts (`renderedParams`).
 */
export type Params = Record<string, string | number>;

/** The phrases a message names its subject with; their `{name}`s are data. The English is main's. */
export const subjectPhrases = {
  label: {
    environment: 'environment "{labelName}"',
    context: 'context "{labelName}"',
  },
  where: {
    socket: 'The socket {wherePath}',
    dockerDaemon: 'The Docker daemon at {wherePath}',
    engineSocket: 'The engine socket {wherePath}',
    engineSocketOn: 'The engine socket {wherePath} on {whereHost}',
  },
} as const;

/** A phrase of `subjectPhrases` with its names, and main's English of it. */
export interface SubjectPhrase<Slot extends keyof typeof subjectPhrases = keyof typeof subjectPhrases> {
  readonly slot: Slot;
  readonly key: keyof (typeof subjectPhrases)[Slot] & string;
  readonly params: Readonly<Params>;
  readonly english: string;
}

function phrase<Slot extends keyof typeof subjectPhrases>(slot: Slot, key: keyof (typeof subjectPhrases)[Slot] & string, params: Params): SubjectPhrase<Slot> {
  const template = (subjectPhrases[slot] as Record<string, string>)[key] ?? '';
  return { slot, key, params, english: template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole)) };
}

/** `environment "prod"`, `context "dev"`: what an OIDC or credential plugin message is about. */
export const labelOf = (kind: keyof (typeof subjectPhrases)['label'], name: string): SubjectPhrase<'label'> => phrase('label', kind, { labelName: name });

/** `The socket /run/docker.sock`, `The engine socket /x on ops@host`: the engine an identity check asked. */
export const whereOf = (kind: keyof (typeof subjectPhrases)['where'], path: string, host?: string): SubjectPhrase<'where'> =>
  phrase('where', kind, host === undefined ? { wherePath: path } : { wherePath: path, whereHost: host });

/** A phrase as parameters: main's English at its slot, the key at `<slot>Key`, its names. */
export const phraseParams = <Slot extends keyof typeof subjectPhrases>(subject: SubjectPhrase<Slot>): Params => ({ [subject.slot]: subject.english, [`${subject.slot}Key`]: subject.key, ...subject.params });

/** Another message at `slot`: main's English there, and its key and parameters when it has them. */
export function nestedParams(slot: string, english: string, text: MessageText | undefined): Params {
  const params: Params = { [slot]: english };
  if (text === undefined) return params;
  params[`${slot}Key`] = text.key;
  for (const [name, value] of Object.entries(text.params ?? {})) params[`${slot}.${name}`] = value;
  return params;
}

/** What went wrong at `slot`: the error's English, and its key when main keyed it (an AppError). */
export const causeParams = (slot: string, error: unknown): Params => nestedParams(slot, error instanceof Error ? error.message : String(error), error instanceof AppError ? error.text : undefined);

/** Several messages at `slot`, joined with "; " in main's English. */
export function nestedListParams(slot: string, items: readonly { readonly english: string; readonly text: MessageText }[]): Params {
  const params: Params = { [slot]: items.map((item) => item.english).join('; '), [`${slot}Items`]: items.length };
  items.forEach((item, index) => Object.assign(params, nestedParams(`${slot}.${index}`, item.english, item.text)));
  return params;
}
