import type { AuditTrail } from '../../audit/audit-trail.ts';
import type { AuditDetails, AuditIntent, AuditOutcome, AuditRow } from '../../audit/audit-row.ts';
import { AppError, toErrorBody } from '../../../../shared/errors.ts';
import type { CommandMode } from '../command-decision.ts';
import type { RunResult } from '../process-runner.ts';
import { placeLabel, type CommandPlace } from './command-places.ts';

/** What the audit row says about how the command was handled. */
export type CommandAuditDecision = 'started' | 'ran' | 'blocked' | 'needs-confirmation' | 'limit-reached' | 'permission-denied' | 'failed-to-start';

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

/** A command whose "started" row is committed; `finish` writes the outcome chained to it. */
export interface StartedCommand {
  readonly seq: number;
  finish(facts: CommandAuditFacts): void;
}

type AuditPlace = CommandPlace | { env: { id: string; name: string }; label: string };

// The trail refuses details over 16,384 JSON characters; commands stay well inside it by cutting
// the argv deterministically (fewer and shorter words) instead of failing after the run.
const detailsBudget = 12_000;
const wordCaps = [300, 100, 40, 20] as const;
const countCaps = [100, 40, 10, 5] as const;

/** Well-formed text (lone surrogates → U+FFFD) cut to `max` characters, never inside a pair. */
export function fitText(text: string, max: number): string {
  const whole = text.toWellFormed();
  if (whole.length <= max) return whole;
  const cut = [...whole.slice(0, max)].join('');
  const end = /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
  return `${end}…`;
}

export function fitArgv(argv: readonly string[], level: number): { argv: string[]; cut: boolean } {
  const wordCap = wordCaps[level] ?? 20;
  const countCap = countCaps[level] ?? 5;
  const words = argv.slice(0, countCap).map((word) => fitText(word, wordCap));
  const cut = argv.length > countCap || words.some((word, i) => word !== argv[i]);
  return { argv: argv.length > countCap ? [...words, `… ${argv.length - countCap} more`] : words, cut };
}

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
    if (match === null) return fitText(word, 300);
    if (match[2] === '' && !word.includes('=')) maskNext = true;
    return match[2] === '' ? word : `${match[1] ?? ''}<redacted>`;
  });
}

/**
 * Writes the one audit row every command gets — ran (exit code, duration, bytes, end reason),
 * blocked (rule), needs confirmation, limit reached, permission refused. Output is not stored.
 */
/** What the command audit needs of the trail: the started row through begin(), every other row through record(). */
export type CommandTrail = Pick<AuditTrail, 'record' | 'status'> & { begin(intent: AuditIntent): { readonly started: Pick<AuditRow, 'seq'> } };

export class CommandAudit {
  private readonly trail: CommandTrail;
  private readonly operator: string;

  constructor(trail: CommandTrail, operator: string) {
    this.trail = trail;
    this.operator = operator;
  }

  /** Before anything runs: a command that could not be recorded must not run. */
  requireWritable(): void {
    const status = this.trail.status();
    if (!status.writable) throw new AppError('AUDIT_UNAVAILABLE', status.reason, undefined, { key: 'operations.commands.auditUnavailable', params: { detail: status.reason } });
  }

  /**
   * Writes the durable "started" row; throws (and nothing may run) when it cannot be written.
   * The returned handle writes the outcome row, chained to this one by `startedSeq`.
   */
  start(place: AuditPlace, facts: Omit<CommandAuditFacts, 'decision' | 'result' | 'error' | 'rule'>): StartedCommand {
    const row = this.write(place, { ...facts, decision: 'started' }, commandAuditAction, 'started', {});
    return {
      seq: row.seq,
      finish: (outcome) => {
        this.write(place, outcome, commandAuditAction, outcomeOf(outcome), { startedSeq: row.seq });
      },
    };
  }

  /** One row for a request that never reached a process (refusals, failures before the start). */
  record(place: AuditPlace, facts: CommandAuditFacts): void {
    this.write(place, facts, commandAuditAction, outcomeOf(facts), {});
  }

  private write(place: AuditPlace, facts: CommandAuditFacts, action: string, outcome: AuditOutcome, extra: AuditDetails): { seq: number } {
    const target = fitText('label' in place ? place.label : placeLabel(place), 400);
    const result = facts.result;
    const base: AuditDetails = {
      operator: fitText(this.operator, 200),
      mode: facts.mode,
      decision: facts.decision,
      ...extra,
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
    const first = fitArgv(facts.argv, 0);
    let details: AuditDetails = { ...base, argv: first.argv, ...(first.cut ? { argvCut: true } : {}) };
    // Still too large (many escaped characters): fewer and shorter words, then a placeholder.
    for (let level = 1; level <= 4 && JSON.stringify(details).length > detailsBudget; level++) {
      details = { ...base, argv: level === 4 ? ['<command too long to record>'] : fitArgv(facts.argv, level).argv, argvCut: true };
    }
    const intent: AuditIntent = { action, target, ...(place.env.id === '' ? {} : { environmentId: place.env.id }), details };
    // The started row goes through the trail's own begin(): committed before anything runs.
    if (outcome === 'started') return { seq: this.trail.begin(intent).started.seq };
    const row = this.trail.record({ ...intent, outcome, ...(facts.error === undefined ? {} : { error: fitText(facts.error, 1_900) }) });
    return { seq: row.seq };
  }
}

function placeDetails(place: CommandPlace): AuditDetails {
  if (place.runtime === 'kubernetes') return { runtime: 'kubernetes', namespace: fitText(place.namespace, 300) };
  return {
    runtime: place.engine,
    host: fitText(place.remoteHost ?? 'local', 300),
    ...(place.container === undefined ? {} : { container: fitText(place.container, 300) }),
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
