import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshConnectionPool } from '../../../electron/main/connections/ssh/connection-pool.ts';
import type { PinnedHostKey } from '../../../electron/main/connections/ssh/host-keys.ts';
import { identityFromAgent, type SshIdentity } from '../../../electron/main/connections/ssh/identity.ts';
import { SshConnection, type SshConnectionOptions, type Timers } from '../../../electron/main/connections/ssh/ssh-connection.ts';
import { freePort, MemoryHostKeyStore, startTestSshd, type TestSshd } from './support/sshd.ts';
import { refusingPort } from '../../support/refusing-address.ts';

let sshd: TestSshd;
const open: SshConnection[] = [];

beforeAll(async () => {
  sshd = await startTestSshd();
});
afterAll(async () => {
  await Promise.allSettled(open.map((c) => c.close()));
  await sshd?.stop();
});

function connection(identity: SshIdentity, overrides: Partial<SshConnectionOptions> = {}): SshConnection {
  const c = new SshConnection({
    target: { host: sshd.host, port: sshd.port, username: sshd.username },
    identity: async () => identity,
    hostKeys: new MemoryHostKeyStore(),
    unknownHostKey: { kind: 'trust-on-first-use' },
    readyTimeoutMs: 10_000,
    ...overrides,
  });
  open.push(c);
  return c;
}

const key = (name: keyof TestSshd['keys'], passphrase?: string): SshIdentity =>
  passphrase === undefined ? { kind: 'private-key', privateKey: sshd.keys[name] } : { kind: 'private-key', privateKey: sshd.keys[name], passphrase };

