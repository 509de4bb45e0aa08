import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKiopsCore, type KiopsCore } from '../../../electron/main/composition.ts';
import { createMemoryTransport } from '../../../electron/main/ipc/memory-transport.ts';
import { createClient, type KiopsClient } from '../../../shared/contract/client.ts';
import { startKubeTestServer, type KubeTestServer, type Pod } from '../../kube-server/index.ts';
import { kubectlFor, parseTable, type Kubectl } from '../kube-server/kubectl.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';

useTestEnvironment('keyring');

describe('Deployment Management (Kubernetes) through the contract, held to the real kubectl', () => {
  let kube: KubeTestServer;
  let kubectl: Kubectl;
  let core: KiopsCore;
  let client: KiopsClient;
  const dataDir = mkdtempSync(join(tmpdir(), 'kiops-deployments-'));
  const ids = { developer: '', viewer: '' };
  const service = (user: 'developer' | 'viewer' = 'developer') => `${ids[user]}:deployment:default/web`;
  const runningImages = () =>
    kube
      .podsOf('default', 'web')
      .filter((pod: Pod) => pod.status?.phase === 'Running' && !pod.metadata.deletionTimestamp)
      .map((pod) => pod.spec.containers[0]?.image ?? '');
  const rolledOutTo = (image: string) => kube.waitFor(() => runningImages().length === 2 && runningImages().every((running) => running === image), 15_000, `pods on ${image}`);
  const newestAudit = async (action: string) => (await client.call('audit.list', { limit: 1, action })).rows[0];

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20 } });
    kubectl = await kubectlFor(kube);
    kube.applyDeployment({ name: 'web', replicas: 2, image: 'nginx:1.27' });
    await rolledOutTo('nginx:1.27');
    // Production environments get management only when the organisation says so in writing.
    writeFileSync(join(dataDir, 'organisation-policy.yaml'), 'version: 1\ndefault: [logs, commands, management]\nrules: []\n');
    core = await createKiopsCore({ dataDir, shell: 'browser', version: 'test', keychainService: `kiops-deployments-test-${randomUUID()}`, probeTimeoutMs: 20_000, logger: { error: () => {}, warn: () => {} } });
    core.senderPolicy.allow((sender) => sender.origin === 'deployments-test');
    client = createClient(createMemoryTransport(core.router, { transport: 'memory', origin: 'deployments-test' }));
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
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('deployment.get shows settings, containers, revision 1 and a finished rollout', async () => {
    const details = await client.call('deployment.get', { serviceId: service() });
    expect(details).toMatchObject({ name: 'web', namespace: 'default', production: false, strategy: { type: 'RollingUpdate', maxSurge: '25%', maxUnavailable: '25%' }, containers: [{ name: 'web', image: 'nginx:1.27' }] });
    expect(details.revisions.map((revision) => [revision.revision, revision.current, revision.images])).toEqual([[1, true, [{ container: 'web', image: 'nginx:1.27' }]]]);
    expect(details.rollout).toEqual({ state: 'complete', message: 'deployment "web" successfully rolled out' });
  });

  it('setImage creates revision 2 with a change-cause that kubectl rollout history shows', async () => {
    expect(await client.call('deployment.setImage', { serviceId: service(), container: 'web', image: 'nginx:1.28' })).toMatchObject({ status: 'done' });
    await rolledOutTo('nginx:1.28');
    const history = parseTable((await kubectl.ok(['rollout', 'history', 'deploy/web'])).split('\n').slice(1).join('\n'));
    expect(history.map((row) => row.REVISION)).toEqual(['1', '2']);
    expect(history[1]?.['CHANGE-CAUSE']).toMatch(/^image changed to nginx:1\.28 by KIOPS \(.+\)$/);
    const details = await client.call('deployment.get', { serviceId: service() });
    expect(details.revisions.map((revision) => [revision.revision, revision.current])).toEqual([[2, true], [1, false]]);
    expect(details.revisions[0]?.changeCause).toMatch(/image changed to nginx:1\.28/);
    expect(await newestAudit('deployment.set-image')).toMatchObject({ outcome: 'success', target: 'default/deployment/web', details: { container: 'web', imageFrom: 'nginx:1.27', imageTo: 'nginx:1.28', revisionFrom: 1 } });
  });

  it('rollback goes to the previous revision and restores its image, like kubectl rollout undo', async () => {
    expect(await client.call('deployment.rollback', { serviceId: service() })).toMatchObject({ status: 'done', message: expect.stringContaining('revision 1') });
    await rolledOutTo('nginx:1.27');
    const history = parseTable((await kubectl.ok(['rollout', 'history', 'deploy/web'])).split('\n').slice(1).join('\n'));
    expect(history.map((row) => row.REVISION)).toEqual(['2', '3']);
    const template = JSON.parse(await kubectl.ok(['get', 'deploy', 'web', '-o', 'json'])) as { spec: { template: { metadata: { labels: Record<string, string> } } } };
    expect(template.spec.template.metadata.labels['pod-template-hash']).toBeUndefined();
    expect(await newestAudit('deployment.rollback')).toMatchObject({ outcome: 'success', details: { revisionFrom: 2, revisionTo: 1, imageFrom: 'web=nginx:1.28', imageTo: 'web=nginx:1.27' } });
    // --to-revision: back to the 1.28 template.
    await client.call('deployment.rollback', { serviceId: service(), toRevision: 2 });
    await rolledOutTo('nginx:1.28');
    await expect(client.call('deployment.rollback', { serviceId: service(), toRevision: 99 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('restart replaces every pod with the same image', async () => {
    const before = new Set(kube.podsOf('default', 'web').map((pod) => pod.metadata.uid));
    expect(await client.call('deployment.restart', { serviceId: service() })).toMatchObject({ status: 'done' });
    await kube.waitFor(() => {
      const pods = kube.podsOf('default', 'web').filter((pod) => pod.status?.phase === 'Running' && !pod.metadata.deletionTimestamp);
      return pods.length === 2 && pods.every((pod) => !before.has(pod.metadata.uid));
    }, 15_000, 'new pods');
    expect(runningImages()).toEqual(['nginx:1.28', 'nginx:1.28']);
    const deployment = JSON.parse(await kubectl.ok(['get', 'deploy', 'web', '-o', 'json'])) as { spec: { template: { metadata: { annotations?: Record<string, string> } } } };
    expect(deployment.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeTruthy();
    expect(await newestAudit('deployment.restart')).toMatchObject({ outcome: 'success' });
  });

  it('the viewer is refused by main, nothing changes, and the refusal is audited', async () => {
    const revisions = parseTable(await kubectl.ok(['get', 'rs'])).length;
    await expect(client.call('deployment.setImage', { serviceId: service('viewer'), container: 'web', image: 'nginx:9' })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(client.call('deployment.rollback', { serviceId: service('viewer') })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(await newestAudit('deployment.set-image')).toMatchObject({ outcome: 'refused', environmentId: ids.viewer });
    expect(await newestAudit('deployment.rollback')).toMatchObject({ outcome: 'refused', environmentId: ids.viewer });
    expect(parseTable(await kubectl.ok(['get', 'rs'])).length).toBe(revisions);
    // Reading is allowed.
    expect((await client.call('deployment.get', { serviceId: service('viewer') })).containers[0]?.image).toBe('nginx:1.28');
  });

  it('in production, main asks for the action to be repeated before changing anything', async () => {
    await client.call('environments.update', { id: ids.developer, production: true });
    try {
      const asked = await client.call('deployment.setImage', { serviceId: service(), container: 'web', image: 'nginx:1.29' });
      expect(asked).toEqual({ status: 'needs-confirmation', confirmText: 'web', message: expect.stringContaining('production') });
      expect((await client.call('deployment.get', { serviceId: service() })).containers[0]?.image).toBe('nginx:1.28');
      expect(await newestAudit('deployment.set-image')).toMatchObject({ outcome: 'refused', error: expect.stringContaining('service name') });
      // the old confirmation text (the kubectl line) no longer unlocks it: the service name does
      const wrong = await client.call('deployment.setImage', { serviceId: service(), container: 'web', image: 'nginx:1.29', confirmation: 'kubectl set image deployment/web web=nginx:1.29' });
      expect(wrong.status).toBe('needs-confirmation');
      const confirmed = await client.call('deployment.setImage', { serviceId: service(), container: 'web', image: 'nginx:1.29', confirmation: 'web' });
      expect(confirmed.status).toBe('done');
      await rolledOutTo('nginx:1.29');
      expect((await client.call('deployment.restart', { serviceId: service() })).status).toBe('needs-confirmation');
    } finally {
      await client.call('environments.update', { id: ids.developer, production: false });
    }
  });

  it('the audit trail verifies after all of it', async () => {
    expect(await client.call('audit.verify', {})).toMatchObject({ ok: true });
  });
});
