import { onScopeDispose, ref, shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue';
import type { CommandEndReason } from '../../../shared/contract/commands.ts';
import type { ErrorBody } from '../../../shared/errors.ts';
import { api } from '../api/client.ts';
import { CommandOutput } from '../components/commands/command-output.ts';
import type { AnsiLine } from '../components/terminal/ansi.ts';
import { bodyText, toFailure, type Failure } from '../shell/failure.ts';
import { useCall } from './use-call.ts';

export type CommandRunMode = 'one-shot' | 'streaming';

/** How the last command ended, as the result bar shows it. */
export interface CommandOutcome {
  readonly endReason: CommandEndReason;
  readonly exitCode: number | null;
  readonly durationMs: number;
  readonly truncated: boolean;
  readonly argvShown: readonly string[];
}

export interface CommandRefusal {
  readonly rule: string;
  readonly message: string;
  readonly hint: string;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function refusalOf(error: ErrorBody): CommandRefusal | undefined {
  if (error.code === 'BLOCKED_COMMAND') return { rule: text(error.details?.['rule']), message: text(error.details?.['message']) || error.message, hint: text(error.details?.['hint']) };
  if (error.code === 'LIMIT_REACHED') return { rule: 'session-limit', message: error.message, hint: '' };
  return undefined;
}

/**
 * The Command Execution tab of one service: the context (mode, containers, examples), one
 * command at a time in this tab — one-shot through `commands.run`, streaming through
 * `commands.stream` (cancelling the subscription stops the process group in main) — the
 * output as ANSI lines, the refusal or production confirmation main answered, and the
 * operator's running streaming sessions.
 */
export function useCommandExecution(serviceId: MaybeRefOrGetter<string>) {
  const context = useCall((id: string) => api.call('commands.context', { serviceId: id }));
  const mode = ref<CommandRunMode>('one-shot');
  const line = ref('');
  const container = ref<string | null>(null);
  const running = ref(false);
  const lines = shallowRef<AnsiLine[]>([]);
  const revision = ref(0);
  const outcome = shallowRef<CommandOutcome>();
  const refusal = shallowRef<CommandRefusal>();
  /** A data-changing command waits for a confirm: `plain` outside production, typed in production. */
  const confirmation = shallowRef<{ confirmText: string; message: string; plain?: boolean }>();
  const failure = shallowRef<Failure>();
  const sessions = ref({ running: 0, limit: 3 });
  let cancelStream: (() => void) | null = null;
  let startedAt = 0;
  let shownArgv: readonly string[] = [];

  const reload = async (): Promise<void> => {
    const loaded = await context.run(toValue(serviceId));
    if (loaded) sessions.value = { ...loaded.sessions };
  };
  watch(() => toValue(serviceId), () => void reload(), { immediate: true });

  let frame: number | null = null;
  function publish(output: CommandOutput): void {
    if (frame !== null) cancelAnimationFrame(frame);
    frame = null;
    lines.value = output.lines;
    revision.value += 1;
  }

  /** Streamed output shows once per animation frame, however many messages arrived in it. */
  function publishNextFrame(output: CommandOutput): void {
    frame ??= requestAnimationFrame(() => publish(output));
  }

  function reset(): CommandOutput {
    if (frame !== null) cancelAnimationFrame(frame);
    frame = null;
    const output = new CommandOutput();
    lines.value = [];
    revision.value += 1;
    outcome.value = undefined;
    refusal.value = undefined;
    confirmation.value = undefined;
    failure.value = undefined;
    return output;
  }

  function request(confirm: string | undefined) {
    return {
      serviceId: toValue(serviceId),
      line: line.value.trim(),
      ...(container.value === null ? {} : { container: container.value }),
      ...(confirm === undefined ? {} : { confirmation: confirm }),
      // outside production main still says which commands change data, and the window asks plainly
      askPlainly: true,
    };
  }

  async function runOnce(confirm: string | undefined): Promise<void> {
    const output = reset();
    running.value = true;
    try {
      const result = await api.call('commands.run', request(confirm));
      if (result.decision === 'blocked') refusal.value = result;
      else if (result.decision === 'needs-confirmation') confirmation.value = result;
      else {
        output.pushAll('stdout', result.stdout);
        output.pushAll('stderr', result.stderr);
        publish(output);
        outcome.value = { endReason: result.endReason, exitCode: result.exitCode, durationMs: result.durationMs, truncated: result.truncated, argvShown: result.argvShown };
      }
    } catch (error) {
      failure.value = toFailure(error);
    } finally {
      running.value = false;
    }
  }

  function startStream(confirm: string | undefined): void {
    const output = reset();
    running.value = true;
    startedAt = performance.now();
    shownArgv = [];
    const finish = (): void => {
      output.end();
      publish(output);
      running.value = false;
      cancelStream = null;
    };
    cancelStream = api.subscribe('commands.stream', request(confirm), {
      event: (event) => {
        if (event.kind === 'started') {
          shownArgv = event.argvShown;
          sessions.value = { running: event.running, limit: event.limit };
        } else if (event.kind === 'output') {
          output.push(event.stream, event.text);
          publishNextFrame(output);
        } else if (event.kind === 'needs-confirmation') {
          confirmation.value = { confirmText: event.confirmText, message: event.message, ...(event.plain ? { plain: true } : {}) };
        } else {
          outcome.value = { endReason: event.endReason, exitCode: event.exitCode, durationMs: event.durationMs, truncated: event.endReason === 'output-limit', argvShown: shownArgv };
          sessions.value = { ...sessions.value, running: Math.max(0, sessions.value.running - 1) };
        }
      },
      end: (end) => {
        if (end.reason === 'error') {
          const refused = refusalOf(end.error);
          if (refused) refusal.value = refused;
          else failure.value = { code: end.error.code, message: bodyText(end.error) };
        }
        finish();
      },
    });
  }

  /** Runs the typed line; `confirm` repeats a production confirmation's text exactly. */
  async function run(confirm?: string): Promise<void> {
    if (running.value || line.value.trim() === '') return;
    if (mode.value === 'streaming') startStream(confirm);
    else await runOnce(confirm);
  }

  /** Stops the running stream: main kills the whole process group and audits it as stopped. */
  function stop(): void {
    if (cancelStream === null) return;
    const cancel = cancelStream;
    cancel();
    outcome.value = { endReason: 'stopped', exitCode: null, durationMs: Math.round(performance.now() - startedAt), truncated: false, argvShown: shownArgv };
    if (shownArgv.length > 0) sessions.value = { ...sessions.value, running: Math.max(0, sessions.value.running - 1) };
  }

  // Leaving the tab or closing the modal stops a running stream (main kills its process group).
  onScopeDispose(() => {
    cancelStream?.();
    if (frame !== null) cancelAnimationFrame(frame);
  });

  return {
    context: context.data,
    contextFailure: context.failure,
    contextLoading: context.loading,
    reload,
    mode,
    line,
    container,
    running,
    lines,
    revision,
    outcome,
    refusal,
    confirmation,
    failure,
    sessions,
    run,
    stop,
    dismissConfirmation: () => (confirmation.value = undefined),
  };
}
