import type { ConnectionMethod } from '../../../shared/contract/connections.ts';
import type { ConnectionTest, EnvironmentView } from '../../../shared/contract/environments.ts';
import { bodyMessageText, type ErrorCode } from '../../../shared/errors.ts';
import { mainLine } from '../i18n/main-lines.ts';
import type { Translator } from '../i18n/main-error-text.ts';

/** Where a row's target is, as one line: the API server, the socket, or user@host:port → socket. */
export function whereOf(environment: EnvironmentView): string {
  if (environment.kubernetes) return environment.kubernetes.server;
  const socket = environment.engine?.socketPath ?? '';
  const ssh = environment.connection.ssh;
  return environment.engine?.location === 'ssh' && ssh ? `${ssh.username}@${ssh.host}:${ssh.port} → ${socket}` : socket;
}

/** A row's last test as the tag reads it (the store's TestOutcome; a window failure's message is already in its language). */
type TagOutcome = { state: 'testing' } | ConnectionTest | { state: 'failed'; failure: { message: string | undefined } };

/** The method tag's state for a row, from its last test; the reason in the window's language. */
export function tagStateOf(
  outcome: TagOutcome | undefined,
  translator: Translator,
): {
  state: 'idle' | 'connecting' | 'connected' | 'failed';
  current?: ConnectionMethod | undefined;
  reason?: string | undefined;
} {
  if (outcome === undefined) return { state: 'idle' };
  switch (outcome.state) {
    case 'testing':
      return { state: 'connecting' };
    case 'connected':
      return { state: 'connected', current: outcome.method, reason: mainLine(outcome.reason, outcome.reasonText, translator) };
    case 'needs-host-key-confirmation':
      return { state: 'idle', current: outcome.method, reason: mainLine(outcome.reason, outcome.reasonText, translator) };
    case 'error':
      return { state: 'failed', current: outcome.method, reason: mainLine(outcome.error.message, bodyMessageText(outcome.error), translator) };
    case 'failed':
      return { state: 'failed', reason: outcome.failure.message };
  }
}

const hinted = [
  'UNREACHABLE',
  'AUTH_FAILED',
  'KEY_PASSPHRASE_INVALID',
  'HOST_KEY_CHANGED',
  'KUBECONFIG_INVALID',
  'CREDENTIAL_PLUGIN_FAILED',
  'KEYCHAIN_UNAVAILABLE',
  'VPN_FAILED',
  'VPN_PROFILE_INVALID',
  'LAUNCHER_REFUSED',
  'PERMISSION_DENIED',
  'TIMEOUT',
] as const satisfies readonly ErrorCode[];
type HintedCode = (typeof hinted)[number];

/** What to do about a failed test, for the codes the user can act on. */
export function errorHintKey(code: ErrorCode | 'UNEXPECTED'): `environments.hints.${HintedCode}` | undefined {
  return (hinted as readonly string[]).includes(code) ? `environments.hints.${code as HintedCode}` : undefined;
}
