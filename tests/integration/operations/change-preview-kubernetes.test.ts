import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KiopsClient } from '../../../shared/contract/client.ts';
import type { ChangePreviewView } from '../../../shared/contract/changes.ts';
import { startKubeTestServer, type Deployment, type KubeObject, type KubeTestServer } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { kubectlFor, type Kubectl } from '../kube-server/kubectl.ts';
import { startTabsCore, type TabsCore } from './tabs-support.ts';

useTestEnvironment('keyring');

// A Secret value that must never appear in a preview.
const canary = `canary-${randomUUID()}`;
const bookkeeping = /managedFields|resourceVersion|creationTimestamp|generation|(^|\.)uid$|^status\./;

describe('changes.preview: server-side dry runs through the contract, against the Kubernetes test API server', () => {
  let kube: KubeTestServer;
  let kubectl: Kubectl;
  let tabs: TabsCore;
  let client: KiopsClient;
  const ids = { developer: '', viewer: '' };
  const serviceId = (user: 'developer' | 'viewer' = 'developer') => `${ids[user]}:deployment:default/preview-web`;
  const deployment = () => kube.get<Deployment>('Deployment', 'default', 'preview-web');
  const configMap = () => kube.get<KubeObject & { data?: Record<string, string> }>('ConfigMap', 'default', 'preview-settings');
  const newestSeq = async () => (await client.call('audit.list', { limit: 1 })).rows[0]?.seq ?? 0;
  const line = (preview: ChangePreviewView, path: string) => preview.lines.find((entry) => entry.path === path);

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20, hpaSyncMs: 100 }, metricsServer: true });
    kubectl = await kubectlFor(kube);
    kube.applyDeployment({ name: 'preview-web', image: 'nginx:1.27', replicas: 2, requests: { cpu: '100m', memory: '32Mi' } });
    kube.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'preview-web', namespace: 'default' }, spec: { selector: { app: 'preview-web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] } });
    kube.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'preview-settings', namespace: 'default' }, data: { LOG_LEVEL: 'info', FEATURE_X: 'on' } });
    kube.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'preview-db', namespace: 'default' }, type: 'Opaque', data: { PASSWORD: Buffer.from(canary).toString('base64'), USER: Buffer.from('app').toString('base64') } });
    tabs = await startTabsCore({ organisationPolicy: 'version: 1\ndefault: [logs, commands, management]\nrules: []\n' });
    client = tabs.client;
    for (const user of ['developer', 'viewer'] as const) {
      const added = await client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml(user, 'default') }, contexts: [kube.contextName(user)], name: `${user} preview cluster` });
      ids[user] = added.environments[0]?.id ?? '';
    }
  });

  afterAll(async () => {
    await tabs?.close();
    await kubectl?.cleanup();
    await kube?.close();
  });

  it.each(['nginx:1.28', 'registry.example/team/web:2.0-rc.1', `nginx@sha256:${'b'.repeat(64)}`])('an image change to %s shows the container image and change-cause, stores nothing and writes no audit row', async (image) => {
    const generation = deployment()?.metadata.generation;
    const seq = await newestSeq();
    const preview = await client.call('changes.preview', { serviceId: serviceId(), change: { action: 'deployment.setImage', container: 'preview-web', image } });
    expect(preview).toMatchObject({ target: 'default/deployment/preview-web', method: 'server-dry-run', errors: [] });
    expect(line(preview, 'spec.template.spec.containers[preview-web].image')).toEqual({ path: 'spec.template.spec.containers[preview-web].image', change: 'changed', before: 'nginx:1.27', after: image });
    expect(line(preview, 'metadata.annotations.kubernetes.io/change-cause')).toMatchObject({ change: 'added', after: expect.stringContaining(`image changed to ${image} by KIOPS`) });
    expect(preview.lines.filter((entry) => bookkeeping.test(entry.path))).toEqual([]);
    expect(preview.summary).toContain(`spec.template.spec.containers[preview-web].image: nginx:1.27 → ${image}`);
    expect(deployment()?.spec.template.spec.containers[0]?.image).toBe('nginx:1.27');
    expect(deployment()?.metadata.generation).toBe(generation);
    expect(await newestSeq()).toBe(seq);
  });

  it('refusals the change would meet are the preview\'s errors: an unknown container, and a user the cluster does not let change it', async () => {
    const unknown = await client.call('changes.preview', { serviceId: serviceId(), change: { action: 'deployment.setImage', container: 'sidecar', image: 'nginx:1.28' } });
    expect(unknown).toMatchObject({ lines: [], errors: ['Deployment preview-web has no container "sidecar".'] });
    await expect(client.call('changes.preview', { serviceId: serviceId('viewer'), change: { action: 'deployment.setImage', container: 'preview-web', image: 'nginx:1.28' } })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });

  it.each([0, 1, 5, 9])('a scale to %i shows spec.replicas and leaves the Deployment at 2', async (replicas) => {
    const preview = await client.call('changes.preview', { serviceId: serviceId(), change: { action: 'scaling.setReplicas', replicas } });
    expect(preview.errors).toEqual([]);
    expect(preview.lines).toEqual([{ path: 'spec.replicas', change: 'changed', before: '2', after: String(replicas) }]);
    expect(deployment()?.spec.replicas).toBe(2);
  });

  it('an HPA the API server would refuse shows its validation error; a valid one shows the new object and is not created', async () => {
    const refused = await client.call('changes.preview', { serviceId: serviceId(), change: { action: 'scaling.setHpa', minReplicas: 4, maxReplicas: 3, targetCpu: 70 } });
    expect(refused.lines).toEqual([]);
    expect(refused.errors).toEqual([expect.stringContaining('spec.maxReplicas: Invalid value: 3: must be greater than or equal to `minReplicas`')]);
    const created = await client.call('changes.preview', { serviceId: serviceId(), change: { action: 'scaling.setHpa', minReplicas: 2, maxReplicas: 6, targetCpu: 70 } });
    expect(created.errors).toEqual([]);
    expect(created.lines).toEqual(expect.arrayContaining([
      { path: 'spec.minReplicas', change: 'added', before: null, after: '2' },
      { path: 'spec.maxReplicas', change: 'added', before: null, after: '6' },
      { path: 'spec.scaleTargetRef.name', change: 'added', before: null, after: 'preview-web' },
    ]));
    expect(kube.list('HorizontalPodAutoscaler', 'default')).toEqual([]);
  });

  it('while an HPA scales the Deployment, a scale preview says the change would be refused and names the HPA', async () => {
    await kubectl.ok(['autoscale', 'deploy/preview-web', '--min=2', '--max=4', '--cpu-percent=80']);
    try {
      const preview = await client.call('changes.preview', { serviceId: serviceId(), change: { action: 'scaling.setReplicas', replicas: 3 } });
      expect(preview.lines).toEqual([]);
      expect(preview.errors).toEqual([expect.stringContaining('HPA "preview-web"')]);
    } finally {
      await kubectl.ok(['delete', 'hpa', 'preview-web']);
    }
  });

  it.each([[2, 4], [1, 7]])('Delete HPA (min %i, max %i) previews the server dry-run delete: the HPA\'s fields removed, the HPA still there', async (min, max) => {
    await kubectl.ok(['autoscale', 'deploy/preview-web', `--min=${min}`, `--max=${max}`, '--cpu-percent=80']);
    try {
      const preview = await client.call('changes.preview', { serviceId: serviceId(), change: { action: 'scaling.deleteHpa' } });
      expect(preview).toMatchObject({ target: 'default/hpa/preview-web', method: 'server-dry-run', errors: [] });
      expect(preview.lines).toEqual(expect.arrayContaining([
        { path: 'spec.minReplicas', change: 'removed', before: String(min), after: null },
        { path: 'spec.maxReplicas', change: 'removed', before: String(max), after: null },
        { path: 'spec.scaleTargetRef.name', change: 'removed', before: 'preview-web', after: null },
      ]));
      expect(kube.list('HorizontalPodAutoscaler', 'default').map((hpa) => hpa.metadata.name)).toEqual(['preview-web']);
    } finally {
      await kubectl.ok(['delete', 'hpa', 'preview-web']);
    }
    const none = await client.call('changes.preview', { serviceId: serviceId(), change: { action: 'scaling.deleteHpa' } });
    expect(none).toMatchObject({ lines: [], errors: [] });
  });

  it.each([
    ['LOG_LEVEL', 'debug', { path: 'data.LOG_LEVEL', change: 'changed', before: 'info', after: 'debug' }],
    ['NEW_KEY', 'multi\nline', { path: 'data.NEW_KEY', change: 'added', before: null, after: 'multi\nline' }],
  ] as const)('a ConfigMap edit of %s shows the key before and after and stores nothing', async (key, value, expected) => {
    const resourceVersion = configMap()?.metadata.resourceVersion ?? '';
    const preview = await client.call('changes.preview', { serviceId: serviceId(), change: { action: 'config.setKey', kind: 'configmap', name: 'preview-settings', key, value, resourceVersion } });
    expect(preview).toMatchObject({ target: 'default/configmap/preview-settings', errors: [], lines: [expected] });
    expect(configMap()?.data).toEqual({ LOG_LEVEL: 'info', FEATURE_X: 'on' });
    expect(configMap()?.metadata.resourceVersion).toBe(resourceVersion);
  });

  it('a ConfigMap key removal shows the key removed; a stale resourceVersion is refused before anything happens', async () => {
    const resourceVersion = configMap()?.metadata.resourceVersion ?? '';
    const removed = await client.call('changes.preview', { serviceId: serviceId(), change: { action: 'config.deleteKey', kind: 'configmap', name: 'preview-settings', key: 'FEATURE_X', resourceVersion } });
    expect(removed.lines).toEqual([{ path: 'data.FEATURE_X', change: 'removed', before: 'on', after: null }]);
    const stale = await client.call('changes.preview', { serviceId: serviceId(), change: { action: 'config.setKey', kind: 'configmap', name: 'preview-settings', key: 'LOG_LEVEL', value: 'warn', resourceVersion: '1' } });
    expect(stale.errors).toEqual([expect.stringContaining('was changed by someone else since you loaded it')]);
    expect(configMap()?.data).toEqual({ LOG_LEVEL: 'info', FEATURE_X: 'on' });
  });

  it.each([
    ['PASSWORD', `new-${randomUUID()}`],
    ['TOKEN', `fresh-${randomUUID()}`],
  ])('a Secret edit of %s says per key added/changed/unchanged and never shows a value', async (key, value) => {
    const secret = kube.get('Secret', 'default', 'preview-db');
    const preview = await client.call('changes.preview', { serviceId: serviceId(), change: { action: 'config.setKey', kind: 'secret', name: 'preview-db', key, value, resourceVersion: secret?.metadata.resourceVersion ?? '' } });
    const text = JSON.stringify(preview);
    for (const hidden of [canary, value, Buffer.from(canary).toString('base64'), Buffer.from(value).toString('base64'), 'app', Buffer.from('app').toString('base64')]) expect(text).not.toContain(hidden);
    expect(preview.lines).toEqual(expect.arrayContaining([
      { path: 'data.PASSWORD', change: key === 'PASSWORD' ? 'changed' : 'unchanged', before: null, after: null },
      { path: 'data.USER', change: 'unchanged', before: null, after: null },
    ]));
    if (key === 'TOKEN') expect(line(preview, 'data.TOKEN')).toEqual({ path: 'data.TOKEN', change: 'added', before: null, after: null });
  });

  it.each(['shop.example.com', 'xn--bcher-kva.example.org', 'a.b.c.example.net'])('a domain for %s shows the Ingress rule it creates, creates nothing, and the applied change\'s audit row records the same diff', async (host) => {
    const ingresses = () => kube.list('Ingress', 'default', 'networking.k8s.io');
    const existing = ingresses().length;
    const preview = await client.call('changes.preview', { serviceId: serviceId(), change: { action: 'domains.add', host, servicePort: 80 } });
    expect(preview.errors).toEqual([]);
    expect(preview.lines).toEqual(expect.arrayContaining([expect.objectContaining({ path: `spec.rules[${existing === 0 ? 0 : 1}].host`, change: 'added', after: host })]));
    expect(ingresses()).toHaveLength(existing);
    await client.call('domains.add', { serviceId: serviceId(), host, servicePort: 80 });
    expect((await client.call('audit.list', { limit: 1, action: 'domain.add' })).rows[0]?.details).toMatchObject({ host, diff: preview.summary });
    const removal = await client.call('changes.preview', { serviceId: serviceId(), change: { action: 'domains.remove', host, path: '/' } });
    expect(removal.lines).toEqual(expect.arrayContaining([expect.objectContaining({ change: 'removed', before: host })]));
    await client.call('domains.remove', { serviceId: serviceId(), host, path: '/' });
  });

  it('a domain already routed is refused by the preview with the other owner named', async () => {
    kube.apply({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'someone-else', namespace: 'default' }, spec: { rules: [{ host: 'taken.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'preview-web', port: { number: 80 } } } }] } }] } });
    const preview = await client.call('changes.preview', { serviceId: serviceId(), change: { action: 'domains.add', host: 'taken.example.com', servicePort: 80 } });
    expect(preview.errors).toEqual(['taken.example.com/ is already routed by Ingress default/someone-else.']);
  });

  it('the image change\'s audit row records the same diff the preview showed', async () => {
    const preview = await client.call('changes.preview', { serviceId: serviceId(), change: { action: 'deployment.setImage', container: 'preview-web', image: 'nginx:1.29' } });
    expect(await client.call('deployment.setImage', { serviceId: serviceId(), container: 'preview-web', image: 'nginx:1.29' })).toMatchObject({ status: 'done' });
    const row = (await client.call('audit.list', { limit: 1, action: 'deployment.set-image' })).rows[0];
    expect(row).toMatchObject({ outcome: 'success', details: { imageTo: 'nginx:1.29', diff: preview.summary } });
  });

  it('a rollback shows the image it goes back to; a restart shows the restartedAt annotation; neither is stored', async () => {
    const generation = deployment()?.metadata.generation;
    const rollback = await client.call('changes.preview', { serviceId: serviceId(), change: { action: 'deployment.rollback' } });
    expect(rollback.errors).toEqual([]);
    expect(line(rollback, 'spec.template.spec.containers[preview-web].image')).toEqual({ path: 'spec.template.spec.containers[preview-web].image', change: 'changed', before: 'nginx:1.29', after: 'nginx:1.27' });
    const restart = await client.call('changes.preview', { serviceId: serviceId(), change: { action: 'deployment.restart' } });
    expect(line(restart, 'spec.template.metadata.annotations.kubectl.kubernetes.io/restartedAt')).toMatchObject({ change: 'added', before: null });
    expect(deployment()?.spec.template.spec.containers[0]?.image).toBe('nginx:1.29');
    expect(deployment()?.metadata.generation).toBe(generation);
  });

  it('a ConfigMap edit\'s audit row records its diff; a Secret edit\'s names the key as changed, never the value', async () => {
    const settings = configMap()?.metadata.resourceVersion ?? '';
    await client.call('config.setKey', { serviceId: serviceId(), kind: 'configmap', name: 'preview-settings', key: 'LOG_LEVEL', value: 'trace', resourceVersion: settings });
    expect((await client.call('audit.list', { limit: 1, action: 'configmap.set-key' })).rows[0]?.details).toMatchObject({ diff: 'data.LOG_LEVEL: info → trace' });
    const value = `audited-${randomUUID()}`;
    await client.call('config.setKey', { serviceId: serviceId(), kind: 'secret', name: 'preview-db', key: 'PASSWORD', value, resourceVersion: kube.get('Secret', 'default', 'preview-db')?.metadata.resourceVersion ?? '' });
    const row = (await client.call('audit.list', { limit: 1, action: 'secret.set-key' })).rows[0];
    expect(row?.details).toMatchObject({ diff: 'data.PASSWORD changed' });
    expect(JSON.stringify(row)).not.toContain(value);
  });
});
