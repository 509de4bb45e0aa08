import { AppError, isAppError, type ErrorCode } from '../../../shared/errors.ts';
import type { AuditEntry, AuditOutcome, AuditRow, ValidAuditEntry } from './audit-row.ts';
import type { AuditFinish, AuditTrail } from './audit-trail.ts';

// Errors meaning "the app decided not to do it" rather than "it was tried and failed".
const refusalCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'PERMISSION_DENIED',
  'BLOCKED_COMMAND',
  'FORBIDDEN_ORIGIN',
  'INVALID_INPUT',
  'KEYCHAIN_UNAVAILABLE',
  'LIMIT_REACHED',
  'KUBECONFIG_INVALID',
  'VPN_PROFILE_INVALID',
]);

/**
 * One action in flight: its "started" row is durable and anchored; `finish` chains the outcome
 * to it (the outcome row names `startedSeq`). Finish exactly once.
 */
export class AuditAction {
  readonly started: AuditRow;
  private readonly trail: AuditTrail;
  private readonly intent: ValidAuditEntry;
  private finished = false;

  constructor(trail: AuditTrail, intent: ValidAuditEntry, started: AuditRow) {
    this.trail = trail;
    this.intent = intent;
    this.started = started;
  }

  /** Records the outcome and resolves once it is anchored (acknowledged). */
  async finish(outcome: Exclude<AuditOutcome, 'started'>, facts: AuditFinish = {}): Promise<AuditRow> {
    if (this.finished) throw new AppError('INTERNAL', `The outcome of audit row ${this.started.seq} was already recorded.`, undefined, { key: 'environments.audit.outcomeRecorded', params: { seq: this.started.seq } });
    this.finished = true;
    const base = { ...this.intent, outcome, ...(facts.error === undefined ? {} : { error: facts.error }) };
    const entry: AuditEntry = { ...base, details: { ...this.intent.details, ...facts.details, startedSeq: this.started.seq } };
    let row: AuditRow;
    try {
      row = await this.trail.appendEntryQueued(entry);
    } catch (error) {
      // Details that grew too large must not cost the outcome row: keep the link and say so.
      if (!isAppError(error) || error.code !== 'INVALID_INPUT') throw error;
      row = await this.trail.appendEntryQueued({ ...base, details: { startedSeq: this.started.seq, detailsDropped: error.message.slice(0, 300) } });
    }
    await this.trail.acknowledged(row);
    return row;
  }

  /** The action threw: records failure or refusal (by the error's code) with its message. */
  fail(error: unknown): Promise<AuditRow> {
    return this.finish(outcomeOf(error), { error: errorMessage(error) });
  }
}

export function outcomeOf(error: unknown): Exclude<AuditOutcome, 'started'> {
  return isAppError(error) && refusalCodes.has(error.code) ? 'refused' : 'failure';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
