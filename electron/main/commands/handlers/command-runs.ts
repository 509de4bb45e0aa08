import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandRunResult, CommandStreamEvent } from '../../../../shared/contract/commands.ts';
import { AppError, isAppError } from '../../../../shared/errors.ts';
import type { CatalogService } from '../../catalog/service-catalog.ts';
import type { AllowDecision, BlockDecision, CommandDecision, CommandMode } from '../command-decision.ts';
import { decideWords, remoteArgv, type CommandExecution, type CommandTarget } from '../command-execution.ts';
import type { HostTools } from '../host-commands.ts';
import { kubeconfigPlaceholder } from '../kubectl-policy.ts';
import { oneShotDeadlineMs, oneShotOutputLimitBytes, type OneShotLimits, type OneShotResult, type OutputChunk, type StreamLimits, type StreamSession } from '../process-runner.ts';
import type { StreamingSessions } from '../streaming-sessions.ts';
import { tokenizeCommandLine } from '../tokenize.ts';
import { errorText, fitText, maskTypedArgv, type CommandAudit } from './command-audit.ts';
import type { CommandPlace, CommandPlaces, CommandPorts } from './command-places.ts';
import { OutputCoalescer } from '../output-coalescer.ts';
import { guardContainerExec } from './exec-cleanup.ts';
import { confirmationMatches, plainConfirmationMessage, productionConfirmationMessage } from '../../permissions/production-confirmation.ts';
import { cutShortReasons, endOfFollow, endOfWatch, linkLostNote } from './run-endings.ts';
import { runOnRemoteHost } from './remote-run.ts';
import { RemoteToolCheck } from './remote-tools.ts';
import { openRemoteStream, type StreamStarter } from './remote-stream.ts';

export interface CommandRequest {
  readonly serviceId: string;
  readonly line: string;
  readonly container?: string | undefined;
  readonly confirmation?: string | undefined;
  readonly askPlainly?: boolean | undefined;
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
  /** Host tools resolved once to root-owned absolute paths (resolveHostTools). */
  readonly hostTools: HostTools;
  /** Tests shorten the limits; production uses the runner's defaults (30/60 s, 10 min, 5 MB). */
  readonly oneShotLimits?: Partial<OneShotLimits>;
  readonly streamLimits?: Partial<StreamLimits>;
}

type StreamEmit = (event: CommandStreamEvent) => void;

export const blockedCommandError = (refusal: BlockDecision): AppError =>
  new AppError('BLOCKED_COMMAND', refusal.message, { rule: refusal.rule, message: refusal.message, hint: refusal.hint }, { key: 'blockedCommand', params: { rule: refusal.rule } });

/**
 * One-shot runs and streaming sessions of the Command Execution tab. Every path asks the
 * `commands` permission first, decides the line under the policy before any credential is
 * written or process started, and ends in exactly one audit row.
 */
export class CommandRuns {
  private readonly options: CommandRunsOptions;
  private readonly remoteTools: RemoteToolCheck;

  constructor(options: CommandRunsOptions) {
    this.options = options;
    this.remoteTools = new RemoteToolCheck(options.runtime);
  }

