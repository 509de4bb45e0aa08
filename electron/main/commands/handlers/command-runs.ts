import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { CommandRunResult, CommandStreamEvent } from '../../../../shared/contract/commands.ts';
import { AppError, isAppError } from '../../../../shared/errors.ts';
import { type BlockDecision, type CommandDecision, type CommandMode } from '../command-decision.ts';
import { decideCommand, type CommandExecution, type CommandInput, type CommandTarget } from '../command-execution.ts';
import { kubeconfigPlaceholder } from '../kubectl-policy.ts';
import { oneShotDeadlineMs, oneShotOutputLimitBytes, type OneShotLimits, type OneShotResult, type OutputChunk, type StreamLimits, type StreamSession } from '../process-runner.ts';
import type { StreamingSessions } from '../streaming-sessions.ts';
import { tokenizeCommandLine } from '../tokenize.ts';
import { errorText, maskTypedArgv, type CommandAudit } from './command-audit.ts';
import type { CommandPlace, CommandPlaces, CommandPorts } from './command-places.ts';
import { guardContainerExec } from './exec-cleanup.ts';
import { cutShortReasons, endOfFollow, endOfWatch, linkLostNote } from './run-endings.ts';
import { runOnRemoteHost } from './remote-run.ts';
import { openRemoteStream, type StreamStarter } from './remote-stream.ts';

export interface CommandRequest {
  readonly serviceId: string;
  readonly line: string;
  readonly container?: string | undefined;
  readonly confirmation?: string | undefined;
}

export interface CommandRunsOptions {
  readonly places: CommandPlaces;
  readonly runtime: CommandPorts['runtime'];
  readonly frame: CommandPorts['frame'];
  readonly execution: CommandExecution;
  readonly sessions: StreamingSessions;
  /** The sessions' start function: remote requests go to the SSH host (see remote-stream.ts). */
  readonly starter: StreamStarter;
  readonly audit: CommandAudit;
  /** The OS user: one app instance per operator, so the 3-session limit is theirs. */
  readonly operatorId: string;
  /** Tests shorten the limits; production uses the runner's defaults (30/60 s, 10 min, 5 MB). */
  readonly oneShotLimits?: Partial<OneShotLimits>;
  readonly streamLimits?: Partial<StreamLimits>;
}

type StreamEmit = (event: CommandStreamEvent) => void;

export const blockedCommandError = (refusal: BlockDecision): AppError =>
  new AppError('BLOCKED_COMMAND', refusal.message, { rule: refusal.rule, message: refusal.message, hint: refusal.hint });

/**
 * One-shot runs and streaming sessions of the Command Execution tab. Every path asks the
 * `commands` permission first, decides the line under the policy before any credential is
 * written or process started, and ends in exactly one audit row.
 */
export class CommandRuns {
  private readonly options: CommandRunsOptions;

  constructor(options: CommandRunsOptions) {
    this.options = options;
  }

  async runOnce(request: CommandRequest): Promise<CommandRunResult> {
    const place = await this.prepare(request, 'one-shot');
    const decision = this.decide(place, request, 'one-shot', kubeconfigPlaceholder);
    if (decision.decision !== 'allow') return this.refuse(place, request, 'one-shot', decision);
    const { audit } = this.options;
    let result: OneShotResult;
    try {
      const execGuard = await guardContainerExec(this.options.runtime, place, decision.argv).catch(() => undefined);
      const running = place.runtime === 'engine' && place.remoteHost !== null ? this.runRemote(place, decision.argv, decision.auditArgv, decision.kind) : this.runLocal(place, request);
      execGuard?.started();
      result = await running;
      await execGuard?.end(cutShortReasons.has(result.endReason), result.endReason === 'link-lost');
    } catch (error) {
      audit.record(place, { mode: 'one-shot', decision: 'failed-to-start', argv: decision.auditArgv, error: errorText(error) });
      throw error;
    }
    audit.record(place, { mode: 'one-shot', decision: 'ran', argv: result.argv, result, ...linkLostNote(place, result) });
    return {
      decision: 'ran',
      stdout: result.stdout,
      stderr: result.stderr,
      exitCode: result.exitCode,
      signal: result.signal,
      durationMs: result.durationMs,
      endReason: result.endReason,
      truncated: result.endReason === 'output-limit',
      argvShown: [...result.argv],
    };
  }

