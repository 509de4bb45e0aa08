import type { AuditTrail } from '../../audit/audit-trail.ts';
import type { AuditDetails, AuditOutcome } from '../../audit/audit-row.ts';
import { AppError, toErrorBody } from '../../../../shared/errors.ts';
import type { CommandMode } from '../command-decision.ts';
import type { RunResult } from '../process-runner.ts';
import { placeLabel, type CommandPlace } from './command-places.ts';

/** What the audit row says about how the command was handled. */
export type CommandAuditDecision = 'ran' | 'blocked' | 'needs-confirmation' | 'limit-reached' | 'permission-denied' | 'failed-to-start';

export interface CommandAuditFacts {
  readonly mode: CommandMode;
  readonly decision: CommandAuditDecision;
  /** The argv as run (connection details as placeholders); for a refusal, the words as typed (flag secrets masked). */
  readonly argv: readonly string[];
  readonly rule?: string;
  readonly result?: RunResult;
  readonly error?: string;
}

export const commandAuditAction = 'command.run';

// Values of flags that could carry a credential are never written to the trail, even when the
// policy refused the command before anything ran.
const secretFlag = /^(--?(?:token|password|username|user|client-key|client-certificate|kubeconfig|as|as-group|as-uid|identity-file)(?:=|$))(.*)$/;

export function maskTypedArgv(words: readonly string[]): string[] {
  let maskNext = false;
  return words.slice(0, 100).map((word) => {
    if (maskNext) {
      maskNext = false;
      return '<redacted>';
    }
    const match = secretFlag.exec(word);
    if (match === null) return word.length > 300 ? `${word.slice(0, 300)}…` : word;
    if (match[2] === '' && !word.includes('=')) maskNext = true;
    return match[2] === '' ? word : `${match[1] ?? ''}<redacted>`;
  });
}

/**
 * Writes the one audit row every command gets — ran (exit code, duration, bytes, end reason),
 * blocked (rule), needs confirmation, limit reached, permission refused. Output is not stored.
 */
export class CommandAudit {
  private readonly trail: Pick<AuditTrail, 'record' | 'status'>;
  private readonly operator: string;

  constructor(trail: Pick<AuditTrail, 'record' | 'status'>, operator: string) {
    this.trail = trail;
    this.operator = operator;
  }

  /** Before anything runs: a command that could not be recorded must not run. */
  requireWritable(): void {
    const status = this.trail.status();
    if (!status.writable) throw new AppError('AUDIT_UNAVAILABLE', status.reason);
  }

  record(place: CommandPlace | { env: { id: string; name: string }; label: string }, facts: CommandAuditFacts): void {
    const target = 'label' in place ? place.label : placeLabel(place);
    const result = facts.result;
    const details: AuditDetails = {
      operator: this.operator,
      mode: facts.mode,
      decision: facts.decision,
      argv: [...facts.argv],
      ...('runtime' in place ? placeDetails(place) : {}),
      ...(facts.rule === undefined ? {} : { rule: facts.rule }),
      ...(result === undefined
        ? {}
        : {
            exitCode: result.exitCode,
            signal: result.signal,
            durationMs: result.durationMs,
            stdoutBytes: result.stdoutBytes,
            stderrBytes: result.stderrBytes,
            bytesOut: result.stdoutBytes + result.stderrBytes,
            endReason: result.endReason,
          }),
    };
    this.trail.record({
      action: commandAuditAction,
      target,
      outcome: outcomeOf(facts),
      environmentId: place.env.id,
      ...(facts.error === undefined ? {} : { error: facts.error }),
      details,
    });
  }
}

function placeDetails(place: CommandPlace): AuditDetails {
  if (place.runtime === 'kubernetes') return { runtime: 'kubernetes', namespace: place.namespace };
  return {
    runtime: place.engine,
    host: place.remoteHost ?? 'local',
    ...(place.container === undefined ? {} : { container: place.container }),
  };
}

function outcomeOf(facts: CommandAuditFacts): AuditOutcome {
  if (facts.decision !== 'ran') return facts.decision === 'failed-to-start' ? 'failure' : 'refused';
  const result = facts.result;
  if (result === undefined) return 'failure';
  if (result.endReason === 'stopped') return 'success';
  return result.endReason === 'exited' && result.exitCode === 0 ? 'success' : 'failure';
}

export function errorText(error: unknown): string {
  return toErrorBody(error).message;
}
