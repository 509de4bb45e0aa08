// The pooled SSH connection over a link the test freezes: keepalives must show the silent
// (half-open) link, and the connection must be ready again after the link's return without the
// operator doing anything, however long the backoff had grown. The retry wait the app schedules
// never exceeds its 10 s cap; how soon it heals is measured in bench/link-heal.ts.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SshConnection, type SshConnectionState } from '../../../electron/main/connections/ssh/ssh-connection.ts';
import { healWaitMs, LinkRelay, silentWaitMs } from '../../support/link-relay.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { MemoryHostKeyStore } from './support/sshd.ts';

const env = useTestEnvironment('ssh');

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function connectThrough(relay: LinkRelay) {
  const connection = new SshConnection({
    target: { host: '127.0.0.1', port: relay.port, username: env.ssh.user },
    identity: async () => ({ kind: 'private-key', privateKey: await readFile(env.ssh.keys.ed25519.privateKeyPath, 'utf8') }),
    hostKeys: new MemoryHostKeyStore(),
    unknownHostKey: { kind: 'accept', fingerprint: env.ssh.hostKey.fingerprint },
  });
  const states: { state: SshConnectionState; retryInMs?: number }[] = [];
  connection.onStatus((status) => states.push({ state: status.state, ...(status.retryInMs === undefined ? {} : { retryInMs: status.retryInMs }) }));
  return { connection, states };
}

describe('SSH connection over a breaking link', () => {
  it('shows a frozen link and is ready again after its return', async () => {
    const relay = await LinkRelay.start({ port: env.ssh.port, host: env.ssh.host });
    const { connection } = connectThrough(relay);
    try {
      const first = await connection.ready();
      relay.freeze();
      await waitFor(() => connection.state !== 'ready', silentWaitMs, 'the silent link shown');
      relay.resume();
      await waitFor(() => connection.state === 'ready', healWaitMs, 'ready after the return');
      expect(await connection.ready()).not.toBe(first);
    } finally {
      await connection.close();
      await relay.close();
    }
  });

  it('after an outage long enough for the backoff to grow, is ready again after the return, never scheduling a retry beyond the 10 s cap', async () => {
    const relay = await LinkRelay.start({ port: env.ssh.port, host: env.ssh.host });
    const { connection, states } = connectThrough(relay);
    try {
      await connection.ready();
      relay.down();
      // Without the probe the return would wait out this backoff.
      await waitFor(() => states.some((status) => (status.retryInMs ?? 0) >= 8_000), 30_000, 'backoff grown');
      relay.resume();
      await waitFor(() => connection.state === 'ready', healWaitMs, 'ready after the return');
      expect(Math.max(...states.map((status) => status.retryInMs ?? 0))).toBeLessThanOrEqual(10_000);
    } finally {
      await connection.close();
      await relay.close();
    }
  });
});
