import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A real OpenSSH server for one test file, on 127.0.0.1 and a free port, with its own host key
 * and authorized keys. Until tests/support provides a shared sshd, connection tests start
 * their own through this helper.
 */
export interface TestSshd {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly dir: string;
  /** Private keys (OpenSSH format) the server accepts, and one it does not. */
  readonly keys: { ed25519: string; rsa: string; ecdsa: string; encrypted: string; unauthorized: string };
  readonly passphrase: string;
  /** `SHA256:…` as `ssh-keygen -lf` prints it for the server's ed25519 host key. */
  hostFingerprint(): Promise<string>;
  /** What sshd wrote to stderr so far (at the configured LogLevel). */
  log(): string;
  /** The host key's public line (`ssh-ed25519 AAAA… comment`), as known_hosts would hold it. */
  hostPublicKey(): Promise<string>;
  /**
   * Stops the server, replaces its host key and starts it again on the same port. Sessions
   * outlive a restarted sshd; `dropSessions` ends this server's own session processes first,
   * so clients must reconnect (and meet the new key).
   */
  replaceHostKey(options?: { dropSessions?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

export interface TestSshdOptions {
  readonly allowStreamLocalForwarding?: boolean;
  /** More public keys (OpenSSH `.pub` lines) to accept, e.g. another test server's key for a jump host. */
  readonly authorizedKeys?: readonly string[];
  /** Default ERROR; DEBUG1 logs each direct-tcpip (ProxyJump) channel with its target. */
  readonly logLevel?: 'ERROR' | 'VERBOSE' | 'DEBUG1';
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForPort(port: number, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`sshd did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function keygen(path: string, type: string, passphrase = ''): Promise<string> {
  const args = ['-q', '-t', type, '-f', path, '-N', passphrase, '-C', `kiops-test-${type}`];
  if (type === 'rsa') args.push('-b', '2048');
  await run('ssh-keygen', args);
  return readFile(path, 'utf8');
}

export async function startTestSshd(options: TestSshdOptions = {}): Promise<TestSshd> {
  const dir = await mkdtemp(join(tmpdir(), 'kiops-sshd-'));
  // sshd refuses to start without its privilege separation folder.
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const passphrase = 'correct horse battery staple';
  const keys = {
    ed25519: await keygen(join(dir, 'id_ed25519'), 'ed25519'),
    rsa: await keygen(join(dir, 'id_rsa'), 'rsa'),
    ecdsa: await keygen(join(dir, 'id_ecdsa'), 'ecdsa'),
    encrypted: await keygen(join(dir, 'id_encrypted'), 'ed25519', passphrase),
    unauthorized: await keygen(join(dir, 'id_unauthorized'), 'ed25519'),
  };
  const authorized = await Promise.all(['id_ed25519', 'id_rsa', 'id_ecdsa', 'id_encrypted'].map((k) => readFile(join(dir, `${k}.pub`), 'utf8')));
  await writeFile(join(dir, 'authorized_keys'), [...authorized, ...(options.authorizedKeys ?? []).map((line) => `${line.trim()}\n`)].join(''), { mode: 0o600 });
  const hostKeyPath = join(dir, 'host_ed25519');
  await keygen(hostKeyPath, 'ed25519');
  const port = await freePort();
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKeyPath}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'AllowTcpForwarding yes',
    `AllowStreamLocalForwarding ${options.allowStreamLocalForwarding === false ? 'no' : 'yes'}`,
    `LogLevel ${options.logLevel ?? 'ERROR'}`,
    // a HOME of the test's own: the machine's login dotfiles must not run in test sessions
    `SetEnv HOME=${join(dir, 'home')}`,
    '',
  ].join('\n');
  await mkdir(join(dir, 'home'), { recursive: true });
  const configPath = join(dir, 'sshd_config');
  await writeFile(configPath, config);

  let child: ChildProcess | undefined;
  let log = '';
  const start = async (): Promise<void> => {
    const proc = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child = proc;
    try {
      await waitForPort(port, 30_000);
    } catch (error) {
      proc.kill('SIGKILL');
      throw new Error(`${(error as Error).message}: ${log}`, { cause: error });
    }
  };
  const stopServer = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  };
  await start();

  return {
    host: '127.0.0.1',
    port,
    username: userInfo().username,
    dir,
    keys,
    passphrase,
    log: () => log,
    hostPublicKey: () => readFile(`${hostKeyPath}.pub`, 'utf8'),
    async hostFingerprint() {
      const { stdout } = await run('ssh-keygen', ['-lf', `${hostKeyPath}.pub`, '-E', 'sha256']);
      return stdout.split(' ')[1] ?? '';
    },
    async replaceHostKey(replace: { dropSessions?: boolean } = {}) {
      if (replace.dropSessions && child?.pid !== undefined) await endSessionsOf(child.pid);
      await stopServer();
      await rm(hostKeyPath, { force: true });
      await rm(`${hostKeyPath}.pub`, { force: true });
      await keygen(hostKeyPath, 'ed25519');
      await start();
    },
    async stop() {
      await stopServer();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Ends the session processes this test's sshd forked (its direct children), by their ids. */
async function endSessionsOf(listenerPid: number): Promise<void> {
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid …: comm may hold spaces, so read after the last ')'
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === listenerPid) children.push(Number(entry));
  }
  for (const pid of children) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

/** A HostKeyStore backed by a Map, standing in for the SQLite repository. */
export class MemoryHostKeyStore {
  readonly pins = new Map<string, string>();
  async get(hostPort: string): Promise<string | null> {
    return this.pins.get(hostPort) ?? null;
  }
  async set(hostPort: string, fingerprint: string): Promise<void> {
    this.pins.set(hostPort, fingerprint);
  }
}