  async stream(request: CommandRequest, emit: StreamEmit, signal: AbortSignal): Promise<void> {
    const place = await this.prepare(request, 'streaming');
    const { audit, sessions, operatorId } = this.options;
    const decision = this.decide(place, request, 'streaming', kubeconfigPlaceholder);
    if (decision.decision === 'needs-confirmation') {
      this.refuse(place, request, 'streaming', decision);
      emit({ kind: 'needs-confirmation', confirmText: decision.confirmText, message: decision.message });
      return;
    }
    if (decision.decision === 'block') {
      this.refuse(place, request, 'streaming', decision);
      throw blockedCommandError(decision);
    }
    const kubeconfig = await this.kubeconfigFor(place);
    const execGuard = await guardContainerExec(this.options.runtime, place, decision.argv).catch(() => undefined);
    let session: StreamSession;
    // Remote sessions report when the command runs on the host (or why it could not start).
    let started: Promise<void> | undefined;
    try {
      if (place.runtime === 'engine' && place.remoteHost !== null) {
        ({ session, started } = openRemoteStream(this.options.starter, sessions, this.options.runtime, {
          operatorId,
          environmentId: place.env.id,
          argv: decision.argv,
          auditArgv: decision.auditArgv,
          limits: this.options.streamLimits,
        }));
      } else {
        const opened = this.options.execution.openStream(this.input(place, request, kubeconfig?.path ?? kubeconfigPlaceholder), this.options.streamLimits);
        if (opened.outcome !== 'streaming') throw new AppError('INTERNAL', 'The command was decided differently the second time and was not run.');
        session = opened.session;
      }
    } catch (error) {
      await kubeconfig?.dispose();
      if (isAppError(error) && error.code === 'LIMIT_REACHED') audit.record(place, { mode: 'streaming', decision: 'limit-reached', argv: decision.auditArgv, error: error.message });
      else if (!isAppError(error) || error.code !== 'INTERNAL') audit.record(place, { mode: 'streaming', decision: 'failed-to-start', argv: decision.auditArgv, error: errorText(error) });
      throw error;
    }
    const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
    const forward = (chunk: OutputChunk): void => {
      const text = decoders[chunk.stream].write(chunk.data);
      if (text !== '') emit({ kind: 'output', stream: chunk.stream, text });
    };
    // Output that arrives before 'started' is emitted waits, so 'started' always comes first.
    const pending: OutputChunk[] = [];
    let live = false;
    const unsubscribe = session.onOutput((chunk) => (live ? forward(chunk) : pending.push(chunk)));
    const stop = (): void => session.stop();
    signal.addEventListener('abort', stop, { once: true });
    if (signal.aborted) stop();
    if (started !== undefined) {
      try {
        await started;
      } catch (error) {
        unsubscribe();
        signal.removeEventListener('abort', stop);
        await session.done;
        audit.record(place, { mode: 'streaming', decision: 'failed-to-start', argv: decision.auditArgv, error: errorText(error) });
        throw error;
      }
    }
    emit({ kind: 'started', argvShown: [...decision.auditArgv], running: sessions.running(operatorId), limit: sessions.limitPerOperator });
    live = true;
    pending.splice(0).forEach(forward);
    execGuard?.started();
    const result = await endOfFollow(place, decision.argv, endOfWatch(place, decision.argv, await session.done), async () => (await this.options.runtime.engine(place.env.id)).docker);
    await execGuard?.end(cutShortReasons.has(result.endReason), result.endReason === 'link-lost');
    unsubscribe();
    signal.removeEventListener('abort', stop);
    await kubeconfig?.dispose();
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = decoders[stream].end();
      if (rest !== '') emit({ kind: 'output', stream, text: rest });
    }
    audit.record(place, { mode: 'streaming', decision: 'ran', argv: result.argv, result, ...linkLostNote(place, result) });
    emit({ kind: 'ended', endReason: result.endReason, exitCode: result.exitCode, signal: result.signal, durationMs: result.durationMs, bytes: result.stdoutBytes + result.stderrBytes });
  }

  /** Permission (refusal audited), audit writability, then where the command runs. */
  private async prepare(request: CommandRequest, mode: CommandMode): Promise<CommandPlace> {
    const { places, frame, audit } = this.options;
    const service = places.service(request.serviceId);
    audit.requireWritable();
    try {
      await frame.requirePermission(request.serviceId, 'commands');
    } catch (error) {
      audit.record({ env: service.environment, label: `${service.environment.name}/service/${service.name}` }, { mode, decision: 'permission-denied', argv: typedArgv(request.line), error: errorText(error) });
      throw error;
    }
    return places.place(service, request.container);
  }

  private input(place: CommandPlace, request: CommandRequest, kubeconfigPath: string): CommandInput {
    const target: CommandTarget =
      place.runtime === 'kubernetes'
        ? { runtime: 'kubernetes', namespace: place.namespace, kubeconfigPath }
        : { runtime: 'engine', engine: place.engine, endpoint: place.endpoint, ...(place.container === undefined ? {} : { container: place.container }) };
    return {
      operatorId: this.options.operatorId,
      line: request.line,
      target,
      production: place.env.production,
      ...(request.confirmation === undefined ? {} : { confirmation: request.confirmation }),
    };
  }

  private decide(place: CommandPlace, request: CommandRequest, mode: CommandMode, kubeconfigPath: string): CommandDecision {
    return decideCommand(this.input(place, request, kubeconfigPath), mode);
  }

  private refuse(place: CommandPlace, request: CommandRequest, mode: CommandMode, decision: Exclude<CommandDecision, { decision: 'allow' }>): Exclude<CommandRunResult, { decision: 'ran' }> {
    const argv = typedArgv(request.line);
    if (decision.decision === 'needs-confirmation') {
      this.options.audit.record(place, { mode, decision: 'needs-confirmation', argv });
      return { decision: 'needs-confirmation', confirmText: decision.confirmText, message: decision.message };
    }
    this.options.audit.record(place, { mode, decision: 'blocked', rule: decision.rule, argv, error: decision.message });
    return { decision: 'blocked', rule: decision.rule, message: decision.message, hint: decision.hint };
  }

  private async runLocal(place: CommandPlace, request: CommandRequest): Promise<OneShotResult> {
    const kubeconfig = await this.kubeconfigFor(place);
    try {
      const ran = await this.options.execution.runOnce(this.input(place, request, kubeconfig?.path ?? kubeconfigPlaceholder), this.options.oneShotLimits);
      if (ran.outcome !== 'ran') throw new AppError('INTERNAL', 'The command was decided differently the second time and was not run.');
      return ran.result;
    } finally {
      await kubeconfig?.dispose();
    }
  }

  private runRemote(place: CommandPlace & { runtime: 'engine' }, argv: readonly string[], auditArgv: readonly string[], kind: keyof typeof oneShotDeadlineMs): Promise<OneShotResult> {
    const limits = this.options.oneShotLimits;
    return runOnRemoteHost(this.options.runtime, place.env.id, { argv, auditArgv }, {
      deadlineMs: limits?.deadlineMs ?? oneShotDeadlineMs[kind],
      maxOutputBytes: limits?.outputLimitBytes ?? oneShotOutputLimitBytes,
    });
  }

  /** A private 0600 kubeconfig in its own temporary folder, removed with it afterwards. */
  private async kubeconfigFor(place: CommandPlace): Promise<{ path: string; dispose(): Promise<void> } | undefined> {
    if (place.runtime !== 'kubernetes') return undefined;
    const dir = await mkdtemp(join(tmpdir(), 'kiops-kubectl-'));
    try {
      const file = await this.options.runtime.privateKubeconfig(place.env.id, dir);
      return {
        path: file.path,
        dispose: async () => {
          await file.dispose();
          await rm(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }
}

function typedArgv(line: string): string[] {
  const tokens = tokenizeCommandLine(line);
  return maskTypedArgv(tokens.ok ? tokens.argv : [line.slice(0, 300)]);
}
