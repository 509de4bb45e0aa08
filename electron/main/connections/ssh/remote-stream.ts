import type { Client, ClientChannel } from 'ssh2';
import { AppError, isAppError } from '../../../../shared/errors.ts';
import { DeliveredOutput } from '../../commands/delivered-output.ts';
import { remoteCommandLine } from './remote-exec.ts';

/**
 * A streaming command on an SSH host, shaped like the local runner's StreamSession so the
 * Command Execution handlers treat both alike. It reuses one-shot remote exec's wrapper (see
 * remote-exec.ts): the first stdout line is the pid of the session's process-group leader, so
 * stop(), the time limit and the output limit kill that whole REMOTE group with
 * `kill -KILL -PID` over a second channel, and the wrapper's watchdog kills the group by itself
 * when this channel or the connection is lost. A channel that closes without the host's exit
 * report ends as `link-lost`, exit code and signal unknown (null).
 * The pid line is never shown nor counted; output is cut exactly at the byte limit.
 */
export type RemoteStreamEndReason = 'exited' | 'time-limit' | 'output-limit' | 'stopped' | 'spawn-failed' | 'link-lost';

export interface RemoteStreamOptions {
  readonly timeLimitMs: number;
  /** stdout and stderr together. */
  readonly outputLimitBytes: number;
  /** Names the host in messages. */
  readonly hostLabel: string;
}

export interface RemoteStreamChunk {
  readonly stream: 'stdout' | 'stderr';
  readonly data: Buffer;
}

export interface RemoteStreamResult {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly durationMs: number;
  readonly stdoutBytes: number;
  readonly stderrBytes: number;
  readonly endReason: RemoteStreamEndReason;
  /** Why the command could not be started (endReason 'spawn-failed'). */
  readonly error?: AppError;
}

export interface RemoteStreamSession {
  readonly id: string;
  onOutput(listener: (chunk: RemoteStreamChunk) => void): () => void;
  /**
   * Resolves once the remote command runs (its pid is known) or the session was stopped before;
   * rejects with the AppError when the connection or the exec channel could not be opened.
   */
  readonly started: Promise<void>;
  /** Settles once the channel is closed; never rejects. */
  readonly done: Promise<RemoteStreamResult>;
  /** Kills the remote process group; the endReason becomes 'stopped'. */
  stop(): void;
}

// After the group was killed, how long to wait for the channel to close before settling anyway.
const closeGraceMs = 2000;
let sessionCounter = 0;

