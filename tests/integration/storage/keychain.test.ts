import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { KeychainSecretStore } from '../../../electron/main/secrets/keychain-secret-store.ts';
import { dataFiles } from '../../support/data-files.ts';

const run = promisify(execFile);
const service = 'kiops-desktop-test';
const store = new KeychainSecretStore({ service });
const keyPrefix = `it/${process.pid}-${randomBytes(4).toString('hex')}/`;
const probePath = fileURLToPath(new URL('./keychain-probe.ts', import.meta.url));

// tests/support/global-setup.ts starts a private dbus session with an unlocked gnome-keyring.
// Locally without it these tests skip; in CI a missing keychain is a failure, never a skip.
const keychain = await store.status();
const skip = !keychain.available && process.env.CI !== 'true';

afterAll(async () => {
  if (!keychain.available) return;
  for (const key of await store.list(keyPrefix)) await store.delete(key);
});

/** Asks the Secret Service directly, bypassing keytar: `secret-tool lookup service … account …`. */
async function secretToolLookup(account: string): Promise<string | null> {
  try {
    const { stdout } = await run('secret-tool', ['lookup', 'service', service, 'account', account]);
    return stdout;
  } catch {
    return null; // exit status 1: no such item
  }
}

describe.skipIf(skip)('KeychainSecretStore against gnome-keyring', () => {
  it('finds a Secret Service to talk to', () => {
    expect(keychain).toEqual({ available: true });
  });

  it('round-trips secrets as one keychain item per key, visible to secret-tool', async () => {
    const kubeconfigKey = `${keyPrefix}environment/prod/kubeconfig`;
    const sshKey = `${keyPrefix}ssh/bastion/private-key`;
    const token = `token-${randomBytes(12).toString('hex')}`;
    const pem = `-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA ✓ ü\n-----END OPENSSH PRIVATE KEY-----\n`;

    await store.set(kubeconfigKey, token);
    await store.set(sshKey, pem);
    expect(await store.get(kubeconfigKey)).toBe(token);
    expect(await store.get(sshKey)).toBe(pem);
    expect(await secretToolLookup(kubeconfigKey)).toBe(token);
    expect(await secretToolLookup(sshKey)).toBe(pem);
    expect(await store.list(keyPrefix)).toEqual([kubeconfigKey, sshKey]);

    await store.set(kubeconfigKey, `${token}-rotated`);
    expect(await secretToolLookup(kubeconfigKey)).toBe(`${token}-rotated`);
    expect(await store.list(keyPrefix)).toHaveLength(2);

    expect(await store.delete(kubeconfigKey)).toBe(true);
    expect(await store.delete(kubeconfigKey)).toBe(false);
    expect(await store.get(kubeconfigKey)).toBeNull();
    expect(await secretToolLookup(kubeconfigKey)).toBeNull();
  });

  it('keeps services apart: another service name never sees these keys', async () => {
    const key = `${keyPrefix}isolation`;
    await store.set(key, 'only-for-the-test-service');
    const other = new KeychainSecretStore({ service: `${service}-other` });
    expect(await other.get(key)).toBeNull();
    expect(await other.list(keyPrefix)).toEqual([]);
  });
});

interface ProbeReport {
  status: { available: boolean; reason?: string };
  auditStatus: { writable: boolean; reason?: string };
  directSet: { code: string; message: string } | 'succeeded';
  auditedSet: { code: string; message: string } | 'succeeded';
  get: { code: string; message: string } | 'succeeded';
  auditRows: number;
}

function runProbe(dataDir: string, secret: string): Promise<{ report: ProbeReport; output: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/kiops-no-session-bus', KIOPS_PROBE_SECRET: secret };
    delete env.DISPLAY; // otherwise libdbus may try to autolaunch a bus through X11
    const child = spawn(process.execPath, [probePath, dataDir, service], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`probe exited with ${code}: ${stderr}`));
      else resolve({ report: JSON.parse(stdout) as ProbeReport, output: stdout + stderr });
    });
  });
}

describe('without a Secret Service', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiops-no-keychain-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses to persist with KEYCHAIN_UNAVAILABLE, refuses the audited save, and writes the secret nowhere', async () => {
    const secret = `kiops-canary-${randomBytes(16).toString('hex')}`;
    const { report, output } = await runProbe(dataDir, secret);

    expect(report.status.available).toBe(false);
    expect(report.directSet).toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE', message: expect.stringMatching(/No OS keychain \(Secret Service\).*never saved to disk in plain text/) });
    expect(report.get).toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    // The audit key lives in the keychain too, so the trail cannot record and the action is refused outright.
    expect(report.auditStatus).toMatchObject({ writable: false, reason: expect.stringMatching(/refuses them/) });
    expect(report.auditedSet).toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
    expect(report.auditRows).toBe(0);
    expect(output).not.toContain(secret);

    const files = dataFiles(dataDir);
    expect(files.map((file) => file.name).sort()).toEqual(expect.arrayContaining(['kiops.db']));
    const needles = [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le'), Buffer.from(Buffer.from(secret).toString('base64'), 'utf8')];
    for (const file of files) {
      for (const needle of needles) expect(file.bytes.includes(needle), `${file.name} holds the secret`).toBe(false);
    }
    // The non-secret reference did reach SQLite, so the grep above was looking at real writes.
    const written = files.some((file) => file.bytes.includes(Buffer.from('environment/prod/kubeconfig-token')));
    expect(written).toBe(true);
  });
});
