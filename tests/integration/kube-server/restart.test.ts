// The test API server's restart, held to what a real one does: same address, CA and
// credentials (kubectl keeps working with its kubeconfig), watch history lost (410 Gone for
// watches from before), and a resourceVersion the server has not reached answered with 504.
import { Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { kubeConfigFor } from '../operations/kubernetes/kube-fixture.ts';
import { kubectlFor, parseTable, type Kubectl } from './kubectl.ts';

/** One watch from `resourceVersion`: the events it got and how it ended. */
function watchFrom(kube: KubeTestServer, resourceVersion: string): Promise<{ events: { type: string; object: unknown }[]; error: unknown }> {
  const events: { type: string; object: unknown }[] = [];
  return new Promise((resolve) => {
    void new Watch(kubeConfigFor(kube))
      .watch('/api/v1/namespaces/default/pods', { resourceVersion }, (type, object) => events.push({ type, object }), (error) => resolve({ events, error }))
      .catch((error: unknown) => resolve({ events, error }));
  });
}

describe('kube test server restart', () => {
  let kube: KubeTestServer;
  let kubectl: Kubectl;

  beforeAll(async () => {
    kube = await startKubeTestServer({ nodes: 1, timings: { kubeletStartDelayMs: 40 } });
    kubectl = await kubectlFor(kube);
    kube.applyDeployment({ name: 'web', replicas: 2 });
    await kube.waitFor(() => kube.podsOf('default', 'web').filter((pod) => pod.status?.phase === 'Running').length === 2, 30_000, 'web running');
  });
  afterAll(async () => {
    await kube?.close();
    await kubectl?.cleanup();
  });

  it('comes back on the same address with the same CA: kubectl works with its old kubeconfig', async () => {
    const before = parseTable(await kubectl.ok(['get', 'pods'])).map((row) => row.NAME);
    const url = kube.url;
    await kube.restart();
    expect(kube.url).toBe(url);
    expect(parseTable(await kubectl.ok(['get', 'pods'])).map((row) => row.NAME)).toEqual(before);
  });

  it('loses its watch history: a watch from before the restart gets 410 Gone', async () => {
    const version = kube.resourceVersion;
    await kube.restart({ whileDown: () => void kube.applyDeployment({ name: 'web', replicas: 3 }) });
    const { events } = await watchFrom(kube, version);
    expect(events[0]).toMatchObject({ type: 'ERROR', object: { code: 410, reason: 'Expired' } });
  });

  it('answers a resourceVersion it has not reached with 504 Too large resource version', async () => {
    const ahead = String(Number(kube.resourceVersion) + 1_000_000);
    const { error } = await watchFrom(kube, ahead);
    expect(error).toMatchObject({ statusCode: 504 });
    const result = await kubectl(['get', '--raw', `/api/v1/namespaces/default/pods?watch=1&resourceVersion=${ahead}`], { timeoutMs: 15_000 });
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim()).toBe(`Error from server (Timeout): Too large resource version: ${ahead}, current: ${kube.resourceVersion}`);
  });
});
