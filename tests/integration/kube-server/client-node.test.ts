import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppsV1Api, AuthorizationV1Api, AutoscalingV2Api, CoreV1Api, KubeConfig, makeInformer, Metrics, PatchStrategy, setHeaderOptions, Watch, type V1Pod } from '@kubernetes/client-node';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';

describe('@kubernetes/client-node against the kube test server', () => {
  let kube: KubeTestServer;
  const config = (user = 'admin'): KubeConfig => {
    const kc = new KubeConfig();
    kc.loadFromString(kube.kubeconfigYaml(user));
    return kc;
  };

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20, hpaSyncMs: 100 }, metricsServer: true });
    kube.applyDeployment({ name: 'web', replicas: 2, requests: { cpu: '100m', memory: '64Mi' } });
    await kube.waitFor(() => kube.podsOf('default', 'web').filter((pod) => pod.status?.phase === 'Running').length === 2, 30_000, 'web running');
  });

  afterAll(async () => {
    await kube?.close();
  });

  it('lists pods with label selectors and paging', async () => {
    const core = config().makeApiClient(CoreV1Api);
    const all = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' });
    expect(all.items).toHaveLength(2);
    expect(all.items[0]?.status?.phase).toBe('Running');
    const first = await core.listNamespacedPod({ namespace: 'default', limit: 1 });
    expect(first.items).toHaveLength(1);
    expect(first.metadata?._continue).toBeTruthy();
    const second = await core.listNamespacedPod({ namespace: 'default', limit: 1, _continue: first.metadata?._continue });
    expect(second.items[0]?.metadata?.name).not.toBe(first.items[0]?.metadata?.name);
    expect(second.metadata?._continue).toBeFalsy();
  });

  it('feeds an informer with adds, updates and deletes', async () => {
    const kc = config();
    const core = kc.makeApiClient(CoreV1Api);
    const informer = makeInformer<V1Pod>(kc, '/api/v1/namespaces/default/pods', () => core.listNamespacedPod({ namespace: 'default' }));
    const seen: string[] = [];
    informer.on('add', (pod) => seen.push(`add ${pod.metadata?.name ?? ''}`));
    informer.on('delete', (pod) => seen.push(`delete ${pod.metadata?.name ?? ''}`));
    await informer.start();
    try {
      expect(informer.list('default')).toHaveLength(2);
      kube.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'probe', namespace: 'default' }, spec: { containers: [{ name: 'probe', image: 'busybox:1.36' }] } });
      await kube.waitFor(() => informer.get('probe', 'default')?.status?.phase === 'Running', 30_000, 'informer sees probe running');
      await core.deleteNamespacedPod({ name: 'probe', namespace: 'default', gracePeriodSeconds: 0 });
      await kube.waitFor(() => seen.includes('delete probe'), 30_000, 'informer delete');
      expect(seen).toContain('add probe');
    } finally {
      await informer.stop();
    }
  });

  it('watches with bookmarks and gets 410 Gone from a compacted version', async () => {
    const watch = new Watch(config());
    const events: string[] = [];
    const startVersion = kube.resourceVersion;
    const request = await watch.watch('/api/v1/namespaces/default/configmaps', { resourceVersion: startVersion, allowWatchBookmarks: true }, (type, object: { metadata?: { name?: string } }) => events.push(`${type} ${object.metadata?.name ?? ''}`), () => undefined);
    kube.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'watched', namespace: 'default' }, data: { a: '1' } });
    await kube.waitFor(() => events.includes('ADDED watched'), 30_000, 'watch event');
    await kube.waitFor(() => events.some((event) => event.startsWith('BOOKMARK')), 30_000, 'bookmark');
    request.abort();

    kube.compactHistory();
    const errors: unknown[] = [];
    await new Promise<void>((resolve) => {
      void watch.watch('/api/v1/namespaces/default/configmaps', { resourceVersion: startVersion }, (type, object: { code?: number; reason?: string }) => {
        if (type === 'ERROR') errors.push(object);
      }, () => resolve());
    });
    expect(errors[0]).toMatchObject({ code: 410, reason: 'Expired' });
  });

  it('patches with strategic merge, merge and JSON patch', async () => {
    const apps = config().makeApiClient(AppsV1Api);
    await apps.patchNamespacedDeployment(
      { name: 'web', namespace: 'default', body: { spec: { template: { spec: { containers: [{ name: 'web', env: [{ name: 'MODE', value: 'blue' }] }] } } } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    const patched = await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
    const container = patched.spec?.template.spec?.containers[0];
    expect(container?.image).toBe('nginx:1.27');
    expect(container?.env).toEqual([{ name: 'MODE', value: 'blue' }]);
    await apps.patchNamespacedDeployment({ name: 'web', namespace: 'default', body: { metadata: { labels: { tier: 'frontend' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await apps.patchNamespacedDeployment({ name: 'web', namespace: 'default', body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.28' }] }, setHeaderOptions('Content-Type', PatchStrategy.JsonPatch));
    const final = await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
    expect(final.metadata?.labels).toEqual({ app: 'web', tier: 'frontend' });
    expect(final.spec?.template.spec?.containers[0]?.image).toBe('nginx:1.28');
    await kube.waitFor(() => kube.podsOf('default', 'web').filter((pod) => pod.spec.containers[0]?.image === 'nginx:1.28' && pod.status?.phase === 'Running' && !pod.metadata.deletionTimestamp).length === 2, 30_000, 'rollout of patched deployment');
  });

  it('reports conflicts, dry runs and invalid objects as Status errors', async () => {
    const core = config().makeApiClient(CoreV1Api);
    const created = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'versioned' }, data: { v: '1' } } });
    await core.replaceNamespacedConfigMap({ name: 'versioned', namespace: 'default', body: { ...created, data: { v: '2' } } });
    await expect(core.replaceNamespacedConfigMap({ name: 'versioned', namespace: 'default', body: { ...created, data: { v: '3' } } })).rejects.toMatchObject({ code: 409 });
    await core.createNamespacedConfigMap({ namespace: 'default', dryRun: 'All', body: { metadata: { name: 'dry' }, data: {} } });
    expect(kube.get('ConfigMap', 'default', 'dry')).toBeUndefined();
    const invalid = core.createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'Bad_Name' }, spec: { containers: [{ name: 'c', image: '' }] } } });
    await expect(invalid).rejects.toMatchObject({ code: 422 });
    await expect(core.readNamespacedPod({ name: 'missing', namespace: 'default' })).rejects.toMatchObject({ code: 404 });
  });

  it('scales through the scale subresource and reads HPAs', async () => {
    const apps = config().makeApiClient(AppsV1Api);
    const scale = await apps.readNamespacedDeploymentScale({ name: 'web', namespace: 'default' });
    expect(scale.status?.selector).toBe('app=web');
    await apps.patchNamespacedDeploymentScale({ name: 'web', namespace: 'default', body: { spec: { replicas: 3 } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await kube.waitFor(() => kube.podsOf('default', 'web').filter((pod) => pod.status?.phase === 'Running' && !pod.metadata.deletionTimestamp).length === 3, 30_000, 'three pods');
    // Load first, then the HPA: an HPA that syncs before the load exists scales the idle pods
    // down, and a snapshot taken while it climbs back can catch any state in between.
    kube.setPodMetricsBySelector('default', 'app=web', { cpu: '200m' });
    const autoscaling = config().makeApiClient(AutoscalingV2Api);
    await autoscaling.createNamespacedHorizontalPodAutoscaler({
      namespace: 'default',
      body: { metadata: { name: 'web' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 4, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] } },
    });
    const readHpa = () => autoscaling.readNamespacedHorizontalPodAutoscaler({ name: 'web', namespace: 'default' });
    await expect.poll(async () => (await readHpa()).status?.desiredReplicas, { timeout: 30_000 }).toBe(4);
    const hpa = await readHpa();
    expect(hpa.status?.conditions?.find((condition) => condition.type === 'ScalingLimited')).toMatchObject({ status: 'True', reason: 'TooManyReplicas' });
    await kube.waitFor(() => kube.podsOf('default', 'web').filter((pod) => pod.status?.phase === 'Running' && !pod.metadata.deletionTimestamp).length === 4, 30_000, 'HPA capped at max');
  });

  it('answers access reviews per user', async () => {
    const review = async (user: string, verb: string, resource: string, namespace: string): Promise<boolean | undefined> => {
      const api = config(user).makeApiClient(AuthorizationV1Api);
      const result = await api.createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: { verb, resource, namespace } } } });
      return result.status?.allowed;
    };
    expect(await review('developer', 'delete', 'pods', 'default')).toBe(true);
    expect(await review('developer', 'delete', 'pods', 'kube-system')).toBe(false);
    expect(await review('viewer', 'get', 'secrets', 'default')).toBe(false);
    const rules = await config('viewer').makeApiClient(AuthorizationV1Api).createSelfSubjectRulesReview({ body: { spec: { namespace: 'default' } } });
    expect(rules.status?.resourceRules.some((rule) => rule.resources?.includes('pods') && rule.verbs.includes('list'))).toBe(true);
    await expect(config('viewer').makeApiClient(CoreV1Api).listNamespacedSecret({ namespace: 'default' })).rejects.toMatchObject({ code: 403 });
  });

  it('reads metrics only while metrics-server is installed', async () => {
    const metrics = new Metrics(config());
    kube.setPodMetricsBySelector('default', 'app=web', { cpu: '250m', memory: '100Mi' });
    const pods = await metrics.getPodMetrics('default');
    expect(pods.items.length).toBeGreaterThan(0);
    expect(pods.items[0]?.containers[0]?.usage).toEqual({ cpu: '250m', memory: '100Mi' });
    const nodes = await metrics.getNodeMetrics();
    expect(nodes.items.map((node) => node.metadata.name).sort()).toEqual(['node-1', 'node-2', 'node-3']);
    kube.uninstallMetricsServer();
    await expect(metrics.getPodMetrics('default')).rejects.toBeTruthy();
    kube.installMetricsServer();
    await kube.metricsServerAvailable();
    expect((await metrics.getPodMetrics('default')).items.length).toBeGreaterThan(0);
  });
});
