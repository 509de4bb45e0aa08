import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKiopsCore, type KiopsCore } from '../../../electron/main/composition.ts';
import { createMemoryTransport } from '../../../electron/main/ipc/memory-transport.ts';
import { ApiError, createClient, type KiopsClient } from '../../../shared/contract/client.ts';
import type { ConfigObjectView } from '../../../shared/contract/config.ts';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { kubectlFor, type Kubectl } from '../kube-server/kubectl.ts';
import { dataFiles } from '../../support/data-files.ts';

useTestEnvironment('keyring');

// A value that must never appear anywhere but the cluster and the one reveal reply.
const canary = `canary-${randomUUID()}`;
const canaryBase64 = Buffer.from(canary).toString('base64');

describe('Config/Secret tab through the contract, against the Kubernetes test API server', () => {
  let kube: KubeTestServer;
  let kubectl: Kubectl;
  let core: KiopsCore;
  let client: KiopsClient;
  let dataDir: string;
  const logged: string[] = [];
  const ids = { developer: '', viewer: '' };
  const service = (user: 'developer' | 'viewer') => `${ids[user]}:deployment:default/api`;
  const objectOf = async (kind: 'configmap' | 'secret', name: string): Promise<ConfigObjectView> => {
    const listed = await client.call('config.list', { serviceId: service('developer') });
    const found = listed.objects.find((object) => object.kind === kind && object.name === name);
    if (!found) throw new Error(`${kind} ${name} not listed`);
    return found;
  };
  const kubectlJson = async (args: string[]) => JSON.parse(await kubectl.ok([...args, '-o', 'json'])) as { data?: Record<string, string>; metadata: { resourceVersion: string } };
  const newestAudit = async (action: string) => (await client.call('audit.list', { limit: 1, action })).rows[0];

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20 } });
    kubectl = await kubectlFor(kube);
    kube.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'api-settings', namespace: 'default' }, data: { LOG_LEVEL: 'info', FEATURE_X: 'on' } });
    kube.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unrelated', namespace: 'default' }, data: { A: '1' } });
    kube.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'api-db', namespace: 'default' }, type: 'Opaque', data: { PASSWORD: canaryBase64, USER: Buffer.from('app').toString('base64') } });
    // kube.apply, not applyDeployment: the fixture's Deployment type has no env valueFrom.
    kube.apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: 'default', labels: { app: 'api' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'api' } },
        template: {
          metadata: { labels: { app: 'api' } },
          spec: {
            containers: [
              {
                name: 'api',
                image: 'nginx:1.27',
                env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'api-db', key: 'PASSWORD' } } }],
                envFrom: [{ configMapRef: { name: 'api-settings' } }],
              },
            ],
          },
        },
      },
    });
    dataDir = mkdtempSync(join(tmpdir(), 'kiops-config-'));
    core = await createKiopsCore({
      dataDir,
      shell: 'browser',
      version: 'test',
      keychainService: `kiops-config-test-${randomUUID()}`,
      probeTimeoutMs: 20_000,
      logger: { error: (message, error) => logged.push(`${message} ${String(error)} ${JSON.stringify(error ?? null)}`), warn: (message) => logged.push(message) },
    });
    const sender = { transport: 'memory', origin: 'config-test' } as const;
    core.senderPolicy.allow((s) => s.origin === sender.origin);
    client = createClient(createMemoryTransport(core.router, sender));
    for (const user of ['developer', 'viewer'] as const) {
      const added = await client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml(user, 'default') }, contexts: [kube.contextName(user)], name: `${user} cluster` });
      ids[user] = added.environments[0]?.id ?? '';
    }
  });

  afterAll(async () => {
    for (const key of (await core?.secrets.list('').catch(() => [])) ?? []) await core.secrets.delete(key).catch(() => false);
    await core?.close();
    await kubectl?.cleanup();
    await kube?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('config.list shows what the service uses first, with key names and sizes and no Secret values', async () => {
    const listed = await client.call('config.list', { serviceId: service('developer') });
    expect(listed.namespace).toBe('default');
    const names = listed.objects.map((object) => `${object.kind}/${object.name}`);
    expect(names.slice(0, 2)).toEqual(['configmap/api-settings', 'secret/api-db']);
    expect(names).toContain('configmap/unrelated');
    const secret = listed.objects.find((object) => object.name === 'api-db');
    expect(secret).toMatchObject({ type: 'Opaque', usage: ['env'] });
    expect(secret?.keys).toEqual([
      { key: 'PASSWORD', size: canary.length, value: null, binary: false, usedByService: true },
      { key: 'USER', size: 3, value: null, binary: false, usedByService: false },
    ]);
    expect((await objectOf('configmap', 'api-settings')).keys.map((key) => [key.key, key.value, key.usedByService])).toEqual([
      ['FEATURE_X', 'on', true],
      ['LOG_LEVEL', 'info', true],
    ]);
    expect(JSON.stringify(listed)).not.toContain(canary);
    expect(JSON.stringify(listed)).not.toContain(canaryBase64);
  });

  it('config.setKey edits a ConfigMap key (kubectl sees it) and is audited with the key name', async () => {
    const before = await objectOf('configmap', 'api-settings');
    const { resourceVersion } = await client.call('config.setKey', { serviceId: service('developer'), kind: 'configmap', name: 'api-settings', key: 'LOG_LEVEL', value: 'debug', resourceVersion: before.resourceVersion });
    const stored = await kubectlJson(['get', 'cm', 'api-settings', '-n', 'default']);
    expect(stored.data).toEqual({ LOG_LEVEL: 'debug', FEATURE_X: 'on' });
    expect(stored.metadata.resourceVersion).toBe(resourceVersion);
    expect(await newestAudit('configmap.set-key')).toMatchObject({ outcome: 'success', target: 'default/api-settings', details: { key: 'LOG_LEVEL', name: 'api-settings', kind: 'configmap' } });
  });

  it('a stale resourceVersion is a readable CONFLICT and changes nothing', async () => {
    const seen = await objectOf('configmap', 'api-settings');
    await kubectl.ok(['patch', 'cm', 'api-settings', '-n', 'default', '--type', 'merge', '-p', '{"data":{"FEATURE_X":"off"}}']);
    const attempt = client.call('config.setKey', { serviceId: service('developer'), kind: 'configmap', name: 'api-settings', key: 'FEATURE_X', value: 'mine', resourceVersion: seen.resourceVersion });
    await expect(attempt).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('changed by someone else') });
    expect((await kubectlJson(['get', 'cm', 'api-settings', '-n', 'default'])).data?.FEATURE_X).toBe('off');
  });

  it('config.setKey refuses key names Kubernetes would refuse', async () => {
    const seen = await objectOf('configmap', 'api-settings');
    for (const key of ['has space', 'a/b', '..hidden', '']) {
      await expect(client.call('config.setKey', { serviceId: service('developer'), kind: 'configmap', name: 'api-settings', key, value: 'x', resourceVersion: seen.resourceVersion })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
  });

  it('config.create, setKey and deleteKey on a new Secret; kubectl sees each step', async () => {
    const created = await client.call('config.create', { serviceId: service('developer'), kind: 'secret', name: 'api-token' });
    const set = await client.call('config.setKey', { serviceId: service('developer'), kind: 'secret', name: 'api-token', key: 'TOKEN', value: canary, resourceVersion: created.resourceVersion });
    expect((await kubectlJson(['get', 'secret', 'api-token', '-n', 'default'])).data).toEqual({ TOKEN: canaryBase64 });
    await client.call('config.deleteKey', { serviceId: service('developer'), kind: 'secret', name: 'api-token', key: 'TOKEN', resourceVersion: set.resourceVersion });
    expect((await kubectlJson(['get', 'secret', 'api-token', '-n', 'default'])).data ?? {}).toEqual({});
    expect(await newestAudit('secret.delete-key')).toMatchObject({ outcome: 'success', details: { key: 'TOKEN', name: 'api-token' } });
    expect(await newestAudit('secret.create')).toMatchObject({ outcome: 'success', target: 'default/api-token' });
  });

  it('config.reveal returns one value on request and audits secret.reveal with the key name only', async () => {
    expect(await client.call('config.reveal', { serviceId: service('developer'), kind: 'secret', name: 'api-db', key: 'PASSWORD' })).toEqual({ value: canary, encoding: 'utf8' });
    expect(await newestAudit('secret.reveal')).toMatchObject({ outcome: 'success', target: 'default/api-db', details: { key: 'PASSWORD' } });
    await expect(client.call('config.reveal', { serviceId: service('developer'), kind: 'secret', name: 'api-db', key: 'MISSING' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('the viewer is refused in main for list, edits and reveal, and the refusals are audited', async () => {
    await expect(client.call('config.list', { serviceId: service('viewer') })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    const attempt = client.call('config.setKey', { serviceId: service('viewer'), kind: 'configmap', name: 'api-settings', key: 'LOG_LEVEL', value: 'trace', resourceVersion: '1' });
    await expect(attempt).rejects.toBeInstanceOf(ApiError);
    await expect(attempt).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(await newestAudit('configmap.set-key')).toMatchObject({ outcome: 'refused', environmentId: ids.viewer, details: { key: 'LOG_LEVEL' } });
    await expect(client.call('config.reveal', { serviceId: service('viewer'), kind: 'secret', name: 'api-db', key: 'PASSWORD' })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(await newestAudit('secret.reveal')).toMatchObject({ outcome: 'refused', environmentId: ids.viewer });
    expect((await kubectlJson(['get', 'cm', 'api-settings', '-n', 'default'])).data?.LOG_LEVEL).toBe('debug');
  });

  it('production asks for the service name before a key delete', async () => {
    // Production grants management only in writing: an organisation policy allowing it.
    writeFileSync(join(dataDir, 'organisation-policy.yaml'), 'version: 1\ndefault: [logs, commands, management]\n');
    const added = await client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('developer', 'default') }, contexts: [kube.contextName('developer')], name: 'prod cluster', production: true });
    const prod = `${added.environments[0]?.id ?? ''}:deployment:default/api`;
    const seen = await objectOf('configmap', 'unrelated');
    const request = { serviceId: prod, kind: 'configmap', name: 'unrelated', key: 'A', resourceVersion: seen.resourceVersion } as const;
    await expect(client.call('config.deleteKey', request)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('type the service name: api'), details: { reason: 'production-confirmation' } });
    // the key name, the old confirmation, no longer unlocks it
    await expect(client.call('config.deleteKey', { ...request, confirmation: 'A' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect((await kubectlJson(['get', 'cm', 'unrelated', '-n', 'default'])).data).toEqual({ A: '1' });
    await client.call('config.deleteKey', { ...request, confirmation: 'api' });
    expect((await kubectlJson(['get', 'cm', 'unrelated', '-n', 'default'])).data ?? {}).toEqual({});
  });

  it('canary: the Secret value is in no audit row, export, log line or stored file; the trail verifies', async () => {
    const rows = await client.call('audit.list', { limit: 500 });
    expect(rows.rows.some((row) => row.action === 'secret.set-key')).toBe(true);
    const exported = await client.call('audit.export', {});
    for (const text of [JSON.stringify(rows), exported.jsonLines, logged.join('\n')]) {
      expect(text).not.toContain(canary);
      expect(text).not.toContain(canaryBase64);
    }
    for (const file of dataFiles(dataDir)) {
      expect(file.bytes.includes(canary), file.name).toBe(false);
      expect(file.bytes.includes(canaryBase64), file.name).toBe(false);
    }
    expect(await client.call('audit.verify', {})).toMatchObject({ ok: true });
  });
});
