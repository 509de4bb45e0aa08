import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { accessSync, constants, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { proxyVariablesOf } from '../environments/kubeconfig/proxy-environment.ts';
import type { TimeoutKind } from './command-decision.ts';
import { DeliveredOutput } from './delivered-output.ts';

/**
 * Runs an argv the policy allowed: never through a shell, in its own process group
 * (`detached: true`), with a private temporary HOME, a fixed PATH and a minimal environment.
 * At the deadline, output limit or stop() the whole group is killed, so no grandchild survives
 * (a process that deliberately leaves the group with setsid() is out of reach of any group kill).
 * The result carries exactly what the audit row needs.
 */
export type EndReason = 'exited' | 'timeout' | 'output-limit' | 'time-limit' | 'stopped' | 'spawn-failed' | 'link-lost';

export interface ProcessRequest {
  readonly argv: readonly string[];
  /** What the result and audit show instead of argv (e.g. with the kubeconfig path as a placeholder). */
  readonly auditArgv?: readonly string[];
  /** An absolute path the policy resolved (a root-owned host tool): spawned instead of argv[0] found on PATH. */
  readonly program?: string;
}

export interface RunResult {
  readonly argv: readonly string[];
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly durationMs: number;
  /** Bytes delivered to the user (after the cut at the output limit). */
  readonly stdoutBytes: number;
  readonly stderrBytes: number;
  readonly endReason: EndReason;
}

export interface OneShotResult extends RunResult {
  readonly stdout: string;
  readonly stderr: string;
}

export interface OutputChunk {
  readonly stream: 'stdout' | 'stderr';
  readonly data: Buffer;
}

export const oneShotDeadlineMs: Readonly<Record<TimeoutKind, number>> = { logs: 60_000, events: 60_000, other: 30_000 };
export const oneShotOutputLimitBytes = 1024 * 1024;
export const streamTimeLimitMs = 10 * 60_000;
export const streamOutputLimitBytes = 5 * 1024 * 1024;
export const fixedPath = '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin';

export interface OneShotLimits {
  readonly deadlineMs: number;
  readonly outputLimitBytes: number;
}

export interface StreamLimits {
  readonly timeLimitMs: number;
  readonly outputLimitBytes: number;
}

/** Time, injectable so tests can drive limits without waiting. */
export interface RunnerClock {
  now(): number;
  /** Calls `fire` after `ms`; returns a cancel function. */
  after(ms: number, fire: () => void): () => void;
}

export const systemClock: RunnerClock = {
  now: () => performance.now(),
  after: (ms, fire) => {
    const handle = setTimeout(fire, ms);
    return () => clearTimeout(handle);
  },
};

/** The process boundary: `spawn` unless a test counts or refuses spawns. */
export type SpawnProcess = (file: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

export interface ProcessRunnerOptions {
  readonly path?: string;
  /** Where private HOME folders are created (default: the OS temp folder). */
  readonly tempRoot?: string;
  readonly spawnProcess?: SpawnProcess;
  readonly clock?: RunnerClock;
}

export interface StreamSession {
  readonly id: string;
  /** Registers a listener for output chunks as they arrive; returns an unsubscribe function. */
  onOutput(listener: (chunk: OutputChunk) => void): () => void;
  /** Settles once the process group is gone; never rejects. */
  readonly done: Promise<RunResult>;
  /** Kills the whole process group; the result's endReason becomes 'stopped'. */
  stop(): void;
}

interface Launch {
  readonly limitMs: number;
  readonly limitReason: 'timeout' | 'time-limit';
  readonly outputLimitBytes: number;
  readonly onChunk: (chunk: OutputChunk) => void;
}

// How long to wait for pipes to close after the group was killed: a process that escaped the
// group with setsid() may still hold them, and it must not keep the session open.
const pipeGraceMs = 1000;
let sessionCounter = 0;

export class ProcessRunner {
  private readonly path: string;
  private readonly tempRoot: string;
  private readonly spawnProcess: SpawnProcess;
  private readonly clock: RunnerClock;

  constructor(options: ProcessRunnerOptions = {}) {
    this.path = options.path ?? fixedPath;
    this.tempRoot = options.tempRoot ?? tmpdir();
    this.spawnProcess = options.spawnProcess ?? ((file, args, spawnOptions) => spawn(file, [...args], spawnOptions));
    this.clock = options.clock ?? systemClock;
  }

  /** Runs once and returns everything; the deadline defaults by kind (60 s logs/events, 30 s otherwise). */
  async runOnce(request: ProcessRequest, kind: TimeoutKind, limits: Partial<OneShotLimits> = {}): Promise<OneShotResult> {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const { done } = this.launch(request, {
      limitMs: limits.deadlineMs ?? oneShotDeadlineMs[kind],
      limitReason: 'timeout',
      outputLimitBytes: limits.outputLimitBytes ?? oneShotOutputLimitBytes,
      onChunk: (chunk) => (chunk.stream === 'stdout' ? out : err).push(chunk.data),
    });
    const result = await done;
    const stderr = result.endReason === 'spawn-failed' ? `${request.argv[0] ?? ''}: could not be started (not found on the app's fixed PATH, or not executable).` : Buffer.concat(err).toString('utf8');
    return { ...result, stdout: Buffer.concat(out).toString('utf8'), stderr };
  }

  /** Starts a streaming session: 10 minutes and 5 MB by default, whichever comes first. */
  startStream(request: ProcessRequest, limits: Partial<StreamLimits> = {}): StreamSession {
    const listeners = new Set<(chunk: OutputChunk) => void>();
    const { done, stop } = this.launch(request, {
      limitMs: limits.timeLimitMs ?? streamTimeLimitMs,
      limitReason: 'time-limit',
      outputLimitBytes: limits.outputLimitBytes ?? streamOutputLimitBytes,
      onChunk: (chunk) => listeners.forEach((listener) => listener(chunk)),
    });
    sessionCounter += 1;
    return {
      id: `stream-${sessionCounter}`,
      onOutput: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      done,
      stop,
    };
  }

  private resolveProgram(name: string): string | undefined {
    if (name.includes('/') || name === '') return undefined;
    for (const dir of this.path.split(':')) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not in this folder
      }
    }
    return undefined;
  }

  private launch(request: ProcessRequest, launch: Launch): { done: Promise<RunResult>; stop: () => void } {
    const started = this.clock.now();
    const shownArgv = [...(request.auditArgv ?? request.argv)];
    const output = new DeliveredOutput(launch.outputLimitBytes, (stream, data) => launch.onChunk({ stream, data }));
    let endReason: EndReason | undefined;
    let child: ChildProcess | undefined;
    let killGroup = (): void => {};
    const result = (exitCode: number | null, signal: string | null): RunResult => ({
      argv: shownArgv,
      exitCode,
      signal,
      durationMs: Math.round(this.clock.now() - started),
      stdoutBytes: output.bytes.stdout,
      stderrBytes: output.bytes.stderr,
      endReason: endReason ?? 'exited',
    });
    const end = (reason: EndReason): void => {
      if (endReason !== undefined) return;
      endReason = reason;
      killGroup();
    };

    const [program = '', ...args] = request.argv;
    const file = request.program ?? this.resolveProgram(program);
    if (file === undefined) {
      endReason = 'spawn-failed';
      return { done: Promise.resolve(result(null, null)), stop: () => {} };
    }
    const home = mkdtempSync(join(this.tempRoot, 'kiops-home-'));
    // After a run the HOME holds kubectl's discovery and HTTP caches (dozens of files): removed off
    // main's thread, since a synchronous removal held main's event loop for 30-110 ms on a busy
    // disk (bench/main-loop-delay.ts). `done` resolves only once the folder is gone.
    const removeHome = (): Promise<void> => rm(home, { recursive: true, force: true }).catch(() => undefined);
    try {
      child = this.spawnProcess(file, args, {
        argv0: program,
        cwd: home,
        // Proxy variables pass through so kubectl (and plugins it starts) reach clusters as the user's tools do.
        env: { ...proxyVariablesOf(process.env), HOME: home, PATH: this.path, TMPDIR: home, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' },
        detached: true,
        shell: false,
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch {
      endReason = 'spawn-failed';
      return { done: removeHome().then(() => result(null, null)), stop: () => {} };
    }
    const proc = child;
    killGroup = () => {
      if (proc.pid === undefined) return;
      try {
        process.kill(-proc.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    };

    // Counted as delivered (decoded) bytes: see delivered-output.ts.
    const deliver = (stream: OutputChunk['stream'], data: Buffer): void => {
      if (endReason !== undefined) return;
      if (output.write(stream, data)) end('output-limit');
    };
    proc.stdout?.on('data', (data: Buffer) => deliver('stdout', data));
    proc.stderr?.on('data', (data: Buffer) => deliver('stderr', data));
    const cancelLimit = this.clock.after(launch.limitMs, () => end(launch.limitReason));

    const done = new Promise<RunResult>((resolve) => {
      let exit: { code: number | null; signal: string | null } | undefined;
      let cancelGrace = (): void => {};
      let settled = false;
      const settle = (code: number | null, signal: string | null): void => {
        if (settled) return;
        settled = true;
        cancelLimit();
        cancelGrace();
        if (endReason === undefined) output.flush();
        const finished = result(code, signal);
        void removeHome().then(() => resolve(finished));
      };
      proc.once('error', () => {
        if (endReason === undefined) endReason = 'spawn-failed';
        settle(null, null);
      });
      proc.once('exit', (code, signal) => {
        exit = { code, signal };
        // The main process is gone; background children it left in the group go with it.
        killGroup();
        cancelGrace = this.clock.after(pipeGraceMs, () => {
          proc.stdout?.destroy();
          proc.stderr?.destroy();
          settle(code, signal);
        });
      });
      proc.once('close', (code: number | null, signal: string | null) => settle(exit?.code ?? code, exit?.signal ?? signal));
    });
    return { done, stop: () => end('stopped') };
  }
}
