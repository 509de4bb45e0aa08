import { AppError, type MessageText } from '../../../shared/errors.ts';
import { causeParams } from '../../../shared/message-params.ts';
import { errorMessage } from './audit-action.ts';
import type { AuditFinding } from './audit-chain.ts';
import type { AuditKeyProblem } from './audit-key.ts';

/**
 * Why the audit trail refuses to record, in main's English and as keys of
 * `mainErrors.environments.audit.*` with their parameters, for the errors it throws and its status.
 */

/** The action of the rows only the trail writes. */
export const resealAction = 'audit.reseal';

/** Why the trail has no key: main's English, and the variant of `environments.audit.keyProblem` (or `.cannotVerify`) with its parameters. */
export interface KeyProblem {
  readonly message: string;
  readonly variant: 'notConnected' | 'headNotStored' | AuditKeyProblem;
  readonly params: Readonly<Record<string, string | number>>;
}

export const notConnected: KeyProblem = { message: 'The audit trail has not been connected to the OS keychain yet.', variant: 'notConnected', params: {} };

export function keyProblemText(problem: KeyProblem, prefix = ''): MessageText {
  return { key: `environments.audit.${prefix ? 'cannotVerify' : 'keyProblem'}.${problem.variant}`, params: problem.params };
}

export function keyProblemError(problem: KeyProblem, prefix = ''): AppError {
  return new AppError('AUDIT_UNAVAILABLE', `${prefix}${problem.message}`, undefined, keyProblemText(problem, prefix));
}

export function brokenMessage(finding: AuditFinding): string {
  return `The audit trail failed its integrity check: ${finding.message} KIOPS Desktop refuses operational actions until someone reviews the Audit Log and acknowledges the finding.`;
}

export function brokenText(finding: AuditFinding): MessageText {
  return { key: `environments.audit.broken.${finding.text.variant}`, params: finding.text.params };
}

export function brokenError(finding: AuditFinding): AppError {
  return new AppError('AUDIT_UNAVAILABLE', brokenMessage(finding), undefined, brokenText(finding));
}

export function anchorFailureMessage(failure: unknown): string {
  return `The audit head could not be stored (${errorMessage(failure)}), so actions would not be tamper-evident; KIOPS Desktop refuses them until it can (is the disk full or the keychain locked?).`;
}

export function anchorFailureText(failure: unknown): MessageText {
  return { key: 'environments.audit.anchorFailure', params: causeParams('detail', failure) };
}

export function anchorFailureError(failure: unknown): AppError {
  return new AppError('AUDIT_UNAVAILABLE', anchorFailureMessage(failure), undefined, anchorFailureText(failure));
}

export function writtenByTrail(): AppError {
  return new AppError('INVALID_INPUT', `"${resealAction}" rows are written by the trail itself.`, undefined, { key: 'environments.audit.writtenByTrail', params: { action: resealAction } });
}