  /**
   * The one pipeline: tokenize once → resolve the place → decide → durable "started" row →
   * run → outcome row chained to it. Every refusal on the way is audited.
   */
  async runOnce(request: CommandRequest): Promise<CommandRunResult> {
    const { place, words, typed } = await this.prepare(request, 'one-shot');
    const decision = await this.checkRemoteTool(place, this.decide(place, words, request, 'one-shot'));
    if (decision.decision !== 'allow') return this.refuse(place, typed, 'one-shot', decision);
    const started = this.options.audit.start(place, { mode: 'one-shot', argv: decision.auditArgv });
    let result: OneShotResult;
    try {
      const execGuard = await guardContainerExec(this.options.runtime, place, decision.argv).catch(() => undefined);
      const running = place.runtime === 'engine' && place.remoteHost !== null ? this.runRemote(place, remoteArgv(decision), decision.auditArgv, decision.kind) : this.runLocal(place, decision);
      execGuard?.started();
      result = await running;
      await execGuard?.end(cutShortReasons.has(result.endReason), result.endReason === 'link-lost');
    } catch (error) {
      started.finish({ mode: 'one-shot', decision: 'failed-to-start', argv: decision.auditArgv, error: errorText(error) });
      throw error;
    }
    started.finish({ mode: 'one-shot', decision: 'ran', argv: result.argv, result, ...linkLostNote(place, result) });
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
    const { place, words, typed } = await this.prepare(request, 'streaming');
    const { audit, sessions, operatorId } = this.options;
    const decision = await this.checkRemoteTool(place, this.decide(place, words, request, 'streaming'));
    if (decision.decision === 'needs-confirmation') {
      this.refuse(place, typed, 'streaming', decision);
      emit({ kind: 'needs-confirmation', confirmText: decision.confirmText, message: decision.message, ...(decision.plain ? { plain: true } : {}) });
      return;
    }
    if (decision.decision === 'block') {
      this.refuse(place, typed, 'streaming', decision);
      throw blockedCommandError(decision);
    }
    const begun = audit.start(place, { mode: 'streaming', argv: decision.auditArgv });
    let kubeconfig: Awaited<ReturnType<CommandRuns['kubeconfigFor']>>;
    const execGuard = await guardContainerExec(this.options.runtime, place, decision.argv).catch(() => undefined);
    let session: StreamSession;
    // Remote sessions report when the command runs on the host (or why it could not start).
    let started: Promise<void> | undefined;
    try {
      kubeconfig = await this.kubeconfigFor(place);
      const allowed = withKubeconfig(decision, kubeconfig?.path);
      if (place.runtime === 'engine' && place.remoteHost !== null) {
        ({ session, started } = openRemoteStream(this.options.starter, sessions, this.options.runtime, {
          operatorId,
          environmentId: place.env.id,
          argv: remoteArgv(allowed),
          auditArgv: allowed.auditArgv,
          limits: this.options.streamLimits,
        }));
      } else {
        session = this.options.execution.openAllowed(operatorId, allowed, this.options.streamLimits);
      }
    } catch (error) {
      await kubeconfig?.dispose();
      const limited = isAppError(error) && error.code === 'LIMIT_REACHED';
      begun.finish({ mode: 'streaming', decision: limited ? 'limit-reached' : 'failed-to-start', argv: decision.auditArgv, error: errorText(error) });
      throw error;
    }
    // Thousands of tiny chunks (docker logs -f) go out joined, about one message per frame.
    const output = new OutputCoalescer((stream, text) => emit({ kind: 'output', stream, text }));
    const forward = (chunk: OutputChunk): void => output.push(chunk.stream, chunk.data);
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
        begun.finish({ mode: 'streaming', decision: 'failed-to-start', argv: decision.auditArgv, error: errorText(error) });
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
    output.end();
    begun.finish({ mode: 'streaming', decision: 'ran', argv: result.argv, result, ...linkLostNote(place, result) });
    emit({ kind: 'ended', endReason: result.endReason, exitCode: result.exitCode, signal: result.signal, durationMs: result.durationMs, bytes: result.stdoutBytes + result.stderrBytes });
  }

  /**
   * Tokenizes once, then: the service, audit writability, the permission, and the place
   * (its connection and, for engine commands, its objects). Every refusal here is audited.
   */
  private async prepare(request: CommandRequest, mode: CommandMode): Promise<{ place: CommandPlace; words: Words; typed: string[] }> {
    const { places, frame, audit } = this.options;
    const tokens = tokenizeCommandLine(request.line);
    const words: Words = tokens.ok ? { ok: true, argv: tokens.argv } : { ok: false, refusal: tokens.refusal };
    const typed = typedWords(request.line, words);
    audit.requireWritable();
    let service: CatalogService;
    try {
      service = places.service(request.serviceId);
    } catch (error) {
      audit.record({ env: { id: '', name: 'unknown' }, label: fitText(`unknown/service/${request.serviceId}`, 400) }, { mode, decision: 'blocked', rule: 'target-unavailable', argv: typed, error: errorText(error) });
      throw error;
    }
    const serviceLabel = { env: service.environment, label: `${service.environment.name}/service/${service.name}` };
    try {
      await frame.requirePermission(request.serviceId, 'commands');
    } catch (error) {
      audit.record(serviceLabel, { mode, decision: 'permission-denied', argv: typed, error: errorText(error) });
      throw error;
    }
    try {
      const engineCli = words.ok && request.container === undefined && (words.argv[0] === 'docker' || words.argv[0] === 'podman');
      const scale = words.ok && words.argv[0] === 'kubectl' && words.argv.includes('scale');
      return { place: await places.place(service, request.container, engineCli || scale), words, typed };
    } catch (error) {
      const label = request.container === undefined ? serviceLabel.label : `${service.environment.name}/container/${request.container}`;
      audit.record({ env: service.environment, label }, { mode, decision: 'blocked', rule: isAppError(error) && error.code === 'NOT_FOUND' ? 'not-in-service' : 'target-unavailable', argv: typed, error: errorText(error) });
      throw error;
    }
  }

