import { z } from 'zod';
import { keyedTextSchema, type KeyedText } from './contract/keyed-text.ts';

/**
 * Every failure that crosses the IPC boundary carries one of these codes. The renderer
 * chooses its wording and retry affordance from the code; the message is already readable.
 */
export const errorCodes = [
  'INVALID_INPUT',
  'UNKNOWN_CALL',
  'FORBIDDEN_ORIGIN',
  'PERMISSION_DENIED',
  'NOT_FOUND',
  'CONFLICT',
  'UNAVAILABLE',
  /** The window lost its connection to the main process (browser mode's server went away). */
  'DISCONNECTED',
  'TIMEOUT',
  'KEYCHAIN_UNAVAILABLE',
  'AUDIT_UNAVAILABLE',
  // Stored data failed validation on read (hand-edited, disk damage): say so instead of crashing.
  'STORAGE_CORRUPT',
  // The data folder was written by a newer app version; opening it could corrupt it.
  'STORAGE_NEWER_VERSION',
  'BLOCKED_COMMAND',
  'LIMIT_REACHED',
  'CANCELLED',
  'INTERNAL',
  // Connections (SSH, kubeconfig). Each names the host or file in its message.
  'UNREACHABLE',
  'AUTH_FAILED',
  // An encrypted private key with no passphrase, or a passphrase that does not open it.
  'KEY_PASSPHRASE_INVALID',
  // First connection to an SSH host: the user must confirm its fingerprint before it is pinned.
  'HOST_KEY_UNKNOWN',
  // A pinned SSH host key no longer matches: possible interception, never connect silently.
  'HOST_KEY_CHANGED',
  'KUBECONFIG_INVALID',
  // A kubeconfig exec credential plugin failed, timed out or printed something unusable.
  'CREDENTIAL_PLUGIN_FAILED',
  // VPN: the tunnel never came up or dropped (message carries the scrubbed tail of the VPN's log),
  // the profile was refused (script hooks, plugins, file references), or the privileged launcher
  // (sudo -n, pkexec) refused to start the VPN program.
  'VPN_FAILED',
  'VPN_PROFILE_INVALID',
  'LAUNCHER_REFUSED',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export const errorBodySchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
  /**
   * The message as a translation key plus its parameters, for the window to show in the
   * operator's language; `message` stays the English text it falls back to.
   */
  messageKey: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  /** Parameters that are main's own prose, keyed too (see keyedTextSchema `parts`). */
  messageParts: keyedTextSchema.shape.parts,
});

export type ErrorBody = z.infer<typeof errorBodySchema>;

/** A message main wrote, as a key of the window's `errors` messages and its parameters. */
export interface MessageText {
  readonly key: string;
  readonly params?: Readonly<Record<string, string | number>>;
  /** Parameters that are main's own prose: keyed texts the window renders into the parameter of that name. */
  readonly parts?: Readonly<Record<string, MessageText[]>>;
}

/** An error a service throws on purpose: its code and message reach the user unchanged. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly text: MessageText | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, text?: MessageText) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
    this.text = text;
  }

  toBody(): ErrorBody {
    const body: ErrorBody = { code: this.code, message: this.message };
    if (this.details !== undefined) body.details = this.details;
    if (this.text !== undefined) {
      body.messageKey = this.text.key;
      if (this.text.params !== undefined) body.params = { ...this.text.params };
      if (this.text.parts !== undefined) body.messageParts = keyedParts(this.text.parts);
    }
    return body;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/**
 * Turns anything thrown into an envelope body. Unexpected errors keep a generic message so
 * stacks, paths or secrets inside them never reach the renderer.
 */
export function toErrorBody(error: unknown): ErrorBody {
  if (isAppError(error)) return error.toBody();
  return { code: 'INTERNAL', message: 'An unexpected error occurred in the app. It has been logged; try again.' };
}

/** A message text as plain data for a reply (copies, so a reply never shares main's objects). */
export function keyedText(text: MessageText): KeyedText {
  return { key: text.key, ...(text.params === undefined ? {} : { params: { ...text.params } }), ...(text.parts === undefined ? {} : { parts: keyedParts(text.parts) }) };
}

function keyedParts(parts: NonNullable<MessageText['parts']>): Record<string, KeyedText[]> {
  return Object.fromEntries(Object.entries(parts).map(([name, texts]) => [name, texts.map(keyedText)]));
}

/** Main's nested reason as the `detail` part of a key, so the window words it too (nothing when it is not keyed). */
export function detailPart(text: MessageText | undefined): Pick<MessageText, 'parts'> {
  return text === undefined ? {} : { parts: { detail: [text] } };
}

/** The text an error body carries, as the window reads it (undefined when main did not key it). */
export function bodyMessageText(body: Pick<ErrorBody, 'messageKey' | 'params' | 'messageParts'>): MessageText | undefined {
  if (body.messageKey === undefined) return undefined;
  return { key: body.messageKey, ...(body.params === undefined ? {} : { params: body.params }), ...(body.messageParts === undefined ? {} : { parts: body.messageParts }) };
}
