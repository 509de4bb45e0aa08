import type { AllowDecision, BlockDecision, CommandDecision, CommandMode, ConfirmationDecision } from './command-decision.ts';
import { decideEngineCommand, type EngineTarget } from './engine-policy.ts';
import { decideKubectl, type KubectlTarget } from './kubectl-policy.ts';
import type { OneShotLimits, OneShotResult, ProcessRequest, ProcessRunner, StreamLimits, StreamSession } from './process-runner.ts';
import type { StreamingSessions } from './streaming-sessions.ts';
import { tokenizeCommandLine } from './tokenize.ts';

/**
 * The one path from typed words to a process: decide, and only on `allow` run. The wiring
 * layer (handlers/command-runs.ts) tokenizes once, decides once, writes the durable "started"
 * audit row and then hands the allowed decision to `runAllowed` / `openAllowed`.
 */
export type CommandTarget = ({ readonly runtime: 'kubernetes' } & KubectlTarget) | ({ readonly runtime: 'engine' } & EngineTarget);

export interface CommandInput {
  readonly operatorId: string;
  readonly line: string;
  readonly target: CommandTarget;
  readonly production: boolean;
  readonly confirmation?: string;
}

export type Refused = BlockDecision | ConfirmationDecision;

/** Decides already-tokenized words: the pipeline tokenizes exactly once. */
export function decideWords(argv: readonly string[], input: Omit<CommandInput, 'line'>, mode: CommandMode): CommandDecision {
  const base = { argv, mode, production: input.production, ...(input.confirmation === undefined ? {} : { confirmation: input.confirmation }) };
  return input.target.runtime === 'kubernetes' ? decideKubectl({ ...base, target: input.target }) : decideEngineCommand({ ...base, target: input.target });
}

export function decideCommand(input: CommandInput, mode: CommandMode): CommandDecision {
  const tokens = tokenizeCommandLine(input.line);
  if (!tokens.ok) return tokens.refusal;
  return decideWords(tokens.argv, input, mode);
}

/** What the runner gets from an allowed decision; a resolved host tool runs by its absolute path. */
export function processRequest(decision: AllowDecision): ProcessRequest {
  return { argv: decision.argv, auditArgv: decision.auditArgv, ...(decision.program === undefined ? {} : { program: decision.program }) };
}

/** The argv for a remote host: the resolved absolute path replaces the bare name. */
export function remoteArgv(decision: AllowDecision): readonly string[] {
  return decision.program === undefined ? decision.argv : [decision.program, ...decision.argv.slice(1)];
}

export class CommandExecution {
  private readonly runner: ProcessRunner;
  private readonly sessions: StreamingSessions;

  constructor(runner: ProcessRunner, sessions: StreamingSessions) {
    this.runner = runner;
    this.sessions = sessions;
  }

  /** Runs a decision the pipeline already allowed (and audited as started). */
  runAllowed(decision: AllowDecision, limits?: Partial<OneShotLimits>): Promise<OneShotResult> {
    return this.runner.runOnce(processRequest(decision), decision.kind, limits);
  }

  /** Throws AppError LIMIT_REACHED when the operator already has three sessions. */
  openAllowed(operatorId: string, decision: AllowDecision, limits?: Partial<StreamLimits>): StreamSession {
    return this.sessions.open(operatorId, processRequest(decision), limits);
  }

  async runOnce(input: CommandInput, limits?: Partial<OneShotLimits>): Promise<{ outcome: 'ran'; result: OneShotResult } | { outcome: 'refused'; decision: Refused }> {
    const decision = decideCommand(input, 'one-shot');
    if (decision.decision !== 'allow') return { outcome: 'refused', decision };
    return { outcome: 'ran', result: await this.runAllowed(decision, limits) };
  }

  openStream(input: CommandInput, limits?: Partial<StreamLimits>): { outcome: 'streaming'; session: StreamSession } | { outcome: 'refused'; decision: Refused } {
    const decision = decideCommand(input, 'streaming');
    if (decision.decision !== 'allow') return { outcome: 'refused', decision };
    return { outcome: 'streaming', session: this.openAllowed(input.operatorId, decision, limits) };
  }
}
