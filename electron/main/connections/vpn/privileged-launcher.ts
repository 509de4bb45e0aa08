import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../../shared/errors.ts';

/**
 * Starts the programs a VPN needs (openvpn, wireguard-go, wg, ip) with the privileges they
 * need, always as an argv and never through a shell. Which launcher is used is configuration:
 *
 * - `direct`: the app already runs as root (CI, tests, a root service); plain spawn.
 * - `sudo`: `sudo -n -- /abs/program args…`; `-n` so sudo never waits on a password prompt the
 *   user cannot see; the administrator grants the VPN programs in sudoers (NOPASSWD).
 * - `pkexec`: `pkexec /abs/program args…`; polkit shows its own authentication dialog.
 *
 * Not implemented (they answer UNAVAILABLE): on macOS the equivalent is a privileged helper
 * installed with SMAppService (launchd daemon) that the app talks to over XPC, because
 * `AuthorizationExecuteWithPrivileges` is deprecated; on Windows it is a service (OpenVPN's
 * interactive service `openvpnserv2` over its named pipe, WireGuard's `wireguard.exe
 * /installtunnelservice`) or an elevated helper started with `runas` (UAC).
 *
 * Programs are resolved to absolute paths over a fixed PATH, so neither sudo's secure_path nor
 * the user's PATH decides which binary runs as root.
 */
export type LauncherKind = 'direct' | 'sudo' | 'pkexec';

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** What the tunnels need from a started process; a ChildProcess behind a narrow face. */
export interface LaunchedProcess {
  readonly pid: number | undefined;
  /** Resolves once when the process has exited (or failed to start: code null, signal null). */
  readonly exited: Promise<ProcessExit>;
  /** Receives stdout and stderr text as it arrives. */
  onOutput(listener: (text: string) => void): void;
  /** Signals the process group; false when the OS refused (e.g. a root child under pkexec). */
  kill(signal?: NodeJS.Signals): boolean;
}

export interface RunOutput {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface PrivilegedLauncher {
  readonly kind: LauncherKind;
  spawn(argv: readonly string[], options?: { readonly env?: Readonly<Record<string, string>> }): LaunchedProcess;
  /** Runs a short command to the end (ip, wg); rejects with LAUNCHER_REFUSED when privileges were refused. */
  run(argv: readonly string[], options?: { readonly input?: string; readonly timeoutMs?: number }): Promise<RunOutput>;
}

export const launcherPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export type SpawnFunction = (file: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

export interface LauncherConfig {
  readonly kind: LauncherKind;
  readonly platform?: NodeJS.Platform;
  /** Where programs are looked up (default: launcherPath). */
  readonly path?: string;
  readonly spawn?: SpawnFunction;
}

const defaultRunTimeoutMs = 15_000;

export function createPrivilegedLauncher(config: LauncherConfig): PrivilegedLauncher {
  const platform = config.platform ?? process.platform;
  if (platform !== 'linux') {
    throw new AppError(
      'UNAVAILABLE',
      `Bringing up a VPN is not available on ${platform} yet: it needs a privileged helper (macOS: a launchd helper; Windows: the OpenVPN/WireGuard service).`,
      { platform },
      { key: 'connections.vpn.launcher.platform', params: { platform } },
    );
  }
  return new ArgvLauncher(config.kind, config.path ?? launcherPath, config.spawn ?? spawn);
}

/** Finds `program` on `path` (colon-separated); absolute names are checked as they are. */
export function resolveProgram(program: string, path: string): string {
  const candidates = program.includes('/') ? [program] : path.split(':').filter(Boolean).map((dir) => join(dir, program));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // try the next folder
    }
  }
  throw new AppError('UNAVAILABLE', `The program "${program}" is not installed (looked in ${path}).`, { program }, { key: 'connections.vpn.launcher.programMissing', params: { program, path } });
}

