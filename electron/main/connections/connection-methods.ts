import type { ConnectionMethod, ConnectionPreferences, MethodAttempt } from '../../../shared/contract/connections.ts';
import { AppError, type ErrorCode, type MessageText } from '../../../shared/errors.ts';

/** Where an environment's target is: a cluster API, a local engine socket, or an engine on an SSH host. */
export type TargetPlace = 'kubernetes' | 'local-engine' | 'remote-engine';

const allowed: Record<TargetPlace, readonly ConnectionMethod[]> = {
  kubernetes: ['direct', 'ssh', 'vpn'],
  'local-engine': ['direct'],
  // An engine socket on another host is only reachable through SSH: straight, or inside a VPN.
  'remote-engine': ['ssh', 'vpn'],
};

const methodNames: Record<ConnectionMethod, string> = { direct: 'Direct', ssh: 'Direct SSH', vpn: 'VPN' };

export function methodLabel(method: ConnectionMethod): string {
  return methodNames[method];
}

/** Checks preferences against what the target allows; INVALID_INPUT says what to change. */
export function checkPreferences(place: TargetPlace, preferences: ConnectionPreferences): ConnectionPreferences {
  const { methods, selected } = preferences;
  if (new Set(methods).size !== methods.length) throw new AppError('INVALID_INPUT', 'Each connection method may appear only once in the priority list.', undefined, { key: 'connections.methods.listedTwice' });
  const refused = methods.filter((m) => !allowed[place].includes(m));
  if (refused.length > 0) {
    const [what, key] =
      place === 'local-engine' ? ['A local engine socket', 'notAllowedLocalEngine'] : place === 'remote-engine' ? ['An engine on an SSH host', 'notAllowedRemoteEngine'] : ['A Kubernetes cluster', 'notAllowedKubernetes'];
    const params = { refused: refused.map(methodLabel).join(', '), allowed: allowed[place].map(methodLabel).join(', ') };
    throw new AppError('INVALID_INPUT', `${what} cannot be reached with ${params.refused}; allowed: ${params.allowed}.`, undefined, { key: `connections.methods.${key}`, params });
  }
  if (selected !== 'auto' && !methods.includes(selected)) {
    throw new AppError('INVALID_INPUT', `${methodLabel(selected)} is selected but not among the environment's methods.`, undefined, { key: 'connections.methods.selectedNotListed', params: { method: methodLabel(selected) } });
  }
  const needsSsh = place === 'remote-engine' || methods.includes('ssh');
  if (needsSsh && preferences.ssh === undefined) throw new AppError('INVALID_INPUT', 'Direct SSH needs an SSH host, port, user and identity.', undefined, { key: 'connections.methods.sshNeedsHost' });
  if (!needsSsh && preferences.ssh !== undefined && place === 'local-engine') throw new AppError('INVALID_INPUT', 'A local engine socket is not reached over SSH.', undefined, { key: 'connections.methods.localEngineNotSsh' });
  if (methods.includes('vpn') && preferences.vpnProfileId === undefined) throw new AppError('INVALID_INPUT', 'The VPN method needs a registered VPN profile.', undefined, { key: 'connections.methods.vpnNeedsProfile' });
  return preferences;
}

/** The methods to probe, in order: the registered priority for Auto, else just the selected one. */
export function methodsToTry(preferences: ConnectionPreferences): ConnectionMethod[] {
  return preferences.selected === 'auto' ? [...preferences.methods] : [preferences.selected];
}

/** Why a method was chosen, naming the ones skipped before it. */
export function choiceReason(selectedAuto: boolean, attempts: readonly MethodAttempt[], chosen: MethodAttempt): string {
  if (!selectedAuto) return `${methodLabel(chosen.method)} (selected by you): ${chosen.reason}`;
  const skipped = attempts.filter((a) => a !== chosen && !a.healthy);
  const fallback = skipped.length === 0 ? 'first in priority and healthy' : `fell back after ${skipped.map((a) => `${methodLabel(a.method)} failed (${a.reason})`).join('; ')}`;
  return `Auto chose ${methodLabel(chosen.method)}, ${fallback}: ${chosen.reason}`;
}

/** A method's name as a part of a keyed reason (Korean names them in Korean). */
function methodText(method: ConnectionMethod): MessageText {
  return { key: `statusReasons.method.${method}` };
}

/** choiceReason as a key for the window's language; undefined when a reason it quotes is not keyed. */
export function choiceReasonText(selectedAuto: boolean, attempts: readonly MethodAttempt[], chosen: MethodAttempt): MessageText | undefined {
  if (chosen.reasonText === undefined) return undefined;
  const parts = { method: [methodText(chosen.method)], reason: [chosen.reasonText] };
  if (!selectedAuto) return { key: 'statusReasons.choice.selected', parts };
  const skipped = attempts.filter((a) => a !== chosen && !a.healthy);
  if (skipped.length === 0) return { key: 'statusReasons.choice.autoFirst', parts };
  const failed = attemptTexts('statusReasons.choice.failed', skipped);
  return failed === undefined ? undefined : { key: 'statusReasons.choice.autoFellBack', parts: { ...parts, failed } };
}

/** Each attempt as "<method> failed (<reason>)" (or another `key` with `method` and `reason`), undefined when one is not keyed. */
function attemptTexts(key: string, attempts: readonly MethodAttempt[]): MessageText[] | undefined {
  const texts: MessageText[] = [];
  for (const attempt of attempts) {
    if (attempt.reasonText === undefined) return undefined;
    texts.push({ key, parts: { method: [methodText(attempt.method)], reason: [attempt.reasonText] } });
  }
  return texts;
}

// What the user must act on first, when every method failed.
const actionable: readonly ErrorCode[] = ['HOST_KEY_CHANGED', 'HOST_KEY_UNKNOWN', 'KEY_PASSPHRASE_INVALID', 'AUTH_FAILED', 'KEYCHAIN_UNAVAILABLE', 'VPN_PROFILE_INVALID', 'LAUNCHER_REFUSED'];

/** Picks the error to show when no method works: one the user can fix beats "unreachable". */
export function primaryFailure(errors: readonly AppError[]): AppError | undefined {
  for (const code of actionable) {
    const found = errors.find((e) => e.code === code);
    if (found) return found;
  }
  return errors[0];
}

/** Thrown when no method could be used; carries every attempt so the UI can show them. */
export class NoUsableMethod extends AppError {
  readonly attempts: readonly MethodAttempt[];
  readonly primary: AppError;
  readonly method: ConnectionMethod | undefined;
  /** `message` as a key for the window's language: every attempt, or the primary failure alone. */
  readonly reasonText: MessageText | undefined;

  constructor(primary: AppError, attempts: readonly MethodAttempt[], method: ConnectionMethod | undefined) {
    const message = attempts.length > 1 ? `No connection method works. ${attempts.map((a) => `${methodLabel(a.method)}: ${a.reason}`).join(' ')}` : primary.message;
    const each = attemptTexts('statusReasons.noMethodWorks.attempt', attempts);
    // The window shows the attempts one by one; in another language the message is the primary failure's.
    super(primary.code, message, { ...primary.details, attempts: attempts.map((a) => ({ ...a })) }, primary.text);
    this.attempts = attempts;
    this.primary = primary;
    this.method = method;
    this.reasonText = attempts.length > 1 ? (each === undefined ? undefined : { key: 'statusReasons.noMethodWorks.all', parts: { attempts: each } }) : primary.text;
  }
}