describe('host keys', () => {
  it('trusts on first use, reports the OpenSSH fingerprint, then connects with the pin alone', async () => {
    const hostKeys = new MemoryHostKeyStore();
    const reported: PinnedHostKey[] = [];
    const first = connection(key('ed25519'), { hostKeys, onHostKeyPinned: (k) => reported.push(k) });
    await first.ready();
    const fingerprint = await sshd.hostFingerprint();
    expect(fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(reported).toEqual([{ hostPort: `127.0.0.1:${sshd.port}`, fingerprint, keyType: 'ssh-ed25519' }]);
    expect(hostKeys.pins.get(`127.0.0.1:${sshd.port}`)).toBe(fingerprint);
    await first.close();

    const again = connection(key('ed25519'), { hostKeys, unknownHostKey: { kind: 'ask' }, onHostKeyPinned: (k) => reported.push(k) });
    await again.ready();
    expect(reported).toHaveLength(1);
  });

  it('asks before trusting an unknown host, then accepts exactly the confirmed fingerprint', async () => {
    const hostKeys = new MemoryHostKeyStore();
    const fingerprint = await sshd.hostFingerprint();
    const asking = connection(key('ed25519'), { hostKeys, unknownHostKey: { kind: 'ask' } });
    const error = await asking.ready().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HOST_KEY_UNKNOWN', details: { presentedFingerprint: fingerprint } });
    expect((error as Error).message).toContain(`127.0.0.1:${sshd.port} is not known yet. Its host key fingerprint is ${fingerprint}`);
    expect(hostKeys.pins.size).toBe(0);

    const wrong = connection(key('ed25519'), { hostKeys, unknownHostKey: { kind: 'accept', fingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
    await expect(wrong.ready()).rejects.toMatchObject({ code: 'HOST_KEY_UNKNOWN' });

    const confirmed = connection(key('ed25519'), { hostKeys, unknownHostKey: { kind: 'accept', fingerprint } });
    await confirmed.ready();
    expect(hostKeys.pins.get(`127.0.0.1:${sshd.port}`)).toBe(fingerprint);
  });
});

describe('authentication', () => {
  it('logs in with ed25519, RSA and ECDSA keys', async () => {
    for (const name of ['ed25519', 'rsa', 'ecdsa'] as const) {
      const c = connection(key(name));
      await c.ready();
      expect(c.state).toBe('ready');
      await c.close();
    }
  });

  it('says the key is not accepted, naming user and host', async () => {
    const error = await connection(key('unauthorized')).ready().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'AUTH_FAILED' });
    expect((error as Error).message).toBe(
      `${sshd.username}@127.0.0.1:${sshd.port} refused the login: the key (or agent identities) is not accepted for user "${sshd.username}". Check the user name and that the public key is in the server’s ~/.ssh/authorized_keys.`,
    );
  });

  it('tells a missing passphrase from a wrong one, and opens with the right one', async () => {
    await expect(connection(key('encrypted')).ready()).rejects.toMatchObject({
      code: 'KEY_PASSPHRASE_INVALID',
      message: `The private key for ${sshd.username}@127.0.0.1:${sshd.port} is protected by a passphrase; enter it to connect.`,
    });
    const wrong = await connection(key('encrypted', 'not it')).ready().catch((e: unknown) => e);
    expect(wrong).toMatchObject({ code: 'KEY_PASSPHRASE_INVALID', message: `The passphrase does not unlock the private key for ${sshd.username}@127.0.0.1:${sshd.port}.` });
    expect(JSON.stringify(wrong)).not.toContain('not it');
    const right = connection(key('encrypted', sshd.passphrase));
    await right.ready();
    expect(right.state).toBe('ready');
  });

  it('uses the running ssh-agent', async () => {
    const socketPath = join(sshd.dir, 'agent.sock');
    const agent: ChildProcess = spawn('ssh-agent', ['-D', '-a', socketPath], { stdio: 'ignore' });
    try {
      await waitFor(async () => (await runOk('ssh-add', ['-l'], { SSH_AUTH_SOCK: socketPath })) !== null);
      await runOk('ssh-add', [join(sshd.dir, 'id_ecdsa')], { SSH_AUTH_SOCK: socketPath });
      const identity = await identityFromAgent({ SSH_AUTH_SOCK: socketPath })();
      const c = connection(identity);
      await c.ready();
      expect(c.state).toBe('ready');
      await expect(identityFromAgent({})()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    } finally {
      agent.kill('SIGTERM');
    }
  });

  it('reports a closed port as unreachable with the host in the message', async () => {
    const port = refusingPort;
    const error = await connection(key('ed25519'), { target: { host: '127.0.0.1', port, username: 'ops' } }).ready().catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'UNREACHABLE',
      message: `Cannot reach ops@127.0.0.1:${port}: the connection was refused (is the SSH server running and the port right?).`,
    });
  });
});

describe('host commands', () => {
  const pool = new SshConnectionPool({ readyTimeoutMs: 10_000 });
  const options = (): SshConnectionOptions => ({
    target: { host: sshd.host, port: sshd.port, username: sshd.username },
    identity: async () => key('ed25519'),
    hostKeys: new MemoryHostKeyStore(),
    unknownHostKey: { kind: 'trust-on-first-use' },
  });
  const limits = { deadlineMs: 10_000, maxOutputBytes: 64 * 1024 };
  afterAll(() => pool.close());

  it('runs id -un as the SSH user over one pooled connection', async () => {
    const opts = options();
    const result = await pool.exec(opts, ['id', '-un'], limits);
    expect(result).toEqual({ stdout: `${sshd.username}\n`, stderr: '', exitCode: 0, signal: null, truncated: false });
    expect(pool.connection(opts)).toBe(pool.connection(options()));
  });

  it('keeps awkward arguments literal through the remote shell', async () => {
    const argv = ['echo', 'two  spaces', "it's", '"double"', '$(id -u)', '`whoami`', '$HOME', '; rm -rf /tmp/nothing', '*', '', 'new\nline', '!x'];
    const result = await pool.exec(options(), argv, limits);
    expect(result.stdout).toBe(`${argv.slice(1).join(' ')}\n`);
  });

  it('returns exit codes and stderr, stops at the deadline and caps output', async () => {
    const failed = await pool.exec(options(), ['sh', '-c', 'echo oops >&2; exit 3'], limits);
    expect(failed).toMatchObject({ stderr: 'oops\n', exitCode: 3 });
    await expect(pool.exec(options(), ['sleep', '31.5'], { deadlineMs: 300, maxOutputBytes: 1024 })).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: `The command on 127.0.0.1:${sshd.port} did not finish within 0.3 s and was stopped.`,
    });
    // The SSH host is this machine, so the remote process is visible here: it must be gone.
    await waitFor(async () => (await runOk('pgrep', ['-f', '^sleep 31.5$'], {})) === '', 30_000);
    const big = await pool.exec(options(), ['head', '-c', '1000000', '/dev/zero'], { deadlineMs: 10_000, maxOutputBytes: 1000 });
    expect(big).toMatchObject({ truncated: true, exitCode: null });
    expect(big.stdout.length).toBe(1000);
  });
});

