import type { Client, ClientChannel } from 'ssh2';
import { AppError } from '../../../../shared/errors.ts';
import { DeliveredOutput } from '../../commands/delivered-output.ts';
import { posixCommandLine } from './shell-quote.ts';

export interface RemoteExecOptions {
  /** The command's process group is killed after this long and the call rejects with TIMEOUT. */
  readonly deadlineMs: number;
  /** stdout and stderr together; past this the command is stopped and `truncated` is set. */
  readonly maxOutputBytes: number;
  /** Names the host in messages. */
  readonly hostLabel: string;
}

export interface RemoteExecResult {
  readonly stdout: string;
  readonly stderr: string;
  /** null when the command ended by a signal or was stopped. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly truncated: boolean;
  /**
   * The channel closed without the host reporting how the command ended: the link was lost.
   * exitCode and signal are then null (unknown); the watchdog ends the command on the host.
   */
  readonly linkLost?: true;
}

/**
 * The remote side runs argv under a small POSIX sh watchdog, whatever the login shell is:
 *
 *   printf "%s\n" "$$"             the first output line is the wrapper's pid; sshd made the
 *                                   session its own process group with the wrapper as leader
 *   "$@" </dev/null & c=$!          the command, in that group, reading nothing
 *   (while read…; kill -KILL 0) <&3 &   the watchdog holds the channel's stdin: when the channel
 *                                   closes or the connection is lost, sshd closes that pipe, the
 *                                   read ends and the watchdog kills the whole group
 *   wait "$c"; exit with its status (a signal shows as 128+N, as a shell reports it)
 *
 * So a command never outlives its channel (no process reparented to PID 1 until its next
 * write), and the app can still kill the group at a deadline through a second channel
 * (`kill -KILL -PID`) — OpenSSH does not reliably deliver channel signal requests. The app never
 * writes to stdin nor closes it while the command runs. A process that calls setsid() itself
 * leaves the group and is out of reach.
 */
const wrapper =
  'printf "%s\\n" "$$"; exec 3<&0; "$@" </dev/null 3<&- & c=$!; (while read -r _; do :; done; kill -KILL 0) <&3 >/dev/null 2>&1 & w=$!; exec 3<&-; wait "$c"; s=$?; kill -KILL "$w" 2>/dev/null; exit "$s"';

export function remoteCommandLine(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('A command needs at least a program name.');
  return posixCommandLine(['sh', '-c', wrapper, 'kiops', ...argv]);
}

/**
 * Runs argv on the host through ssh exec. SSH has no argv: the server hands one string to the
 * remote user's login shell, so every element is quoted (see shell-quote.ts) and `$(…)`, `;`
 * or spaces in an argument stay literal.
 */
export function execOnHost(client: Client, argv: readonly string[], options: RemoteExecOptions): Promise<RemoteExecResult> {
  const command = remoteCommandLine(argv);
  return new Promise((resolve, reject) => {
    client.exec(command, (error, channel: ClientChannel) => {
      if (error) {
        reject(new AppError('UNAVAILABLE', `Could not start a command on ${options.hostLabel}: ${error.message}.`, undefined, { key: 'connections.ssh.commandNotStarted', params: { host: options.hostLabel, detail: error.message } }));
        return;
      }
      let pidLine: Buffer = Buffer.alloc(0);
      let pid: number | undefined;
      const collected: Record<'stdout' | 'stderr', Buffer[]> = { stdout: [], stderr: [] };
      // Counted as delivered (decoded) bytes: see delivered-output.ts.
      const output = new DeliveredOutput(options.maxOutputBytes, (stream, data) => collected[stream].push(data));
      let truncated = false;
      let finished = false;
      let exitCode: number | null = null;
      let signal: string | null = null;
      const stop = (): void => {
        if (pid !== undefined) killRemoteGroup(client, pid);
        channel.close();
      };
      const timer = setTimeout(() => {
        if (finished) return;
        finished = true;
        stop();
        const seconds = Math.round(options.deadlineMs / 100) / 10;
        reject(new AppError('TIMEOUT', `The command on ${options.hostLabel} did not finish within ${seconds} s and was stopped.`, { argv0: argv[0] }, { key: 'connections.ssh.commandTimeout', params: { host: options.hostLabel, seconds } }));
      }, options.deadlineMs);
      const collect = (stream: 'stdout' | 'stderr', chunk: Buffer): void => {
        if (truncated || finished) return;
        if (output.write(stream, chunk)) {
          truncated = true;
          stop();
        }
      };
      channel.on('data', (chunk: Buffer) => {
        if (pid === undefined) {
          pidLine = Buffer.concat([pidLine, chunk]);
          const newline = pidLine.indexOf(0x0a);
          if (newline === -1) return;
          pid = Number(pidLine.subarray(0, newline).toString('ascii'));
          const rest = pidLine.subarray(newline + 1);
          if (rest.length > 0) collect('stdout', rest);
          return;
        }
        collect('stdout', chunk);
      });
      channel.stderr.on('data', (chunk: Buffer) => collect('stderr', chunk));
      let exited = false;
      channel.on('exit', (code: number | null, sig?: string) => {
        exited = true;
        exitCode = typeof code === 'number' ? code : null;
        signal = sig ?? null;
      });
      channel.on('close', () => {
        clearTimeout(timer);
        if (finished) return;
        finished = true;
        const linkLost = !exited && !truncated;
        if (!truncated) output.flush();
        resolve({
          stdout: Buffer.concat(collected.stdout).toString('utf8'),
          stderr: Buffer.concat(collected.stderr).toString('utf8'),
          exitCode: truncated ? null : exitCode,
          signal,
          truncated,
          ...(linkLost ? { linkLost: true as const } : {}),
        });
      });
    });
  });
}

function killRemoteGroup(client: Client, pid: number): void {
  if (!Number.isInteger(pid) || pid <= 1) return;
  try {
    client.exec(`kill -KILL -${pid} 2>/dev/null || kill -KILL ${pid} 2>/dev/null`, (error, channel) => {
      if (!error) channel.resume().on('close', () => undefined);
    });
  } catch {
    // The connection is gone; the server ends the session's processes itself.
  }
}
