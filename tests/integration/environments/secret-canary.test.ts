import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.ts';
import { KeychainSecretStore } from '../../../electron/main/secrets/keychain-secret-store.ts';
import type { SecretStore } from '../../../electron/main/secrets/secret-store.ts';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { startTestCore, type TestCore } from './support/core.ts';
import { dataFiles } from '../../support/data-files.ts';

const run = promisify(execFile);
const env = useTestEnvironment('keyring', 'ssh');

const wgKey = () => randomBytes(32).toString('base64');

describe('secret canary: markers in every secret never leave the keychain', () => {
  const marker = `kiopscanary${randomBytes(6).toString('hex')}`;
  let kube: KubeTestServer;
  let app: TestCore;
  let dir: string;
  let keyBody: string;
  beforeAll(async () => {
    kube = await startKubeTestServer({ nodes: 1 });
    app = await startTestCore();
    dir = await mkdtemp(join(tmpdir(), 'kiops-canary-'));
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', `pass-${marker}`, '-C', `comment-${marker}`, '-f', join(dir, 'key')]);
  });
  afterAll(async () => {
    await app?.close();
    await kube?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('adds, lists, tests and removes without the markers appearing anywhere but the keychain', async () => {
    const privateKey = await readFile(join(dir, 'key'), 'utf8');
    keyBody = privateKey.split('\n').slice(2, 4).join('');
    const identity = await app.client.call('sshIdentities.add', { kind: 'private-key', name: 'canary key', privateKey, passphrase: `pass-${marker}` });
    const kubeconfig = kube.kubeconfigYaml('developer', 'default').replace('developer-token', `token-${marker}`);
    const { environments } = await app.client.call('environments.addKubernetes', {
      source: { kind: 'text', text: kubeconfig },
      contexts: [kube.contextName('developer')],
      name: 'canary cluster',
      connection: { selected: 'auto', methods: ['ssh', 'direct'], ssh: { host: env.ssh.host, port: env.ssh.port, username: env.ssh.user, identityId: identity.id } },
    });
    const profile = ['# ' + marker, '[Interface]', `PrivateKey = ${wgKey()}`, 'Address = 10.231.0.2/32', '', '[Peer]', `PublicKey = ${wgKey()}`, 'Endpoint = 127.0.0.1:51820', 'AllowedIPs = 10.231.0.0/24', ''].join('\n');
    const vpn = await app.client.call('vpnProfiles.add', { name: 'canary vpn', profile });
    expect(vpn).toMatchObject({ kind: 'wireguard', state: 'down' });

    await app.client.call('environments.list', {});
    await app.client.call('sshIdentities.list', {});
    await app.client.call('vpnProfiles.list', {});
    const env0 = environments[0]!;
    await app.client.call('hostKeys.trust', { environmentId: env0.id, fingerprint: env.ssh.hostKey.fingerprint });
    // The canary key is not authorized on the test sshd, and the token is not known to the cluster:
    // both failures must be reported without quoting either.
    const tested = await app.client.call('environments.testConnection', { id: env0.id });
    expect(tested).toMatchObject({ ok: false, state: 'error', error: { code: 'AUTH_FAILED' }, attempts: [{ method: 'ssh', code: 'AUTH_FAILED' }, { method: 'direct', healthy: true }] });
    await app.client.call('audit.export', {});

    const stored = await app.core.secrets.list('');
    expect(stored).toEqual(expect.arrayContaining([`env/${env0.id}/kube-credentials`, `ssh-identity/${identity.id}/private-key`, `ssh-identity/${identity.id}/passphrase`, `vpn/${vpn.id}/profile`]));
    expect(await app.core.secrets.get(`vpn/${vpn.id}/profile`)).toContain(marker);

    expect(await app.client.call('environments.remove', { id: env0.id })).toEqual({ removed: true, secretsDeleted: 1 });
    expect(await app.client.call('sshIdentities.remove', { id: identity.id })).toEqual({ removed: true, secretsDeleted: 2 });
    expect(await app.client.call('vpnProfiles.remove', { id: vpn.id })).toEqual({ removed: true, secretsDeleted: 1 });
    for (const prefix of ['env/', 'ssh-identity/', 'vpn/']) expect(await app.core.secrets.list(prefix)).toEqual([]);

    const needles = [marker, keyBody];
    for (const file of dataFiles(app.dataDir)) {
      for (const needle of needles) expect(file.bytes.includes(Buffer.from(needle)), `${needle.slice(0, 12)}… in ${file.name}`).toBe(false);
    }
    const replies = app.replies.join('\n');
    const logs = app.logs.join('\n');
    expect(app.replies.length).toBeGreaterThan(10);
    for (const needle of needles) {
      expect(replies.includes(needle)).toBe(false);
      expect(logs.includes(needle)).toBe(false);
    }
  });
});

/** A keychain that refuses to store some keys, to show that nothing half-saved remains. */
class RefusingKeychain implements SecretStore {
  private readonly inner: SecretStore;
  private readonly refuse: (key: string) => boolean;
  constructor(inner: SecretStore, refuse: (key: string) => boolean) {
    this.inner = inner;
    this.refuse = refuse;
  }
  async set(key: string, value: string): Promise<void> {
    if (this.refuse(key)) throw new AppError('KEYCHAIN_UNAVAILABLE', 'The OS keychain is locked.');
    await this.inner.set(key, value);
  }
  get = (key: string) => this.inner.get(key);
  delete = (key: string) => this.inner.delete(key);
  list = (prefix: string) => this.inner.list(prefix);
  status = () => this.inner.status();
}

describe('nothing half-saved when the keychain refuses', () => {
  let app: TestCore;
  let kube: KubeTestServer;
  let dir: string;
  beforeAll(async () => {
    kube = await startKubeTestServer({ nodes: 1 });
    const inner = new KeychainSecretStore({ service: `kiops-env-refusing-${randomUUID()}` });
    app = await startTestCore({ secrets: new RefusingKeychain(inner, (key) => key.startsWith('env/') || key.endsWith('/passphrase')) });
    dir = await mkdtemp(join(tmpdir(), 'kiops-refuse-'));
  });
  afterAll(async () => {
    await app?.close();
    await kube?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('leaves no environment row when the credentials cannot be stored', async () => {
    await expect(
      app.client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('developer') }, contexts: [kube.contextName('developer')] }),
    ).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE', message: expect.stringContaining('Nothing was saved') });
    expect((await app.client.call('environments.list', {})).environments).toEqual([]);
  });

  it('removes the already stored private key when its passphrase cannot be stored', async () => {
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret words', '-f', join(dir, 'key')]);
    await expect(
      app.client.call('sshIdentities.add', { kind: 'private-key', name: 'k', privateKey: await readFile(join(dir, 'key'), 'utf8'), passphrase: 'secret words' }),
    ).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    expect((await app.client.call('sshIdentities.list', {})).identities).toEqual([]);
    expect(await app.core.secrets.list('ssh-identity/')).toEqual([]);
  });
});
