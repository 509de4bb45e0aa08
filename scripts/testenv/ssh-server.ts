import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { connect, createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { runTool, startDaemon, TestEnvironmentStartError, waitForDaemon, type Daemon } from './daemon-process.ts';
import type { SshDescription, SshKey } from './description.ts';
import { isAlive, stopProcessGroup } from './folder-cleanup.ts';
import { toolPath, type ToolRequirement } from './host-tools.ts';
import type { PieceContext } from './piece-context.ts';

export const SSH_TOOLS: ToolRequirement[] = [
  { name: 'sshd', package: 'openssh-server' },
  { name: 'ssh-keygen', package: 'openssh-client' },
];

/** The privilege separation directory is compiled into sshd; Debian's service creates it at boot, a fresh machine may lack it. */
const PRIVSEP_DIRECTORY = '/run/sshd';

function fingerprintOf(publicKey: string): string {
  const blob = publicKey.trim().split(/\s+/)[1] ?? '';
  return `SHA256:${createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '')}`;
}

async function generateKey(sshKeygen: string, folder: string, name: string, type: string, extra: string[], passphrase: string | null): Promise<SshKey> {
  const privateKeyPath = join(folder, name);
  await runTool(sshKeygen, ['-q', '-t', type, ...extra, '-N', passphrase ?? '', '-C', `kiops-test-${name}`, '-f', privateKeyPath], { timeoutMs: 30_000 });
  const publicKey = readFileSync(`${privateKeyPath}.pub`, 'utf8').trim();
  return {
    type: publicKey.split(' ')[0] ?? type,
    privateKeyPath,
    publicKeyPath: `${privateKeyPath}.pub`,
    publicKey,
    fingerprint: fingerprintOf(publicKey),
    passphrase,
  };
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves the server's identification line once sshd accepts connections on the port. */
function sshBanner(port: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(2_000, () => socket.destroy(new Error('no SSH banner within 2 s')));
    socket.once('data', (data) => {
      socket.destroy();
      const line = data.toString('utf8').split('\r\n')[0] ?? '';
      resolve(line.startsWith('SSH-2.0-') ? line : null);
    });
    socket.on('error', reject);
  });
}

function writeServerConfig(folder: string, port: number, user: string, hostKeyPath: string, authorizedKeysPath: string): string {
  const configPath = join(folder, 'sshd_config');
  mkdirSync(join(folder, 'home'), { recursive: true, mode: 0o700 });
  writeFileSync(
    configPath,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKeyPath}`,
      `PidFile ${join(folder, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorizedKeysPath}`,
      // only the test account, whatever other accounts the machine has
      `AllowUsers ${user}`,
      // keys and folder belong to the test run, not to the login user's home
      'StrictModes no',
      'UsePAM no',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      // later tests reach the docker socket and SOCKS targets through this server
      'AllowTcpForwarding yes',
      'AllowStreamLocalForwarding yes',
      'X11Forwarding no',
      'PrintMotd no',
      'PrintLastLog no',
      'UseDNS no',
      'MaxStartups 100:30:200',
      'LogLevel VERBOSE',
      'Subsystem sftp internal-sftp',
      // Sessions get a HOME of their own: the account's real dotfiles are the machine's, not the
      // test's (a login bashrc running `pyenv rehash` hung every session once its lock was left
      // behind by a session killed mid-login).
      `SetEnv HOME=${join(folder, 'home')}`,
      '',
    ].join('\n'),
  );
  return configPath;
}

export async function startSshServer(context: PieceContext, tools: Record<string, string>): Promise<SshDescription> {
  const folder = join(context.folder, 'ssh');
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  try {
    mkdirSync(PRIVSEP_DIRECTORY, { recursive: true, mode: 0o755 });
  } catch {
    // not root: sshd says in its log whether it needs the directory
  }
  const sshKeygen = toolPath(tools, 'ssh-keygen');
  const [hostKey, ed25519, rsa, ecdsa, ed25519WithPassphrase] = await Promise.all([
    generateKey(sshKeygen, folder, 'host_ed25519', 'ed25519', [], null),
    generateKey(sshKeygen, folder, 'user_ed25519', 'ed25519', [], null),
    generateKey(sshKeygen, folder, 'user_rsa', 'rsa', ['-b', '3072'], null),
    generateKey(sshKeygen, folder, 'user_ecdsa', 'ecdsa', ['-b', '256'], null),
    generateKey(sshKeygen, folder, 'user_ed25519_passphrase', 'ed25519', [], 'kiops test passphrase'),
  ]);
  const authorizedKeysPath = join(folder, 'authorized_keys');
  writeFileSync(authorizedKeysPath, [ed25519, rsa, ecdsa, ed25519WithPassphrase].map((key) => key.publicKey).join('\n') + '\n');
  chmodSync(authorizedKeysPath, 0o600);

  const user = userInfo().username;
  // The free port is found by binding and releasing it; another process may take it in between, so retry on a new one.
  let lastError: unknown = null;
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const port = await freeLoopbackPort();
    const configPath = writeServerConfig(folder, port, user, hostKey.privateKeyPath, authorizedKeysPath);
    const daemon: Daemon = startDaemon({
      name: 'sshd',
      command: toolPath(tools, 'sshd'),
      args: ['-D', '-e', '-f', configPath],
      env: { ...process.env },
      cwd: folder,
      logPath: join(folder, 'sshd.log'),
    });
    try {
      await waitForDaemon(daemon, { timeoutMs: context.timeoutMs, what: `send its SSH banner on 127.0.0.1:${port}` }, () => sshBanner(port));
    } catch (error) {
      lastError = error;
      if (isAlive(daemon.pid)) await stopProcessGroup(daemon.pid, context.folder, 2_000);
      if (error instanceof TestEnvironmentStartError && /Address already in use|Cannot bind/i.test(error.message)) continue;
      throw error;
    }
    return {
      status: 'ready',
      piece: 'ssh',
      host: '127.0.0.1',
      port,
      user,
      pid: daemon.pid,
      logPath: daemon.logPath,
      configPath,
      hostKey: { type: hostKey.type, publicKey: hostKey.publicKey, fingerprint: hostKey.fingerprint },
      keys: { ed25519, rsa, ecdsa, ed25519WithPassphrase },
    };
  }
  throw lastError;
}

export async function stopSshServer(description: SshDescription, environmentFolder: string): Promise<void> {
  await stopProcessGroup(description.pid, environmentFolder, 5_000);
}
