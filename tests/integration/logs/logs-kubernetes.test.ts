import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/contract/client.ts';
import { startKubeTestServer, type KubeTestServer, type Pod } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { startTabsCore, waitUntil, type TabsCore } from '../operations/tabs-support.ts';

useTestEnvironment('keyring');

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe('Log Viewer through the contract, against the Kubernetes test API server', () => {
  let kube: KubeTestServer;
  let app: TabsCore;
  // viewer-cert may read pods and Deployments but not pods/log: a viewer without the logs permission.
  const ids = { developer: '', 'viewer-cert': '' };
  const service = (user: keyof typeof ids, deployment: string) => `${ids[user]}:deployment:default/${deployment}`;
  const live = (deployment: string): Pod[] => kube.podsOf('default', deployment).filter((pod) => !pod.metadata.deletionTimestamp);
  const podName = (deployment: string) => live(deployment)[0]?.metadata.name ?? '';

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 30, containerRunMs: 60, backoffBaseMs: 80, backoffMaxMs: 300 } });
    kube.applyDeployment({ name: 'web', replicas: 1, image: 'nginx:1.27' });
    kube.applyDeployment({ name: 'crasher', replicas: 1, image: 'registry.local/app-crash:1' });
    kube.applyDeployment({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'duo', namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'duo' } },
        template: { metadata: { labels: { app: 'duo' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }, { name: 'sidecar', image: 'envoy:1' }] } },
      },
    });
    await kube.waitFor(() => ['web', 'duo'].every((name) => live(name)[0]?.status?.phase === 'Running'), 30_000, 'web and duo running');
    await kube.waitFor(() => (live('crasher')[0]?.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1, 30_000, 'the crasher restarted');
    app = await startTabsCore();
    for (const user of ['developer', 'viewer-cert'] as const) {
      const added = await app.client.call('environments.addKubernetes', {
        source: { kind: 'text', text: kube.kubeconfigYaml(user, 'default') },
        contexts: [kube.contextName(user)],
        name: `${user} cluster`,
      });
      ids[user] = added.environments[0]?.id ?? '';
    }
  });

  afterAll(async () => {
    await app?.close();
    await kube?.close();
  });

  it('logs.targets lists the pods with their containers, restarts and whether previous logs exist', async () => {
    const crasher = await app.client.call('logs.targets', { serviceId: service('developer', 'crasher') });
    expect(crasher.runtime).toBe('kubernetes');
    const pod = crasher.runtime === 'kubernetes' ? crasher.pods[0] : undefined;
    expect(pod?.name).toBe(podName('crasher'));
    expect(pod?.containers[0]).toMatchObject({ name: 'crasher', init: false, previousAvailable: true });
    expect(pod?.containers[0]?.restartCount).toBeGreaterThanOrEqual(1);

    const duo = await app.client.call('logs.targets', { serviceId: service('developer', 'duo') });
    expect(duo.runtime === 'kubernetes' ? duo.pods[0]?.containers.map((c) => [c.name, c.state, c.previousAvailable]) : []).toEqual([
      ['app', 'running', false],
      ['sidecar', 'running', false],
    ]);
  });

  it('returns the previous container logs of a crash-looping pod: its last words', async () => {
    const snapshot = await app.client.call('logs.fetch', { serviceId: service('developer', 'crasher'), target: { kind: 'pod', pod: podName('crasher'), previous: true } });
    expect(snapshot.text).toContain('Error: connection refused: simulated failure\nExiting with status 1\n');
    expect(snapshot).toMatchObject({ truncated: null, lines: 5 });
    expect(Date.parse(snapshot.fetchedAt)).toBeGreaterThan(0);
  });

  it('asks for the container of a multi-container pod and reads the one chosen', async () => {
    const pod = podName('duo');
    const error = await refusal(app.client.call('logs.fetch', { serviceId: service('developer', 'duo'), target: { kind: 'pod', pod } }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('choose one');
    kube.appendPodLog('default', pod, 'sidecar', 'sidecar says hello');
    const snapshot = await app.client.call('logs.fetch', { serviceId: service('developer', 'duo'), target: { kind: 'pod', pod, container: 'sidecar' } });
    expect(snapshot.text.split('\n')[0]).toBe('Starting sidecar from image envoy:1');
    expect(snapshot.text.endsWith('sidecar says hello\n')).toBe(true);
  });

  it('keeps the tail within tailLines and limitBytes, newest lines first to survive', async () => {
    const pod = podName('web');
    kube.appendPodLog('default', pod, 'web', Array.from({ length: 3000 }, (_, i) => `line ${i + 1} ${'x'.repeat(40)}`).join('\n'));
    const target = { kind: 'pod' as const, pod };
    const tail = await app.client.call('logs.fetch', { serviceId: service('developer', 'web'), target, tailLines: 100 });
    expect(tail).toMatchObject({ lines: 100, truncated: 'lines' });
    expect(tail.text.split('\n')[0]).toMatch(/^line 2901 /);
    expect(tail.text.endsWith(`line 3000 ${'x'.repeat(40)}\n`)).toBe(true);

    const bounded = await app.client.call('logs.fetch', { serviceId: service('developer', 'web'), target, tailLines: 3000, limitBytes: 4096 });
    expect(bounded.truncated).toBe('bytes');
    expect(bounded.bytes).toBeLessThanOrEqual(4096);
    expect(bounded.text.endsWith(`line 3000 ${'x'.repeat(40)}\n`)).toBe(true);
    expect(bounded.text.split('\n')[0]).toMatch(/^line \d+ x+$/);

    const withTimes = await app.client.call('logs.fetch', { serviceId: service('developer', 'web'), target, tailLines: 1, timestamps: true });
    expect(withTimes.text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z line 3000 x+\n$/);

    for (const tooMuch of [{ tailLines: 50_001 }, { limitBytes: 10 * 1024 * 1024 + 1 }, { tailLines: 0 }]) {
      expect((await refusal(app.client.call('logs.fetch', { serviceId: service('developer', 'web'), target, ...tooMuch }))).code).toBe('INVALID_INPUT');
    }
  });

  it('refuses a viewer without the logs permission in main and audits the refusal', async () => {
    const error = await refusal(app.client.call('logs.fetch', { serviceId: service('viewer-cert', 'web'), target: { kind: 'pod', pod: podName('web') } }));
    expect(error.code).toBe('PERMISSION_DENIED');
    const row = (await app.client.call('audit.list', { limit: 1, action: 'logs.view' })).rows[0];
    expect(row).toMatchObject({ action: 'logs.view', outcome: 'refused', environmentId: ids['viewer-cert'] });
    expect(row?.target).toContain(`default/pod/${podName('web')}`);
    expect((await refusal(app.client.call('logs.targets', { serviceId: service('viewer-cert', 'web') }))).code).toBe('PERMISSION_DENIED');
  });

  it('gives readable errors for a pod that is gone, a pod of another service and a container with no previous instance', async () => {
    const gone = await refusal(app.client.call('logs.fetch', { serviceId: service('developer', 'web'), target: { kind: 'pod', pod: 'web-6d4b75cb6d-gone1' } }));
    expect(gone.code).toBe('NOT_FOUND');
    expect(gone.message).toContain('web-6d4b75cb6d-gone1');

    const foreign = await refusal(app.client.call('logs.fetch', { serviceId: service('developer', 'web'), target: { kind: 'pod', pod: podName('duo'), container: 'app' } }));
    expect(foreign.code).toBe('NOT_FOUND');
    expect(foreign.message).toBe(`Pod ${podName('duo')} is not part of Deployment default/web; reload the targets.`);

    const noPrevious = await refusal(app.client.call('logs.fetch', { serviceId: service('developer', 'web'), target: { kind: 'pod', pod: podName('web'), previous: true } }));
    expect(noPrevious.code).toBe('INVALID_INPUT');
    expect(noPrevious.message).toContain('previous terminated container "web"');
  });

  it('reads a pod deleted after the targets were listed as gone', async () => {
    const pod = podName('web');
    await app.client.call('pods.forceDelete', { serviceId: service('developer', 'web'), pod });
    await waitUntil(() => !kube.podsOf('default', 'web').some((p) => p.metadata.name === pod), 30_000, 'the pod gone');
    const error = await refusal(app.client.call('logs.fetch', { serviceId: service('developer', 'web'), target: { kind: 'pod', pod } }));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toMatch(/pods? "?.*not found/);
  });
});
