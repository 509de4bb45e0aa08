import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { podTableOf, Recorded, startTabsCore, waitUntil, type TabsCore } from './tabs-support.ts';

useTestEnvironment('keyring');

// A crash-looping pod's row says how the previous run ended (exit code and reason, OOMKilled
// with the container's memory limit), and the previous container's logs can be read.


describe('CrashLoopBackOff facts in the Pod List, against the Kubernetes test API server', () => {
  let kube: KubeTestServer;
  let app: TabsCore;
  let environmentId = '';
  const service = (deployment: string) => `${environmentId}:deployment:default/${deployment}`;

  beforeAll(async () => {
    kube = await startKubeTestServer({ nodes: 1, timings: { kubeletStartDelayMs: 40, containerRunMs: 100, backoffBaseMs: 200, backoffMaxMs: 2_000 } });
    kube.applyDeployment({ name: 'hungry', replicas: 1, image: 'registry.example/oom-worker:2', limits: { memory: '64Mi' } });
    kube.applyDeployment({ name: 'broken', replicas: 1, image: 'registry.example/crash-app:1' });
    kube.applyDeployment({ name: 'fine', replicas: 1, image: 'nginx:1.27', limits: { memory: '128Mi' } });
    app = await startTabsCore();
    const added = await app.client.call('environments.addKubernetes', {
      source: { kind: 'text', text: kube.kubeconfigYaml('developer', 'default') },
      contexts: [kube.contextName('developer')],
      name: 'crash cluster',
    });
    environmentId = added.environments[0]?.id ?? '';
  });

  afterAll(async () => {
    await app?.close();
    await kube?.close();
  });

  const crashRow = async (deployment: string) => {
    const watch = new Recorded(app.client, 'pods.watch', { serviceId: service(deployment) });
    try {
      return await waitUntil(() => [...podTableOf(watch.events).values()].find((row) => row.displayStatus === 'CrashLoopBackOff' && row.crashLoop), 30_000, `${deployment} in CrashLoopBackOff`);
    } finally {
      watch.cancel();
    }
  };

  it('an OOMKilled container: exit 137, reason OOMKilled, and its memory limit', async () => {
    const row = await crashRow('hungry');
    expect(row.crashLoop).toMatchObject({ container: 'hungry', exitCode: 137, reason: 'OOMKilled', memoryLimit: '64Mi' });
    expect(row.crashLoop?.finishedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('a container that exits with an error: its exit code and reason, no memory limit when it has none', async () => {
    const row = await crashRow('broken');
    expect(row.crashLoop).toMatchObject({ container: 'broken', exitCode: 1, reason: 'Error', memoryLimit: null });
  });

  it("the previous container's logs are there to read", async () => {
    const row = await crashRow('broken');
    await waitUntil(async () => {
      const pod = kube.podsOf('default', 'broken').find((candidate) => candidate.metadata.name === row.name);
      return (pod?.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1;
    }, 30_000, 'a restart');
    const logs = await app.client.call('logs.fetch', { serviceId: service('broken'), target: { kind: 'pod', pod: row.name, container: 'broken', previous: true } });
    expect(logs.text).toContain('Exiting with status 1');
  });

  it('a healthy pod has no crash facts', async () => {
    const watch = new Recorded(app.client, 'pods.watch', { serviceId: service('fine') });
    try {
      const row = await waitUntil(() => [...podTableOf(watch.events).values()].find((candidate) => candidate.displayStatus === 'Running'), 30_000, 'fine running');
      expect(row.crashLoop).toBeUndefined();
    } finally {
      watch.cancel();
    }
  });
});