/** sudo -n and pkexec report a refusal with these exits; the message is what users see. */
export function launcherRefusal(kind: LauncherKind, exit: ProcessExit, stderr: string): AppError | null {
  if (kind === 'sudo' && exit.code === 1 && /sudo: (a password is required|a terminal is required|.*not allowed|.*not in the sudoers)/i.test(stderr)) {
    return new AppError('LAUNCHER_REFUSED', 'sudo refused to start the VPN without a password. Allow the VPN programs for your user in sudoers (NOPASSWD), or choose pkexec as the launcher.', { launcher: kind }, { key: 'connections.vpn.launcher.sudoRefused' });
  }
  if (kind === 'pkexec' && (exit.code === 126 || exit.code === 127)) {
    return new AppError('LAUNCHER_REFUSED', 'The system did not authorize starting the VPN (the pkexec dialog was dismissed or the policy denied it).', { launcher: kind, exitCode: exit.code }, { key: 'connections.vpn.launcher.pkexecRefused' });
  }
  return null;
}

class ArgvLauncher implements PrivilegedLauncher {
  readonly kind: LauncherKind;
  private readonly path: string;
  private readonly spawnProcess: SpawnFunction;

  constructor(kind: LauncherKind, path: string, spawnProcess: SpawnFunction) {
    this.kind = kind;
    this.path = path;
    this.spawnProcess = spawnProcess;
  }

  /** The argv that really runs, launcher included. */
  wrap(argv: readonly string[]): string[] {
    const [program, ...args] = argv;
    if (program === undefined) throw new AppError('INTERNAL', 'An empty command line was given to the VPN launcher.', undefined, { key: 'connections.vpn.launcher.emptyCommand' });
    const absolute = resolveProgram(program, this.path);
    if (this.kind === 'direct') return [absolute, ...args];
    if (this.kind === 'sudo') return [resolveProgram('sudo', this.path), '-n', '--', absolute, ...args];
    return [resolveProgram('pkexec', this.path), absolute, ...args];
  }

  spawn(argv: readonly string[], options: { readonly env?: Readonly<Record<string, string>> } = {}): LaunchedProcess {
    const [file, ...args] = this.wrap(argv);
    // Own process group so one kill reaches the program and anything it started, and so a
    // terminal's Ctrl-C meant for the app does not cut the tunnel before teardown.
    const child = this.spawnProcess(file as string, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: { PATH: this.path, LANG: 'C', ...options.env },
    });
    return new LaunchedChild(child);
  }

  async run(argv: readonly string[], options: { readonly input?: string; readonly timeoutMs?: number } = {}): Promise<RunOutput> {
    const [file, ...args] = this.wrap(argv);
    const child = this.spawnProcess(file as string, args, {
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: true,
      env: { PATH: this.path, LANG: 'C' },
    });
    const launched = new LaunchedChild(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    if (options.input !== undefined) child.stdin?.end(options.input);
    const timer = setTimeout(() => launched.kill('SIGKILL'), options.timeoutMs ?? defaultRunTimeoutMs);
    const exit = await launched.exited.finally(() => clearTimeout(timer));
    const refused = launcherRefusal(this.kind, exit, stderr);
    if (refused) throw refused;
    if (launched.spawnError) throw new AppError('UNAVAILABLE', `Could not start ${argv[0]}: ${launched.spawnError.message}`, undefined, { key: 'connections.vpn.launcher.startFailed', params: { program: argv[0] ?? '', detail: launched.spawnError.message } });
    return { exitCode: exit.code, stdout, stderr };
  }
}

class LaunchedChild implements LaunchedProcess {
  readonly exited: Promise<ProcessExit>;
  spawnError: Error | undefined;
  private readonly child: ChildProcess;

  constructor(child: ChildProcess) {
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('error', (error) => {
        this.spawnError = error;
        resolve({ code: null, signal: null });
      });
      child.once('close', (code, signal) => resolve({ code, signal }));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  onOutput(listener: (text: string) => void): void {
    this.child.stdout?.on('data', (d: Buffer) => listener(d.toString('utf8')));
    this.child.stderr?.on('data', (d: Buffer) => listener(d.toString('utf8')));
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    const pid = this.child.pid;
    if (pid === undefined || this.child.exitCode !== null || this.child.signalCode !== null) return false;
    try {
      process.kill(-pid, signal);
      return true;
    } catch {
      try {
        return this.child.kill(signal);
      } catch {
        // pkexec's child runs as root: an unprivileged app may not signal it.
        return false;
      }
    }
  }
}
