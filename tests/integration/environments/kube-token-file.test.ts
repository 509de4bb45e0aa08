import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { startTestCore, type TestCore } from './support/core.ts';

useTestEnvironment('keyring');

/** A kubeconfig whose user has only a `tokenFile`, as kubectl, kubeadm and cloud CLIs write it. */
function tokenFileKubeconfig(kube: KubeTestServer, userName: string, tokenFile: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: files`,
    '  cluster:',
    `    server: ${kube.url}`,
    `    certificate-authority-data: ${Buffer.from(kube.caPem).toString('base64')}`,
    'users:',
    `- name: ${userName}`,
    '  user:',
    `    tokenFile: ${tokenFile}`,
    'contexts:',
    `- name: ${userName}@files`,
    `  context: { cluster: files, user: ${userName}, namespace: default }`,
    `current-context: ${userName}@files`,
    '',
  ].join('\n');
}

describe('a kubeconfig user with tokenFile', () => {
  let kube: KubeTestServer;
  let app: TestCore;
  let dir: string;
  beforeAll(async () => {
    kube = await startKubeTestServer({ nodes: 1 });
    app = await startTestCore();
    dir = await mkdtemp(join(tmpdir(), 'kiops-token-file-'));
    kube.applyDeployment({ name: 'tf', replicas: 3, image: 'nginx:1.27' });
    await kube.waitFor(() => kube.podsOf('default', 'tf').length === 3);
  });
  afterAll(async () => {
    await app?.close();
    await kube?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const add = async (userName: string, token: string) => {
    const tokenFile = join(dir, `${userName}.token`);
    await writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
    const config = join(dir, `${userName}.kubeconfig`);
    await writeFile(config, tokenFileKubeconfig(kube, userName, tokenFile), { mode: 0o600 });
    const { environments } = await app.client.call('environments.addKubernetes', { source: { kind: 'paths', paths: [config] }, contexts: [`${userName}@files`], name: userName });
    return { id: environments[0]!.id, tokenFile };
  };
  const podNames = async (id: string) => {
    const access = await app.core.runtime.kubernetes(id);
    const pods = await access.kubeConfig.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'default' });
    return pods.items.map((p) => p.metadata?.name ?? '').filter((n) => n.startsWith('tf-'));
  };

  it('lists pods with the token read from the file', async () => {
    const { id } = await add('files-developer', 'developer-token');
    expect(await app.client.call('environments.testConnection', { id })).toMatchObject({ ok: true, state: 'connected', details: { namespace: 'default', pods: 3 } });
    expect((await podNames(id)).sort()).toEqual(kube.podsOf('default', 'tf').map((p) => p.metadata.name).sort());
  });

  it('keeps the token out of the environment row and the IPC replies', async () => {
    const { id } = await add('files-quiet', 'developer-token');
    const listed = await app.client.call('environments.list', {});
    const row = listed.environments.find((e) => e.id === id);
    expect(row).toBeDefined();
    expect(app.replies.join('\n')).not.toContain('developer-token');
  });

  it('refuses a wrong token with a message that names the token file', async () => {
    const { id, tokenFile } = await add('files-wrong', `wrong-${Math.random().toString(36).slice(2)}`);
    const result = await app.client.call('environments.testConnection', { id });
    expect(result).toMatchObject({ ok: false, state: 'error', error: { code: 'AUTH_FAILED' } });
    if (result.state !== 'error') throw new Error('expected a refusal');
    expect(result.error.message).toContain('401 Unauthorized');
    expect(result.error.message).toContain(tokenFile);
  });

  it('reads the file again when it changes, on the same client', async () => {
    const { id, tokenFile } = await add('files-rotated', 'nobody-token');
    const access = await app.core.runtime.kubernetes(id);
    const api = access.kubeConfig.makeApiClient(CoreV1Api);
    await expect(api.listNamespacedPod({ namespace: 'default' })).rejects.toMatchObject({ code: 403 });
    await writeFile(tokenFile, 'developer-token\n');
    expect((await api.listNamespacedPod({ namespace: 'default' })).items.filter((p) => p.metadata?.name?.startsWith('tf-'))).toHaveLength(3);
    await writeFile(tokenFile, 'revoked-token\n');
    await expect(api.listNamespacedPod({ namespace: 'default' })).rejects.toMatchObject({ code: 401 });
  });

  it('says when the token file is gone', async () => {
    const { id, tokenFile } = await add('files-gone', 'developer-token');
    await rm(tokenFile);
    const result = await app.client.call('environments.testConnection', { id });
    expect(result).toMatchObject({ ok: false, state: 'error', error: { code: 'AUTH_FAILED', message: `The token file ${tokenFile} of kubeconfig user "files-gone" does not exist.` } });
  });
});
