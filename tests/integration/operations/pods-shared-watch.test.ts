import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeTestServer, type AuditEvent, type KubeTestServer, type Pod } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { podTableOf, Recorded, startTabsCore, waitUntil, type TabsCore } from './tabs-support.ts';

useTestEnvironment('keyring');

/** May read the Deployment, its ReplicaSets, HPAs and events, but not list its pods. */
const noPods = {
  name: 'no-pods',
  groups: ['system:authenticated'],
  auth: 'token' as const,
  token: 'no-pods-token',
  rules: [{ verbs: ['get', 'list', 'watch'], apiGroups: ['', 'apps', 'autoscaling'], resources: ['deployments', 'replicasets', 'events', 'horizontalpodautoscalers'], namespaces: ['default'] }],
};

async function serverWith(deployments: readonly { name: string; replicas: number; cpu?: string }[]): Promise<KubeTestServer> {
  const kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20 }, extraUsers: [noPods] });
  for (const shape of deployments) kube.applyDeployment({ name: shape.name, replicas: shape.replicas, ...(shape.cpu ? { requests: { cpu: shape.cpu } } : {}) });
  await kube.waitFor(() => deployments.every((shape) => kube.podsOf('default', shape.name).length === shape.replicas), 30_000, 'pods created');
  return kube;
}

async function environmentOf(app: TabsCore, kube: KubeTestServer, user: string): Promise<string> {
  const added = await app.client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml(user, 'default') }, contexts: [kube.contextName(user)], name: `${user} cluster` });
  return added.environments[0]?.id ?? '';
}

/** The pod lists (not watches) the server was asked for since `from`, of one Deployment's pods. */
const podListsSince = (kube: KubeTestServer, from: number, deployment: string): AuditEvent[] =>
  kube
    .auditEvents()
    .slice(from)
    .filter((event) => event.verb === 'list' && event.resource === 'pods' && event.subresource === '' && new URLSearchParams(event.query).get('labelSelector') === `app=${deployment}`);

const livePods = (kube: KubeTestServer, deployment: string): Pod[] => kube.podsOf('default', deployment).filter((pod) => !pod.metadata.deletionTimestamp);

