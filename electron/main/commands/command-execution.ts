import type { BlockDecision, CommandDecision, CommandMode, ConfirmationDecision } from './command-decision.ts';
import { decideEngineCommand, type EngineTarget } from './engine-policy.ts';
import { decideKubectl, type KubectlTarget } from './kubectl-policy.ts';
import type { OneShotLimits, OneShotResult, ProcessRunner, StreamLimits, StreamSession } from './process-runner.ts';
import type { StreamingSessions } from './streaming-sessions.ts';
import { tokenizeCommandLine } from './tokenize.ts';

/**
 * The one path from a typed line to a process: tokenize, decide, and only on `allow` run.
 * The wiring layer audits every outcome this returns (blocked, needs-confirmation, ran).
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

export function decideCommand(input: CommandInput, mode: CommandMode): CommandDecision {
  const tokens = tokenizeCommandLine(input.line);
  if (!tokens.ok) return tokens.refusal;
  const base = { argv: tokens.argv, mode, production: input.production, ...(input.confirmation === undefined ? {} : { confirmation: input.confirmation }) };
  return input.target.runtime === 'kubernetes' ? decideKubectl({ ...base, target: input.target }) : decideEngineCommand({ ...base, target: input.target });
}

export class CommandExecution {
  private readonly runner: ProcessRunner;
  private readonly sessions: StreamingSessions;

  constructor(runner: ProcessRunner, sessions: StreamingSessions) {
    this.runner = runner;
    this.sessions = sessions;
  }

  async runOnce(input: CommandInput, limits?: Partial<OneShotLimits>): Promise<{ outcome: 'ran'; result: OneShotResult } | { outcome: 'refused'; decision: Refused }> {
    const decision = decideCommand(input, 'one-shot');
    if (decision.decision !== 'allow') return { outcome: 'refused', decision };
    const result = await this.runner.runOnce({ argv: decision.argv, auditArgv: decision.auditArgv }, decision.kind, limits);
    return { outcome: 'ran', result };
  }

  /** Throws AppError LIMIT_REACHED when the operator already has three sessions. */
  openStream(input: CommandInput, limits?: Partial<StreamLimits>): { outcome: 'streaming'; session: StreamSession } | { outcome: 'refused'; decision: Refused } {
    const decision = decideCommand(input, 'streaming');
    if (decision.decision !== 'allow') return { outcome: 'refused', decision };
    const session = this.sessions.open(input.operatorId, { argv: decision.argv, auditArgv: decision.auditArgv }, limits);
    return { outcome: 'streaming', session };
  }
}
