import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { startTestCore, type TestCore } from './support/core.ts';

const run = promisify(execFile);
const env = useTestEnvironment('keyring', 'ssh', 'docker');

describe('runtime environments through the contract', () => {
  let kube: KubeTestServer;
  let app: TestCore;
  let keys: string;
  beforeAll(async () => {
    kube = await startKubeTestServer({ nodes: 1 });
    app = await startTestCore();
    keys = await mkdtemp(join(tmpdir(), 'kiops-env-keys-'));
  });
  afterAll(async () => {
    await app?.close();
    await kube?.close();
    if (keys) await rm(keys, { recursive: true, force: true });
  });

  const sshHost = (identityId: string, port = env.ssh.port) => ({ host: env.ssh.host, port, username: env.ssh.user, identityId });
  const addKey = async (name: string, path: string, passphrase?: string) =>
    app.client.call('sshIdentities.add', { kind: 'private-key', name, privateKey: await readFile(path, 'utf8'), ...(passphrase ? { passphrase } : {}) });

  it('previews a kubeconfig with its contexts and warnings, saving nothing', async () => {
    const text = [
      'apiVersion: v1',
      'clusters:',
      '- name: lab',
      '  cluster: { server: "https://10.0.0.1:6443", insecure-skip-tls-verify: true, proxy-url: "socks5://user:pw@127.0.0.1:1080" }',
      'users:',
      '- name: sso',
      '  user: { exec: { apiVersion: client.authentication.k8s.io/v1, command: kubelogin, args: [get-token] } }',
      'contexts:',
      '- { name: lab, context: { cluster: lab, user: sso, namespace: ops } }',
      '- { name: broken, context: { cluster: missing, user: sso } }',
      'current-context: lab',
    ].join('\n');
    const preview = await app.client.call('environments.previewKubeconfig', { source: { kind: 'text', text } });
    expect(preview.currentContext).toBe('lab');
    const [lab, broken] = preview.contexts;
    expect(lab?.warnings.map((w) => w.kind)).toEqual(['insecure-skip-tls-verify', 'proxy-url', 'exec']);
    expect(JSON.stringify(preview)).not.toContain(':pw@');
    expect(broken?.problem).toContain('cluster "missing"');
    expect((await app.client.call('environments.list', {})).environments).toEqual([]);
  });

  it('says what is wrong with a broken kubeconfig', async () => {
    await expect(app.client.call('environments.previewKubeconfig', { source: { kind: 'text', text: 'clusters: [ {' } })).rejects.toMatchObject({ code: 'KUBECONFIG_INVALID' });
    await expect(app.client.call('environments.addKubernetes', { source: { kind: 'paths', paths: ['/nonexistent/kubeconfig'] }, contexts: ['x'] })).rejects.toMatchObject({
      code: 'KUBECONFIG_INVALID',
      message: expect.stringContaining('does not exist'),
    });
  });

  it('adds a kubeconfig context, tests it and lists pods through RuntimeAccess', async () => {
    kube.applyDeployment({ name: 'web', replicas: 2, image: 'nginx:1.27' });
    await kube.waitFor(() => kube.podsOf('default', 'web').length === 2);
    const path = await kube.kubeconfigPath('developer');
    const { environments } = await app.client.call('environments.addKubernetes', { source: { kind: 'paths', paths: [path] }, contexts: [kube.contextName('developer')], name: 'dev cluster' });
    const [added] = environments;
    expect(added).toMatchObject({ name: 'dev cluster', kind: 'kubernetes', kubernetes: { userName: 'developer', namespace: 'default' }, connection: { selected: 'auto', methods: ['direct'] } });
    const test = await app.client.call('environments.testConnection', { id: added!.id });
    expect(test).toMatchObject({ ok: true, state: 'connected', method: 'direct', details: { namespace: 'default', pods: 2 } });
    const access = await app.core.runtime.kubernetes(added!.id);
    const pods = await access.kubeConfig.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'default' });
    expect(pods.items.map((p) => p.metadata?.name).filter((n) => n?.startsWith('web-'))).toHaveLength(2);
    expect(await app.core.secrets.list(`env/${added!.id}/`)).toEqual([`env/${added!.id}/kube-credentials`]);
    const audit = await app.client.call('audit.list', { action: 'environment.add' });
    expect(audit.rows[0]?.details).toMatchObject({ secretKeys: [`env/${added!.id}/kube-credentials`] });
  });

  it('merges several kubeconfig files like kubectl and adds one environment per chosen context', async () => {
    const paths = [await kube.kubeconfigPath('viewer'), await kube.kubeconfigPath('admin')];
    const preview = await app.client.call('environments.previewKubeconfig', { source: { kind: 'paths', paths } });
    expect(preview.contexts.map((c) => c.name)).toEqual([kube.contextName('viewer'), kube.contextName('admin')]);
    const { environments } = await app.client.call('environments.addKubernetes', { source: { kind: 'paths', paths }, contexts: preview.contexts.map((c) => c.name), name: 'merged' });
    expect(environments.map((e) => e.name)).toEqual([`merged / ${kube.contextName('viewer')}`, `merged / ${kube.contextName('admin')}`]);
    for (const e of environments) expect(await app.client.call('environments.testConnection', { id: e.id })).toMatchObject({ ok: true });
  });

  it('adds a Docker host over SSH: trust on first use, then lists its containers', async () => {
    const identity = await addKey('test ed25519', env.ssh.keys.ed25519.privateKeyPath);
    expect(identity).toMatchObject({ kind: 'private-key', keyType: 'ssh-ed25519', fingerprint: env.ssh.keys.ed25519.fingerprint, hasPassphrase: false });
    const engine = await app.client.call('environments.addEngine', {
      name: 'remote docker',
      engine: 'docker',
      socketPath: env.docker.socketPath,
      connection: { selected: 'ssh', methods: ['ssh'], ssh: sshHost(identity.id) },
    });
    const first = await app.client.call('environments.testConnection', { id: engine.id });
    expect(first).toMatchObject({ ok: false, state: 'needs-host-key-confirmation', fingerprint: env.ssh.hostKey.fingerprint });
    if (first.state !== 'needs-host-key-confirmation') throw new Error('expected a host key question');
    await expect(app.client.call('hostKeys.trust', { environmentId: engine.id, fingerprint: `SHA256:${'A'.repeat(43)}` })).rejects.toMatchObject({ code: 'HOST_KEY_UNKNOWN' });
    expect(await app.client.call('hostKeys.trust', { environmentId: engine.id, fingerprint: first.fingerprint })).toEqual({ hostPort: first.hostPort, fingerprint: first.fingerprint });
    // Other tests' containers come and go on the shared daemon: count only this test's own.
    const name = `kiops-env-ssh-${process.pid}-${Date.now().toString(36)}`;
    const cli = (args: string[]) => run(env.docker.cli.command, [...env.docker.cli.args, ...args], { env: { ...process.env, ...env.docker.cli.env } });
    await cli(['create', '--name', name, '--label', `kiops.test=${name}`, '--network', 'none', env.docker.images.latest.reference, 'sleep', '300']);
    try {
      const second = await app.client.call('environments.testConnection', { id: engine.id });
      expect(second).toMatchObject({ ok: true, method: 'ssh', details: { containers: expect.any(Number) } });
      expect(second.state === 'connected' ? second.details.containers : 0).toBeGreaterThanOrEqual(1);
      const { docker } = await app.core.runtime.engine(engine.id);
      expect((await docker.version()).ApiVersion).toBe(env.docker.apiVersion);
      const listed = await docker.listContainers({ all: true, filters: { label: [`kiops.test=${name}`] } });
      expect(listed.map((container) => container.Names[0])).toEqual([`/${name}`]);
    } finally {
      await cli(['rm', '-f', name]).catch(() => undefined);
    }
    const trusted = await app.client.call('audit.list', { action: 'host-key.trust' });
    expect(trusted.rows.filter((r) => r.outcome !== 'started').map((r) => r.outcome)).toEqual(['success', 'failure']);
  });

  it('refuses a changed host key with the old and new fingerprints', async () => {
    const identity = (await app.client.call('sshIdentities.list', {})).identities.find((i) => i.name === 'test ed25519');
    const engine = await app.client.call('environments.addEngine', {
      name: 'changed key host',
      engine: 'docker',
      socketPath: env.docker.socketPath,
      connection: { selected: 'ssh', methods: ['ssh'], ssh: { host: 'localhost', port: env.ssh.port, username: env.ssh.user, identityId: identity!.id } },
    });
    // Pin a different key for localhost:port, as if the server had been reinstalled.
    await app.client.call('environments.testConnection', { id: engine.id });
    const db = (await import('better-sqlite3')).default(join(app.dataDir, 'kiops.db'));
    db.prepare('UPDATE ssh_host_keys SET fingerprint = ? WHERE host_port = ?').run(`SHA256:${'B'.repeat(43)}`, `localhost:${env.ssh.port}`);
    db.prepare('INSERT OR IGNORE INTO ssh_host_keys VALUES (?, ?, ?)').run(`localhost:${env.ssh.port}`, `SHA256:${'B'.repeat(43)}`, 'x');
    db.close();
    const result = await app.client.call('environments.testConnection', { id: engine.id });
    expect(result).toMatchObject({ ok: false, state: 'error', error: { code: 'HOST_KEY_CHANGED' }, previousFingerprint: `SHA256:${'B'.repeat(43)}`, presentedFingerprint: env.ssh.hostKey.fingerprint });
  });

  it('tells a wrong key, a wrong passphrase and an unreachable host apart', async () => {
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(keys, 'stranger')]);
    await expect(addKey('locked', env.ssh.keys.ed25519WithPassphrase.privateKeyPath, 'not the passphrase')).rejects.toMatchObject({ code: 'KEY_PASSPHRASE_INVALID' });
    await expect(addKey('locked', env.ssh.keys.ed25519WithPassphrase.privateKeyPath)).rejects.toMatchObject({ code: 'KEY_PASSPHRASE_INVALID', message: expect.stringContaining('enter it') });
    const locked = await addKey('locked', env.ssh.keys.ed25519WithPassphrase.privateKeyPath, env.ssh.keys.ed25519WithPassphrase.passphrase ?? '');
    expect(locked.hasPassphrase).toBe(true);
    const stranger = await addKey('stranger', join(keys, 'stranger'));
    const addHost = (name: string, identityId: string, port = env.ssh.port) =>
      app.client.call('environments.addEngine', { name, engine: 'docker', socketPath: env.docker.socketPath, connection: { selected: 'ssh', methods: ['ssh'], ssh: sshHost(identityId, port) } });
    const wrongKey = await addHost('wrong key', stranger.id);
    const unreachable = await addHost('unreachable', locked.id, 1);
    const withPassphrase = await addHost('with passphrase', locked.id);
    expect(await app.client.call('environments.testConnection', { id: wrongKey.id })).toMatchObject({ state: 'error', error: { code: 'AUTH_FAILED' } });
    expect(await app.client.call('environments.testConnection', { id: unreachable.id })).toMatchObject({ state: 'error', error: { code: 'UNREACHABLE' } });
    expect(await app.client.call('environments.testConnection', { id: withPassphrase.id })).toMatchObject({ ok: true, method: 'ssh' });
    await expect(app.client.call('sshIdentities.remove', { id: locked.id })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('Auto takes the first healthy method and falls back, saying why', async () => {
    const identity = (await app.client.call('sshIdentities.list', {})).identities.find((i) => i.name === 'test ed25519')!;
    const source = { kind: 'paths' as const, paths: [await kube.kubeconfigPath('viewer')] };
    const context = kube.contextName('viewer');
    const [sshFirst] = (
      await app.client.call('environments.addKubernetes', { source, contexts: [context], name: 'auto ssh first', connection: { selected: 'auto', methods: ['ssh', 'direct'], ssh: sshHost(identity.id) } })
    ).environments;
    expect(await app.client.call('environments.testConnection', { id: sshFirst!.id })).toMatchObject({ ok: true, method: 'ssh', reason: expect.stringContaining('first in priority') });
    const [downFirst] = (
      await app.client.call('environments.addKubernetes', { source, contexts: [context], name: 'auto ssh down', connection: { selected: 'auto', methods: ['ssh', 'direct'], ssh: sshHost(identity.id, 1) } })
    ).environments;
    const fallback = await app.client.call('environments.testConnection', { id: downFirst!.id });
    expect(fallback).toMatchObject({ ok: true, method: 'direct', attempts: [{ method: 'ssh', healthy: false, code: 'UNREACHABLE' }, { method: 'direct', healthy: true }] });
    expect(fallback.reason).toMatch(/Auto chose Direct, fell back after Direct SSH failed/);
    expect(await app.client.call('connections.get', { environmentId: downFirst!.id })).toMatchObject({ current: 'direct', state: 'connected', selected: 'auto' });
  });

  it('opens the method dialog once per environment and records the pick', async () => {
    const { environments } = await app.client.call('environments.list', {});
    const target = environments.find((e) => e.name === 'auto ssh down')!;
    expect(await app.client.call('connections.firstOpen', { environmentId: target.id })).toEqual({ firstOpen: true });
    expect(await app.client.call('connections.firstOpen', { environmentId: target.id })).toEqual({ firstOpen: false });
    const other = environments.find((e) => e.name === 'auto ssh first')!;
    const status = await app.client.call('connections.setMethod', { environmentId: other.id, selected: 'direct' });
    expect(status).toMatchObject({ selected: 'direct', state: 'idle' });
    expect(await app.client.call('connections.firstOpen', { environmentId: other.id })).toEqual({ firstOpen: false });
    await expect(app.client.call('connections.setMethod', { environmentId: other.id, selected: 'vpn' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const changes = await app.client.call('audit.list', { action: 'connection.change' });
    expect(changes.rows.filter((r) => r.outcome !== 'started').map((r) => [r.outcome, r.details.to])).toEqual([['refused', 'vpn'], ['success', 'direct']]);
  });

  it('removes an environment with its keychain entries', async () => {
    const { environments } = await app.client.call('environments.list', {});
    const dev = environments.find((e) => e.name === 'dev cluster')!;
    expect(await app.client.call('environments.remove', { id: dev.id })).toEqual({ removed: true, secretsDeleted: 1 });
    expect(await app.core.secrets.list(`env/${dev.id}/`)).toEqual([]);
    expect((await app.client.call('environments.list', {})).environments.map((e) => e.id)).not.toContain(dev.id);
  });
});