describe('One pod list per service: the Overview and the Pod List share the service pod watch', () => {
  let kube: KubeTestServer;
  let app: TabsCore;
  const ids = { developer: '', noPods: '' };
  const service = (environment: string, deployment: string) => `${environment}:deployment:default/${deployment}`;

  beforeAll(async () => {
    // "huge" asks for more CPU than any node has: its pod stays Pending with a FailedScheduling warning.
    kube = await serverWith([
      { name: 'web', replicas: 3 },
      { name: 'huge', replicas: 1, cpu: '64' },
    ]);
    app = await startTabsCore();
    ids.developer = await environmentOf(app, kube, 'developer');
    ids.noPods = await environmentOf(app, kube, 'no-pods');
  });

  afterAll(async () => {
    await app?.close();
    await kube?.close();
  });

  it('the Overview lists the pods once, for its pod warnings and for the Pod List opened next', async () => {
    const from = kube.auditEvents().length;
    const overview = await app.client.call('overview.get', { serviceId: service(ids.developer, 'huge') });
    if (overview.runtime !== 'kubernetes') throw new Error(`expected a Kubernetes overview, got ${overview.runtime}`);
    const pending = livePods(kube, 'huge')[0]?.metadata.name ?? '';
    expect(overview.deployment.warnings.map((warning) => warning.object)).toContain(`Pod/${pending}`);
    expect(overview.deployment.limitationTexts).toEqual([]);

    const list = new Recorded(app.client, 'pods.watch', { serviceId: service(ids.developer, 'huge') });
    try {
      await waitUntil(() => podTableOf(list.events).has(livePods(kube, 'huge')[0]?.metadata.uid ?? '-'), 20_000, 'the Pod List row');
      expect(podListsSince(kube, from, 'huge').map((event) => event.user)).toEqual(['developer']);
    } finally {
      list.cancel();
    }
  });

  /** Opens the Pod List of `deployment` and waits until it shows every pod; the caller cancels it. */
  const openPodList = async (deployment: string): Promise<Recorded<'pods.watch'>> => {
    const list = new Recorded(app.client, 'pods.watch', { serviceId: service(ids.developer, deployment) });
    await waitUntil(() => livePods(kube, deployment).every((pod) => podTableOf(list.events).has(pod.metadata.uid ?? '')), 20_000, `the table of ${deployment}`);
    return list;
  };

  /** Opens web's Pod List, closes it, runs `between`, opens it again: the pod lists the server was asked for since `between`'s start. */
  const listsOfReopenedPodList = async (between: () => Promise<unknown>): Promise<number> => {
    (await openPodList('web')).cancel();
    const from = kube.auditEvents().length;
    await between();
    const again = await openPodList('web');
    again.cancel();
    return podListsSince(kube, from, 'web').length;
  };

  it('a Pod List closed and opened again shows the table without listing again', async () => {
    expect(await listsOfReopenedPodList(async () => undefined)).toBe(0);
  });

  it('an environment changed while its Pod List lingers: the next Pod List lists through the changed environment', async () => {
    expect(await listsOfReopenedPodList(() => app.client.call('environments.update', { id: ids.developer, name: 'developer cluster (renamed)' }))).toBe(1);
  });

  it('an environment changed under an open Pod List: the list is read again through the changed environment, rows kept', async () => {
    const uids = () => livePods(kube, 'web').map((pod) => pod.metadata.uid ?? '');
    const open = await openPodList('web');
    try {
      const from = kube.auditEvents().length;
      await app.client.call('environments.update', { id: ids.developer, name: 'developer cluster (renamed again)' });
      await waitUntil(() => podListsSince(kube, from, 'web').length === 1, 20_000, 'the list read again');
      expect(uids().every((uid) => podTableOf(open.events).has(uid))).toBe(true);
      expect(podTableOf(open.events).size).toBe(uids().length);
    } finally {
      open.cancel();
    }
  });

  it('pods the operator may not list: the Overview still shows the Deployment’s warnings and says why the pods’ are missing', async () => {
    const now = new Date().toISOString();
    kube.apply({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'huge.deadline', namespace: 'default' },
      involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'huge', namespace: 'default' },
      type: 'Warning',
      reason: 'ProgressDeadlineExceeded',
      message: 'Deployment "huge" has timed out progressing.',
      source: { component: 'deployment-controller' },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    });
    const overview = await app.client.call('overview.get', { serviceId: service(ids.noPods, 'huge') });
    if (overview.runtime !== 'kubernetes') throw new Error(`expected a Kubernetes overview, got ${overview.runtime}`);
    expect(overview.deployment.limitationTexts).toEqual([{ key: 'operations.limitations.podWarnings' }]);
    expect(overview.deployment.warnings.map((warning) => `${warning.object} ${warning.reason}`)).toEqual(['Deployment/huge ProgressDeadlineExceeded']);
  });
});

describe('A service pod watch nobody uses any more', () => {
  let kube: KubeTestServer;
  let app: TabsCore;
  let environment = '';

  beforeAll(async () => {
    kube = await serverWith([{ name: 'web', replicas: 2 }]);
    app = await startTabsCore({ podWatchLingerMs: 200 });
    environment = await environmentOf(app, kube, 'developer');
  });

  afterAll(async () => {
    await app?.close();
    await kube?.close();
  });

  it('ends after its linger, and the next Pod List lists again', async () => {
    const serviceId = `${environment}:deployment:default/web`;
    const from = kube.auditEvents().length;
    const uids = () => livePods(kube, 'web').map((pod) => pod.metadata.uid ?? '');
    const first = new Recorded(app.client, 'pods.watch', { serviceId });
    await waitUntil(() => uids().every((uid) => podTableOf(first.events).has(uid)) && kube.openWatches() === 1, 20_000, 'the table, watched');
    first.cancel();
    await waitUntil(() => kube.openWatches() === 0, 20_000, 'the watch ended');
    const again = new Recorded(app.client, 'pods.watch', { serviceId });
    try {
      await waitUntil(() => uids().every((uid) => podTableOf(again.events).has(uid)), 20_000, 'the table again');
      expect(podListsSince(kube, from, 'web')).toHaveLength(2);
    } finally {
      again.cancel();
    }
  });
});
