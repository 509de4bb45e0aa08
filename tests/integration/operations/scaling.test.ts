import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/contract/client.ts';
import { startKubeTestServer, type KubeTestServer, type Pod } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { kubectlFor, parseTable, type Kubectl } from '../kube-server/kubectl.ts';
import { startTabsCore, type TabsCore } from './tabs-support.ts';

// Production environments get only logs without an organisation policy; this one lets the
// operator manage production too, so the production confirmation itself is what is tested.
const policy = ['version: 1', 'rules:', '  - match: { tag: production }', '    allow: [logs, commands, management]', '  - match: { tag: non-production }', '    allow: [logs, commands, management]', ''].join('\n');

useTestEnvironment('keyring');

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}


async function poll<T>(check: () => Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('Scaling (manual, HPA, Metrics Server, Image Cache Cleanup) through the contract, against the Kubernetes test API server', () => {
  let kube: KubeTestServer;
  let app: TabsCore;
  let kubectl: Kubectl;
  const ids = { admin: '', production: '', viewer: '' };
  const web = () => `${ids.admin}:deployment:default/web`;
  const live = (namespace: string, deployment: string): Pod[] => kube.podsOf(namespace, deployment).filter((pod) => !pod.metadata.deletionTimestamp);
  const running = (namespace: string, deployment: string) => live(namespace, deployment).filter((pod) => pod.status?.phase === 'Running');
  const newestAudit = async (action: string) => (await app.client.call('audit.list', { limit: 1, action })).rows[0];

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 30, containerStopMs: 20, hpaSyncMs: 100 } });
    kube.applyDeployment({ name: 'web', replicas: 2, image: 'nginx:1.27', requests: { cpu: '100m' } });
    kube.applyDeployment({ name: 'shop', namespace: 'dev', replicas: 2, image: 'nginx:1.27' });
    kube.applyDeployment({ name: 'pull', replicas: 2, image: 'registry.example.com/team/pull-error:1.0' });
    await kube.waitFor(() => running('default', 'web').length === 2 && running('dev', 'shop').length === 2, 30_000, 'services running');
    app = await startTabsCore({ organisationPolicy: policy });
    kubectl = await kubectlFor(kube);
    const add = async (user: string, namespace: string, name: string, production: boolean) =>
      (await app.client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml(user, namespace) }, contexts: [kube.contextName(user)], name, production })).environments[0]?.id ?? '';
    ids.admin = await add('admin', 'default', 'staging cluster', false);
    ids.production = await add('developer', 'dev', 'production cluster', true);
    ids.viewer = await add('viewer', 'default', 'viewer cluster', false);
  });

  afterAll(async () => {
    await kubectl?.cleanup();
    await app?.close();
    await kube?.close();
  });

  it('scaling.get: replicas, no HPA, Metrics Server missing with the troubleshooting text', async () => {
    const status = await app.client.call('scaling.get', { serviceId: web() });
    expect(status).toMatchObject({ deployment: 'web', namespace: 'default', production: false, replicas: { desired: 2, ready: 2 }, hpa: null, manualLocked: false });
    expect(status.metricsServer).toMatchObject({ installed: false, ready: false });
    expect(status.metricsServer.problem).toContain('Metrics Server is not installed');
  });

  it('setReplicas changes the pods, Remove All Pods (0) removes them all; audited from → to', async () => {
    expect(await app.client.call('scaling.setReplicas', { serviceId: web(), replicas: 4 })).toEqual({ from: 2, to: 4 });
    await kube.waitFor(() => running('default', 'web').length === 4, 30_000, 'four web pods');
    expect(await newestAudit('deployment.scale')).toMatchObject({ outcome: 'success', target: 'default/web', details: { from: 2, to: 4, replicas: 4 } });

    expect(await app.client.call('scaling.setReplicas', { serviceId: web(), replicas: 0 })).toEqual({ from: 4, to: 0 });
    await kube.waitFor(() => kube.podsOf('default', 'web').length === 0, 30_000, 'no web pods');
    await app.client.call('scaling.setReplicas', { serviceId: web(), replicas: 2 });
    await kube.waitFor(() => running('default', 'web').length === 2, 30_000, 'two web pods again');
  });

  it('in a production environment, every scaling needs the service name typed as confirmation', async () => {
    const shop = `${ids.production}:deployment:dev/shop`;
    const refused = await failure(app.client.call('scaling.setReplicas', { serviceId: shop, replicas: 0 }));
    expect(refused.code).toBe('INVALID_INPUT');
    expect(refused.message).toContain('type the service name: shop');
    expect(await newestAudit('scaling.set-replicas')).toMatchObject({ outcome: 'refused', target: 'shop', environmentId: ids.production, details: { reason: 'production-confirmation' } });
    expect(running('dev', 'shop')).toHaveLength(2);
    // 3 → 2 as much as 2 → 0: the Apply Pod Count ran with no confirmation
    expect((await failure(app.client.call('scaling.setReplicas', { serviceId: shop, replicas: 1 }))).details).toMatchObject({ reason: 'production-confirmation', confirmText: 'shop' });

    const wrong = await failure(app.client.call('scaling.setReplicas', { serviceId: shop, replicas: 0, confirmation: 'web' }));
    expect(wrong.code).toBe('INVALID_INPUT');
    expect(await app.client.call('scaling.setReplicas', { serviceId: shop, replicas: 0, confirmation: 'shop' })).toEqual({ from: 2, to: 0 });
    await kube.waitFor(() => kube.podsOf('dev', 'shop').length === 0, 30_000, 'no shop pods');
    expect(await app.client.call('scaling.setReplicas', { serviceId: shop, replicas: 1, confirmation: 'shop' })).toEqual({ from: 0, to: 1 });
  });

  it('setHpa without Metrics Server is refused with the readable troubleshooting message', async () => {
    const refused = await failure(app.client.call('scaling.setHpa', { serviceId: web() }));
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toContain('HPA creation failure: Metrics Server is not installed');
    expect(refused.message).toContain('Install it from the Pod List tab');
    expect(await newestAudit('hpa.set')).toMatchObject({ outcome: 'failure', details: { minReplicas: 1, maxReplicas: 10, targetCpu: 80 } });
    expect((await kubectl.ok(['get', 'hpa', '-n', 'default', '-o', 'name'])).trim()).toBe('');
  });

  it('min > max is refused by the contract before main runs anything', async () => {
    const refused = await failure(app.client.call('scaling.setHpa', { serviceId: web(), minReplicas: 5, maxReplicas: 2 }));
    expect(refused.code).toBe('INVALID_INPUT');
    expect(refused.message).toContain('minReplicas must not be greater than maxReplicas');
  });

  it('a viewer is refused by main, and the refusal is audited', async () => {
    const serviceId = `${ids.viewer}:deployment:default/web`;
    const refused = await failure(app.client.call('scaling.setReplicas', { serviceId, replicas: 3 }));
    expect(refused.code).toBe('PERMISSION_DENIED');
    expect(await newestAudit('deployment.scale')).toMatchObject({ outcome: 'refused', environmentId: ids.viewer });
    expect((await failure(app.client.call('metricsServer.install', { serviceId }))).code).toBe('PERMISSION_DENIED');
    expect(await newestAudit('metrics-server.install')).toMatchObject({ outcome: 'refused' });
    expect(live('default', 'web')).toHaveLength(2);
  });

  it('metricsServer.install applies the embedded manifest; then setHpa creates an HPA kubectl shows, which scales with CPU and locks manual scaling', async () => {
    const installed = await app.client.call('metricsServer.install', { serviceId: web() });
    expect(installed.applied.find((object) => object.kind === 'Deployment')).toMatchObject({ name: 'metrics-server', namespace: 'kube-system', result: 'created' });
    expect(installed.applied.find((object) => object.kind === 'ServiceAccount')).toMatchObject({ result: 'created' });
    // Every object of the manifest, RBAC and APIService included, is applied; the call returns once the APIService is Available.
    expect(installed.applied.map((object) => `${object.kind}/${object.name}:${object.result}`)).toEqual([
      'ServiceAccount/metrics-server:created',
      'ClusterRole/system:aggregated-metrics-reader:created',
      'ClusterRole/system:metrics-server:created',
      'RoleBinding/metrics-server-auth-reader:created',
      'ClusterRoleBinding/metrics-server:system:auth-delegator:created',
      'ClusterRoleBinding/system:metrics-server:created',
      'Service/metrics-server:created',
      'Deployment/metrics-server:created',
      'APIService/v1beta1.metrics.k8s.io:created',
    ]);
    expect(installed.metricsServer).toMatchObject({ installed: true });
    expect(parseTable(await kubectl.ok(['get', 'apiservice', 'v1beta1.metrics.k8s.io']))[0]).toMatchObject({ AVAILABLE: 'True' });
    expect(await newestAudit('metrics-server.install')).toMatchObject({ outcome: 'success' });
    await poll(async () => (await app.client.call('scaling.get', { serviceId: web() })).metricsServer.ready, 30_000, 'metrics-server ready');
    expect((await app.client.call('scaling.get', { serviceId: web() })).metricsServer).toMatchObject({ version: 'v0.7.2', problem: null });

    const created = await app.client.call('scaling.setHpa', { serviceId: web() });
    expect(created).toMatchObject({ created: true, hpa: { name: 'web', minReplicas: 1, maxReplicas: 10, targetCpu: 80, otherMetrics: [] } });
    const table = parseTable(await kubectl.ok(['get', 'hpa', '-n', 'default']));
    expect(table).toEqual([expect.objectContaining({ NAME: 'web', REFERENCE: 'Deployment/web', MINPODS: '1', MAXPODS: '10' })]);
    expect(table[0]?.TARGETS).toContain('80%');
    const object = JSON.parse(await kubectl.ok(['get', 'hpa', 'web', '-n', 'default', '-o', 'json'])) as { apiVersion: string; spec: { metrics: unknown[] } };
    expect(object.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);

    // Update (not a second HPA): min 2, max 5, 50 %; then load at 200 % of requests scales to max.
    expect(await app.client.call('scaling.setHpa', { serviceId: web(), minReplicas: 2, maxReplicas: 5, targetCpu: 50 })).toMatchObject({ created: false, hpa: { minReplicas: 2, maxReplicas: 5, targetCpu: 50 } });
    expect(await newestAudit('hpa.set')).toMatchObject({ outcome: 'success', details: { minReplicas: 2, maxReplicas: 5, targetCpu: 50, created: false } });
    kube.setPodMetricsBySelector('default', 'app=web', { cpu: '200m' });
    await kube.waitFor(() => running('default', 'web').length === 5, 15_000, 'the HPA scaling web to 5');
    const status = await poll(async () => {
      const current = await app.client.call('scaling.get', { serviceId: web() });
      return current.hpa?.currentCpu !== null && current.hpa?.desiredReplicas === 5 ? current : undefined;
    }, 30_000, 'HPA status');
    expect(status).toMatchObject({ manualLocked: true, hpa: { currentCpu: 200, desiredReplicas: 5 } });
    expect(status.hpa?.conditions.map((condition) => condition.type)).toContain('ScalingLimited');
    expect(parseTable(await kubectl.ok(['get', 'hpa', '-n', 'default']))[0]).toMatchObject({ MINPODS: '2', MAXPODS: '5', REPLICAS: '5' });

    const locked = await failure(app.client.call('scaling.setReplicas', { serviceId: web(), replicas: 1 }));
    expect(locked.code).toBe('CONFLICT');
    expect(locked.message).toContain('manual scaling is locked while an HPA is active; delete the HPA first'.replace('manual', 'Manual'));
    expect(await newestAudit('deployment.scale')).toMatchObject({ outcome: 'failure', details: { replicas: 1 } });
  });

  it('deleteHpa unlocks manual scaling', async () => {
    kube.setPodMetricsBySelector('default', 'app=web', { cpu: '50m' });
    expect(await app.client.call('scaling.deleteHpa', { serviceId: web() })).toEqual({ deleted: true });
    expect(await newestAudit('hpa.delete')).toMatchObject({ outcome: 'success', details: { deleted: true } });
    expect((await app.client.call('scaling.get', { serviceId: web() })).manualLocked).toBe(false);
    expect((await kubectl.ok(['get', 'hpa', '-n', 'default', '-o', 'name'])).trim()).toBe('');
    expect(await app.client.call('scaling.setReplicas', { serviceId: web(), replicas: 2 })).toEqual({ from: 5, to: 2 });
    await kube.waitFor(() => live('default', 'web').length === 2, 30_000, 'back to two pods');
    expect(await app.client.call('scaling.deleteHpa', { serviceId: web() })).toEqual({ deleted: false });
  });

  it('Image Cache Cleanup deletes the confirmed pods stuck pulling their image; the Deployment recreates them', async () => {
    const stuck = await kube.waitFor(() => {
      const pods = live('default', 'pull');
      return pods.length === 2 && pods.every((pod) => ['ErrImagePull', 'ImagePullBackOff'].includes(pod.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? '')) ? pods : undefined;
    }, 30_000, 'pods stuck pulling');
    const names = stuck.map((pod) => pod.metadata.name ?? '').sort();
    const webPod = running('default', 'web')[0]?.metadata.name ?? '';
    const result = await app.client.call('diagnostics.imageCacheCleanup', { serviceId: `${ids.admin}:deployment:default/pull`, expectedPods: [...names, webPod] });
    expect(result.deleted).toEqual(names);
    expect(result.skipped).toEqual([{ name: webPod, reason: 'already gone' }]);
    await kube.waitFor(() => live('default', 'pull').length === 2 && live('default', 'pull').every((pod) => !names.includes(pod.metadata.name ?? '')), 30_000, 'fresh pods');
    expect(await newestAudit('pods.image-cache-cleanup')).toMatchObject({ outcome: 'success', details: { deleted: names } });
  });

  it('every action is in the audit trail, and the trail verifies', async () => {
    const { rows } = await app.client.call('audit.list', { limit: 200 });
    const actions = new Set(rows.map((row) => row.action));
    for (const action of ['deployment.scale', 'hpa.set', 'hpa.delete', 'metrics-server.install', 'pods.image-cache-cleanup']) expect(actions).toContain(action);
    expect(await app.client.call('audit.verify', {})).toMatchObject({ ok: true });
  });
});