  private decide(place: CommandPlace, words: Words, request: CommandRequest, mode: CommandMode): CommandDecision {
    if (!words.ok) return words.refusal;
    const target: CommandTarget =
      place.runtime === 'kubernetes'
        ? { runtime: 'kubernetes', namespace: place.namespace, kubeconfigPath: kubeconfigPlaceholder, ...(place.hpaLocks === undefined ? {} : { hpaLocks: place.hpaLocks }) }
        : {
            runtime: 'engine',
            engine: place.engine,
            endpoint: place.endpoint,
            serviceName: place.service.name,
            hostTools: this.options.hostTools,
            ...(place.container === undefined ? {} : { container: place.container }),
            ...(place.objects === undefined ? {} : { objects: place.objects }),
          };
    const production = place.env.production;
    const input = { operatorId: this.options.operatorId, target, production };
    // Deciding as if in production tells whether the command changes data: then it asks.
    const decision = decideWords(words.argv, { ...input, production: production || request.askPlainly === true }, mode);
    if (decision.decision !== 'needs-confirmation') return decision;
    // The production rule (permissions/production-confirmation.ts): the line exactly as typed.
    // Outside production the window confirmed plainly and sends the same line back.
    if (confirmationMatches(true, request.line, request.confirmation)) return decideWords(words.argv, { ...input, production: false }, mode);
    if (!production) return { decision: 'needs-confirmation', confirmText: request.line, message: plainConfirmationMessage(request.line), plain: true };
    return { decision: 'needs-confirmation', confirmText: request.line, message: productionConfirmationMessage(request.line, 'command') };
  }

  /** A host tool on an SSH host: its path must be root-owned there too (remote-tools.ts). */
  private async checkRemoteTool(place: CommandPlace, decision: CommandDecision): Promise<CommandDecision> {
    if (decision.decision !== 'allow' || decision.program === undefined || place.runtime !== 'engine' || place.remoteHost === null) return decision;
    return (await this.remoteTools.check(place.env.id, decision.program)) ?? decision;
  }

  private refuse(place: CommandPlace, argv: string[], mode: CommandMode, decision: Exclude<CommandDecision, { decision: 'allow' }>): Exclude<CommandRunResult, { decision: 'ran' }> {
    if (decision.decision === 'needs-confirmation') {
      this.options.audit.record(place, { mode, decision: 'needs-confirmation', argv });
      return { decision: 'needs-confirmation', confirmText: decision.confirmText, message: decision.message, ...(decision.plain ? { plain: true } : {}) };
    }
    this.options.audit.record(place, { mode, decision: 'blocked', rule: decision.rule, argv, error: decision.message });
    return { decision: 'blocked', rule: decision.rule, message: decision.message, hint: decision.hint };
  }

  private async runLocal(place: CommandPlace, decision: AllowDecision): Promise<OneShotResult> {
    const kubeconfig = await this.kubeconfigFor(place);
    try {
      return await this.options.execution.runAllowed(withKubeconfig(decision, kubeconfig?.path), this.options.oneShotLimits);
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

type Words = { readonly ok: true; readonly argv: readonly string[] } | { readonly ok: false; readonly refusal: BlockDecision };

/** The words for a refusal's audit row: tokens when the line tokenized, else the line itself (cut). */
function typedWords(line: string, words: Words): string[] {
  return words.ok ? maskTypedArgv(words.argv) : [fitText(line, 300)];
}

/** The decision was made with a placeholder kubeconfig path; the argv that runs gets the real one. */
function withKubeconfig(decision: AllowDecision, path: string | undefined): AllowDecision {
  if (path === undefined) return decision;
  const placeholder = `--kubeconfig=${kubeconfigPlaceholder}`;
  return { ...decision, argv: decision.argv.map((word) => (word === placeholder ? `--kubeconfig=${path}` : word)) };
}
