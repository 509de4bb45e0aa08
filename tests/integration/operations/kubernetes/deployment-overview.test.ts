import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutoscalingV2Api } from '@kubernetes/client-node';
import { DeploymentOverviewReader } from '../../../../electron/main/operations/kubernetes/deployment-overview.ts';
import { startKubeTestServer, type HorizontalPodAutoscaler, type KubeTestServer } from '../../../kube-server/index.ts';
import { kubeConfigFor } from './kube-fixture.ts';

describe('DeploymentOverviewReader: the Overview tab of a Kubernetes service', () => {
  let kube: KubeTestServer;

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, hpaSyncMs: 100 }, metricsServer: true });
    // "huge" asks for more CPU than any node has: its pod stays Pending with FailedScheduling warnings.
    kube.applyDeployment({ name: 'shop', replicas: 2, image: 'nginx:1.27', requests: { cpu: '100m' } });
    kube.applyDeployment({ name: 'huge', replicas: 1, image: 'busybox:1.36', requests: { cpu: '64' } });
    await kube.waitFor(() => kube.podsOf('default', 'shop').filter((pod) => pod.status?.phase === 'Running').length === 2, 30_000, 'shop running');
    await kube.waitFor(() => kube.get('Deployment', 'default', 'shop') && kube.list('Event', 'default').some((event) => (event as { reason?: string }).reason === 'FailedScheduling'), 30_000, 'huge unschedulable');
  });

  afterAll(async () => {
    await kube?.close();
  });

  const overviewOf = (deployment: string, user = 'developer') => new DeploymentOverviewReader({ kubeConfig: kubeConfigFor(kube, user), service: { namespace: 'default', deployment } }).read();

  it('shows replicas, images, selector and conditions', async () => {
    const overview = await overviewOf('shop');
    expect(overview).toMatchObject({ name: 'shop', namespace: 'default', selector: 'app=shop', hpa: null, containers: [{ name: 'shop', image: 'nginx:1.27', init: false }] });
    expect(overview.replicas.desired).toBe(2);
    expect(overview.conditions.map((condition) => condition.type)).toContain('Available');
    expect(overview.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(JSON.parse(JSON.stringify(overview))).toEqual(overview);
  });

  it('summarises the HPA that targets the Deployment', async () => {
    // Load first: an HPA created before it could be measured at the default usage on its first sync.
    kube.setPodMetricsBySelector('default', 'app=shop', { cpu: '50m' });
    await kubeConfigFor(kube).makeApiClient(AutoscalingV2Api).createNamespacedHorizontalPodAutoscaler({
      namespace: 'default',
      body: { metadata: { name: 'shop' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'shop' }, minReplicas: 2, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] } },
    });
    await kube.waitFor(() => (kube.get<HorizontalPodAutoscaler>('HorizontalPodAutoscaler', 'default', 'shop')?.status?.currentMetrics ?? []).some((metric) => metric.resource?.current?.averageUtilization === 50), 30_000, 'HPA measured 50 % CPU');
    const overview = await overviewOf('shop');
    expect(overview.hpa).toMatchObject({ name: 'shop', minReplicas: 2, maxReplicas: 5, targetCpuPercent: 70, currentCpuPercent: 50 });
  });

  it('lists recent Warning events of its pods, newest first', async () => {
    const overview = await overviewOf('huge');
    expect(overview.replicas).toMatchObject({ desired: 1, ready: 0 });
    expect(overview.warnings.length).toBeGreaterThan(0);
    expect(overview.warnings[0]).toMatchObject({ type: 'Warning', reason: 'FailedScheduling' });
    expect(overview.warnings[0]?.object).toMatch(/^Pod\/huge-/);
    const times = overview.warnings.map((event) => Date.parse(event.lastSeen ?? ''));
    expect([...times].sort((left, right) => right - left)).toEqual(times);
    expect((await overviewOf('shop')).warnings).toEqual([]);
  });

  it('names a missing Deployment', async () => {
    await expect(overviewOf('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
