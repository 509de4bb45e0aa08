import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricsServer } from '../../../electron/main/operations/scaling/metrics-server.ts';
import { ApiError } from '../../../shared/contract/client.ts';
import { defaultUsers, startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { startScalingTestCore } from './scaling-core.ts';
import type { TabsCore } from './tabs-support.ts';

useTestEnvironment('keyring');

// An operator whose cluster role covers workloads and APIServices but not RBAC: the install
// cannot be whole, and must say which objects failed and why instead of "installed".
const groupsButRbac = ['', 'apps', 'autoscaling', 'apiregistration.k8s.io', 'metrics.k8s.io', 'authorization.k8s.io', 'networking.k8s.io'];
const opsUser = { name: 'ops', groups: ['system:authenticated'], auth: 'certificate' as const, rules: [{ verbs: ['*'], apiGroups: groupsButRbac, resources: ['*'] }] };

describe('Metrics Server install is held to what a real cluster needs', () => {
  let kube: KubeTestServer;
  let app: TabsCore;

  beforeAll(async () => {
    kube = await startKubeTestServer({ nodes: 1, users: [...defaultUsers(), opsUser], timings: { kubeletStartDelayMs: 30 } });
    kube.applyDeployment({ name: 'web', replicas: 1, image: 'nginx:1.27' });
    app = await startScalingTestCore();
  });
  afterAll(async () => {
    await app?.close();
    await kube?.close();
  });

  it('a partial install fails, naming each object that failed and why; the audit row says so and metrics.k8s.io is not claimed', async () => {
    const { environments } = await app.client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('ops', 'default') }, contexts: [kube.contextName('ops')], name: 'ops cluster' });
    const serviceId = `${environments[0]?.id ?? ''}:deployment:default/web`;
    const error = await app.client.call('metricsServer.install', { serviceId }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ApiError);
    const message = (error as ApiError).message;
    expect(message).toMatch(/^Metrics Server is installed only in part: 4 of 9 objects applied\. Failed: /);
    for (const failed of ['ClusterRole system:aggregated-metrics-reader', 'ClusterRole system:metrics-server', 'RoleBinding kube-system/metrics-server-auth-reader', 'ClusterRoleBinding metrics-server:system:auth-delegator', 'ClusterRoleBinding system:metrics-server']) {
      expect(message).toContain(`${failed} (`);
    }
    expect(message).toContain('forbidden');
    const row = (await app.client.call('audit.list', { limit: 1, action: 'metrics-server.install' })).rows[0];
    expect(row).toMatchObject({ outcome: 'failure', target: 'default/web', error: expect.stringContaining('installed only in part: 4 of 9 objects applied') });
  });

  it('with every object applied, it waits for the APIService and refuses to call a never-Available one installed', async () => {
    // A cluster without nodes: the metrics-server pod stays Pending, so its Service never gets a ready endpoint.
    const empty = await startKubeTestServer({ nodes: 0 });
    try {
      const config = new KubeConfig();
      config.loadFromString(empty.kubeconfigYaml('admin', 'default'));
      await expect(new MetricsServer(config).install(false, { availableTimeoutMs: 1_500, pollMs: 100 })).rejects.toMatchObject({
        code: 'TIMEOUT',
        message: expect.stringMatching(/^Every Metrics Server object was applied, but APIService v1beta1\.metrics\.k8s\.io is not Available after 2 s \((MissingEndpoints|EndpointsNotFound): /),
      });
      expect(empty.get('APIService', '', 'v1beta1.metrics.k8s.io')).toBeDefined();
    } finally {
      await empty.close();
    }
  });
});
