import { execFile, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** A start that failed although the tools were there: carries the daemon log's tail. */
export class TestEnvironmentStartError extends Error {
  override name = 'TestEnvironmentStartError';
}

export interface DaemonSpec {
  /** Human name used in errors, e.g. "dockerd". */
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Inside the environment folder, so a process sweep by folder finds it even if it forgets its args. */
  cwd: string;
  logPath: string;
  /** Written to stdin, then stdin is closed (gnome-keyring reads its unlock password this way). */
  input?: string;
}

export interface Daemon {
  name: string;
  pid: number;
  logPath: string;
  /** Set once the process has exited; start probes use it to fail fast instead of waiting out the timeout. */
  exit: { code: number | null; signal: string | null } | null;
}

/**
 * Starts a long-running program in its own session and process group (detached), output to a
 * log file, so stop() can signal the whole group and a CLI `up` can exit while it keeps running.
 */
export function startDaemon(spec: DaemonSpec): Daemon {
  const log = openSync(spec.logPath, 'a');
  try {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: [spec.input === undefined ? 'ignore' : 'pipe', log, log],
    });
    if (child.pid === undefined) throw new TestEnvironmentStartError(`${spec.name}: could not start ${spec.command}`);
    const daemon: Daemon = { name: spec.name, pid: child.pid, logPath: spec.logPath, exit: null };
    child.on('exit', (code, signal) => {
      daemon.exit = { code, signal };
    });
    child.on('error', () => {
      daemon.exit = { code: null, signal: 'spawn-error' };
    });
    if (spec.input !== undefined && child.stdin !== null) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(spec.input);
    }
    child.unref();
    return daemon;
  } finally {
    closeSync(log);
  }
}

export function logTail(path: string, lines = 25): string {
  try {
    const text = readFileSync(path, 'utf8').trimEnd();
    const tail = text.split('\n').slice(-lines).join('\n');
    return tail === '' ? '(log is empty)' : tail;
  } catch {
    return '(no log written)';
  }
}

export interface WaitOptions {
  timeoutMs: number;
  /** What was being waited for, e.g. "answer GET /_ping on unix:///…/docker.sock". */
  what: string;
  intervalMs?: number;
}

/** Polls `probe` until it returns a value, the daemon exits, or the deadline passes (error shows the log tail). */
export async function waitForDaemon<T>(daemon: Daemon, options: WaitOptions, probe: () => Promise<T | null>): Promise<T> {
  const started = Date.now();
  let lastProblem = '';
  for (let interval = 25; ; interval = Math.min(interval * 2, options.intervalMs ?? 250)) {
    try {
      const result = await probe();
      if (result !== null) return result;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    if (daemon.exit !== null) {
      const how = daemon.exit.signal !== null ? `signal ${daemon.exit.signal}` : `code ${daemon.exit.code}`;
      throw new TestEnvironmentStartError(
        `${daemon.name} exited (${how}) before it would ${options.what}. Last lines of ${daemon.logPath}:\n${logTail(daemon.logPath)}`,
      );
    }
    if (Date.now() - started > options.timeoutMs) {
      const last = lastProblem === '' ? '' : ` (last probe: ${lastProblem})`;
      throw new TestEnvironmentStartError(
        `${daemon.name} (pid ${daemon.pid}) did not ${options.what} within ${options.timeoutMs} ms${last}. Last lines of ${daemon.logPath}:\n${logTail(daemon.logPath)}`,
      );
    }
    await sleep(interval);
  }
}

export interface ToolResult {
  stdout: string;
  stderr: string;
}

export interface RunToolOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
  input?: string;
}

/** Runs a short command (no shell) and rejects with its stderr when it fails or overruns. */
export function runTool(command: string, args: readonly string[], options: RunToolOptions = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args,
      { env: options.env ?? process.env, cwd: options.cwd, timeout: options.timeoutMs ?? 60_000, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ stdout, stderr });
          return;
        }
        const why = error.killed ? `timed out after ${options.timeoutMs ?? 60_000} ms` : `failed (${error.code ?? error.signal ?? 'error'})`;
        reject(new Error(`${command} ${args.join(' ')} ${why}: ${stderr.trim() || error.message}`));
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