describe('reconnect', () => {
  it('reconnects after the link drops, backing off exponentially while the host is down', async () => {
    const relay = await startRelay(sshd.port);
    const delays: number[] = [];
    const timers: Timers = {
      setTimeout: (callback, ms) => {
        delays.push(ms);
        // The host comes back after the third failed attempt.
        if (delays.length === 4) void relay.listen().then(callback);
        else setImmediate(callback);
        return delays.length;
      },
      clearTimeout: () => undefined,
    };
    const c = connection(key('ed25519'), { target: { host: '127.0.0.1', port: relay.port, username: sshd.username }, timers, backoff: { initialMs: 1_000, maxMs: 5_000 } });
    const first = await c.ready();
    const states: string[] = [];
    c.onStatus((s) => states.push(s.state));
    const stopped = relay.stop();
    relay.dropAll();
    await stopped;
    await waitFor(async () => c.state === 'ready' && (await c.ready()) !== first, 20_000);
    expect(delays).toEqual([1_000, 2_000, 4_000, 5_000]);
    expect(states[0]).toBe('reconnecting');
    expect(states.at(-1)).toBe('ready');
    const again = await c.ready();
    await new Promise<void>((resolve, reject) => again.exec('true', (err, ch) => (err ? reject(err) : ch.on('close', () => resolve()).resume())));
    const stoppedAgain = relay.stop();
    relay.dropAll();
    await stoppedAgain;
    await c.close();
  });
});

describe('a host whose key changed', () => {
  it('refuses to connect and shows the pinned and the presented fingerprints', async () => {
    const hostKeys = new MemoryHostKeyStore();
    const before = await sshd.hostFingerprint();
    const c = connection(key('ed25519'), { hostKeys });
    await c.ready();
    await c.close();
    await sshd.replaceHostKey();
    const after = await sshd.hostFingerprint();
    expect(after).not.toBe(before);
    const error = await connection(key('ed25519'), { hostKeys }).ready().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HOST_KEY_CHANGED', details: { previousFingerprint: before, presentedFingerprint: after } });
    expect((error as Error).message).toContain(`The host key of 127.0.0.1:${sshd.port} has changed: it was ${before} and is now ${after} (ssh-ed25519).`);
    expect(hostKeys.pins.get(`127.0.0.1:${sshd.port}`)).toBe(before);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function runOk(command: string, args: string[], env: Record<string, string>): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    // ssh-add -l exits 1 when the agent is up but empty, 2 when it cannot reach it.
    child.on('close', (code) => resolve(code === 0 || code === 1 ? out : null));
  });
}

/** A TCP relay in front of sshd that the test can take down and bring back on the same port. */
async function startRelay(targetPort: number): Promise<{ port: number; listen(): Promise<void>; stop(): Promise<void>; dropAll(): void }> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const listen = (): Promise<void> =>
    new Promise((resolve) => {
      server = createServer((inbound) => {
        const outbound = connect(targetPort, '127.0.0.1');
        for (const s of [inbound, outbound]) {
          sockets.add(s);
          s.on('error', () => undefined);
          s.on('close', () => sockets.delete(s));
        }
        inbound.pipe(outbound).pipe(inbound);
      });
      server.listen(port, '127.0.0.1', () => resolve());
    });
  await listen();
  return {
    port,
    listen,
    stop: () => new Promise((resolve) => (server ? server.close(() => resolve()) : resolve())),
    dropAll: () => {
      for (const s of sockets) s.destroy();
    },
  };
}