/** Starts argv on the host; `client` may still be connecting (the time limit already runs). */
export function streamOnHost(client: Client | Promise<Client>, argv: readonly string[], options: RemoteStreamOptions): RemoteStreamSession {
  const command = remoteCommandLine(argv);
  const started = performance.now();
  const listeners = new Set<(chunk: RemoteStreamChunk) => void>();
  // Counted as delivered (decoded) bytes, like the local runner: see delivered-output.ts.
  const output = new DeliveredOutput(options.outputLimitBytes, (stream, data) => listeners.forEach((listener) => listener({ stream, data })));
  let endReason: RemoteStreamEndReason | undefined;
  let exit: { code: number | null; signal: string | null } | undefined;
  let connected: Client | undefined;
  let channel: ClientChannel | undefined;
  let pid: number | undefined;
  let killed = false;
  let settled = false;
  let markStarted = (): void => {};
  let failStart = (_error: AppError): void => {};
  let resolveDone = (_result: RemoteStreamResult): void => {};
  const startedPromise = new Promise<void>((resolve, reject) => {
    markStarted = () => resolve();
    failStart = reject;
  });
  // A caller that never awaits `started` must not see an unhandled rejection.
  startedPromise.catch(() => undefined);
  const done = new Promise<RemoteStreamResult>((resolve) => {
    resolveDone = resolve;
  });

  let cancelGrace = (): void => {};
  let killDone: Promise<void> = Promise.resolve();
  const limitTimer = setTimeout(() => end('time-limit'), options.timeLimitMs);
  const settle = (error?: AppError): void => {
    if (settled) return;
    settled = true;
    if (endReason === undefined) output.flush();
    clearTimeout(limitTimer);
    cancelGrace();
    markStarted();
    const result: RemoteStreamResult = {
      exitCode: exit?.code ?? null,
      // Only what the host reported: a kill the app sent is not claimed as the way it ended.
      signal: exit?.signal ?? null,
      durationMs: Math.round(performance.now() - started),
      stdoutBytes: output.bytes.stdout,
      stderrBytes: output.bytes.stderr,
      // A channel that closed with no exit report from the host: the link was lost.
      endReason: endReason ?? (exit === undefined ? 'link-lost' : 'exited'),
      ...(error === undefined ? {} : { error }),
    };
    // done means the remote group is gone: wait for the kill channel (bounded).
    void killDone.then(() => resolveDone(result));
  };
  const killGroup = (): void => {
    if (pid === undefined || connected === undefined || killed) return;
    killed = true;
    killDone = killRemoteGroup(connected, pid);
  };
  const end = (reason: RemoteStreamEndReason): void => {
    if (endReason !== undefined || settled) return;
    endReason = reason;
    // Before the pid is known the group cannot be named yet: the pid line handler kills it.
    killGroup();
    if (pid !== undefined) channel?.close();
    const timer = setTimeout(() => {
      channel?.close();
      settle();
    }, closeGraceMs);
    cancelGrace = () => clearTimeout(timer);
  };

  const deliver = (stream: RemoteStreamChunk['stream'], data: Buffer): void => {
    if (endReason !== undefined || settled) return;
    if (output.write(stream, data)) end('output-limit');
  };

  const fail = (error: AppError): void => {
    if (endReason !== undefined) {
      // Stopped while connecting: nothing ran, so this is a stop, not a failure to start.
      settle();
      return;
    }
    endReason = 'spawn-failed';
    failStart(error);
    settle(error);
  };

  const open = (ready: Client): void => {
    connected = ready;
    if (endReason !== undefined) {
      settle();
      return;
    }
    try {
      ready.exec(command, (error, opened) => {
        if (error) {
          fail(new AppError('UNAVAILABLE', `Could not start a command on ${options.hostLabel}: ${error.message}.`, undefined, { key: 'connections.ssh.commandNotStarted', params: { host: options.hostLabel, detail: error.message } }));
          return;
        }
        channel = opened;
        let pidLine = Buffer.alloc(0);
        opened.on('data', (chunk: Buffer) => {
          if (pid !== undefined) {
            deliver('stdout', chunk);
            return;
          }
          pidLine = Buffer.concat([pidLine, chunk]);
          const newline = pidLine.indexOf(0x0a);
          if (newline === -1) return;
          pid = Number(pidLine.subarray(0, newline).toString('ascii'));
          markStarted();
          if (endReason !== undefined) {
            // Stopped (or out of time) while the command was starting.
            killGroup();
            opened.close();
            return;
          }
          const rest = pidLine.subarray(newline + 1);
          if (rest.length > 0) deliver('stdout', rest);
        });
        opened.stderr.on('data', (chunk: Buffer) => deliver('stderr', chunk));
        opened.on('exit', (code: number | null, sig?: string) => {
          exit = { code: typeof code === 'number' ? code : null, signal: sig ?? null };
          // Like the local runner: background children the command left in its group go with it.
          killGroup();
        });
        opened.on('close', () => settle());
      });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      fail(new AppError('UNAVAILABLE', `Could not start a command on ${options.hostLabel}: ${detail}.`, undefined, { key: 'connections.ssh.commandNotStarted', params: { host: options.hostLabel, detail } }));
    }
  };

  Promise.resolve(client).then(open, (error: unknown) => {
    const detail = error instanceof Error ? error.message : String(error);
    fail(isAppError(error) ? error : new AppError('UNAVAILABLE', `Could not reach ${options.hostLabel}: ${detail}.`, undefined, { key: 'connections.ssh.hostUnreachable', params: { host: options.hostLabel, detail } }));
  });

  sessionCounter += 1;
  return {
    id: `remote-stream-${sessionCounter}`,
    onOutput: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    started: startedPromise,
    done,
    stop: () => end('stopped'),
  };
}

/** Kills the remote group over a second channel; resolves when that channel closes (at most closeGraceMs). */
function killRemoteGroup(client: Client, pid: number): Promise<void> {
  if (!Number.isInteger(pid) || pid <= 1) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, closeGraceMs);
    const finish = (): void => {
      clearTimeout(timer);
      resolve();
    };
    try {
      client.exec(`kill -KILL -${pid} 2>/dev/null || kill -KILL ${pid} 2>/dev/null`, (error, channel) => {
        if (error) finish();
        else channel.resume().on('close', finish);
      });
    } catch {
      // The connection is gone; the server ends the session's processes itself.
      finish();
    }
  });
}
