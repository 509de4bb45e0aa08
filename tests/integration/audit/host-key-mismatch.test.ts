import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type KiopsClient } from '../../../shared/contract/client.ts';
import { createKiopsCore, type KiopsCore } from '../../../electron/main/composition.ts';
import { createMemoryTransport } from '../../../electron/main/ipc/memory-transport.ts';
import { openDatabase } from '../../../electron/main/storage/database.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';

// Class 3 of issue 10: a changed SSH host key is refused, and the refusal is audited (it was
// never recorded). The pinned key is replaced in SQLite as if the server had been swapped.

const env = useTestEnvironment('keyring', 'docker', 'ssh');

describe('SSH host-key mismatch', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiops-host-key-'));
  let core: KiopsCore;
  let client: KiopsClient;
  const hostPort = () => `${env.ssh.host}:${env.ssh.port}`;
  // generated stand-ins for "the key we pinned before": random blobs in OpenSSH fingerprint form
  const otherFingerprint = () => `SHA256:${createHash('sha256').update(randomBytes(32)).digest('base64').replace(/=+$/, '')}`;

  beforeAll(async () => {
    core = await createKiopsCore({ dataDir, shell: 'browser', version: 'test', keychainService: `kiops-host-key-test-${randomUUID()}`, probeTimeoutMs: 5_000, logger: { error: () => {}, warn: () => {} } });
    const sender = { transport: 'memory', origin: 'host-key-test' } as const;
    core.senderPolicy.allow((candidate) => candidate.origin === sender.origin);
    client = createClient(createMemoryTransport(core.router, sender));
  });

  afterAll(async () => {
    if (core !== undefined) {
      for (const key of await core.secrets.list('').catch(() => [])) await core.secrets.delete(key).catch(() => false);
      await core.close();
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  for (let attempt = 1; attempt <= 2; attempt += 1) {
    it(`refuses the connection and records host-key.mismatch with both fingerprints (variant ${attempt})`, async () => {
      // a fresh identity each time: its own connection pool, so the host must present its key
      const identity = await client.call('sshIdentities.add', { kind: 'private-key', name: `host key test ${attempt}`, privateKey: readFileSync(env.ssh.keys.ed25519.privateKeyPath, 'utf8') });
      const environmentId = (
        await client.call('environments.addEngine', {
          name: `docker over ssh ${attempt}`,
          engine: 'docker',
          socketPath: env.docker.socketPath,
          connection: { selected: 'ssh', methods: ['ssh'], ssh: { host: env.ssh.host, port: env.ssh.port, username: env.ssh.user, identityId: identity.id } },
        })
      ).id;
      const pinned = otherFingerprint();
      const database = openDatabase(dataDir);
      try {
        database.prepare('INSERT OR REPLACE INTO ssh_host_keys (host_port, fingerprint, pinned_at) VALUES (?, ?, ?)').run(hostPort(), pinned, new Date().toISOString());
      } finally {
        database.close();
      }
      const tested = await client.call('environments.testConnection', { id: environmentId });
      expect(tested).toMatchObject({ ok: false, error: { code: 'HOST_KEY_CHANGED' } });
      const row = await waitForRow();
      expect(row).toMatchObject({
        action: 'host-key.mismatch',
        outcome: 'refused',
        target: hostPort(),
        details: { previousFingerprint: pinned, presentedFingerprint: env.ssh.hostKey.fingerprint },
      });
      expect(row.error).toContain('has changed');
    });
  }

  let lastSeen = 0;
  /** The mismatch row is written from the connection's host-key callback: wait for it to appear. */
  async function waitForRow() {
    for (const deadline = Date.now() + 5_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 20))) {
      const row = (await client.call('audit.list', { limit: 1, action: 'host-key.mismatch' })).rows[0];
      if (row !== undefined && row.seq > lastSeen) {
        lastSeen = row.seq;
        return row;
      }
    }
    throw new Error('no host-key.mismatch row appeared');
  }
});
