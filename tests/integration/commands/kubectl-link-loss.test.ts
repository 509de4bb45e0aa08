import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { LinkRelay } from '../../support/link-relay.ts';
import { eventually, outputOf, Recorded, startCommandsCore, waitUntil, type CommandsCore } from './execution-support.ts';

// Issue 16: a local kubectl watch whose link to the API server is cut exits 0 by itself; the
// app must not record that as a success. The app reaches the test API server through a relay.
useTestEnvironment('keyring');

describe('a local kubectl watch cut by the link', () => {
  let kube: KubeTestServer;
  let relay: LinkRelay;
  let app: CommandsCore;
  let serviceId = '';
  let replicas = 1;

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20 } });
    kube.addNamespace('dev');
    kube.applyDeployment({ name: 'web', namespace: 'dev', replicas: 1, image: 'nginx:1.27' });
    relay = await LinkRelay.start({ port: Number(new URL(kube.url).port) });
    app = await startCommandsCore();
    const added = await app.client.call('environments.addKubernetes', {
      source: { kind: 'text', text: kube.kubeconfigYaml('developer', 'default').replaceAll(kube.url, `https://127.0.0.1:${relay.port}`) },
      contexts: [kube.contextName('developer')],
      name: 'relayed cluster',
    });
    serviceId = `${added.environments[0]?.id ?? ''}:deployment:dev/web`;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await relay?.close();
    await kube?.close();
  });

  // Spellings of a watch, as the policy canonicalizes them.
  it.each(['kubectl get pods -w', 'kubectl get pods --watch', 'kubectl get pods -w=true'])('%s ends as link lost, not as a success', async (line) => {
    const stream = new Recorded(app.client, 'commands.stream', { serviceId, line });
    await waitUntil(() => stream.events.some((event) => event.kind === 'started'), 15_000, 'started');
    // The watch is open once a pod created after the initial list shows up in its output.
    await waitUntil(() => outputOf(stream.events).includes('NAME'), 15_000, 'the initial list');
    const before = new Set(kube.podsOf('dev', 'web').map((pod) => pod.metadata.name));
    replicas += 1;
    kube.applyDeployment({ name: 'web', namespace: 'dev', replicas, image: 'nginx:1.27' });
    const added = await waitUntil(() => kube.podsOf('dev', 'web').find((pod) => !before.has(pod.metadata.name))?.metadata.name, 30_000, 'a new pod');
    await waitUntil(() => outputOf(stream.events).includes(added), 15_000, 'the watch to show the new pod');
    relay.cut();
    const end = await waitUntil(() => stream.events.find((event) => event.kind === 'ended'), 20_000, 'the end');
    expect(end).toMatchObject({ endReason: 'link-lost' });
    const row = await eventually(async () => {
      const newest = await app.newestAudit();
      return newest?.details['mode'] === 'streaming' && newest.details['endReason'] === 'link-lost' ? newest : undefined;
    }, 30_000, 'the link-lost row');
    expect(row).toMatchObject({ outcome: 'failure', details: { decision: 'ran' } });
    expect(row.error).toMatch(/^Link lost: /);
  });

  it('a watch stopped by the operator is still "stopped"', async () => {
    const stream = new Recorded(app.client, 'commands.stream', { serviceId, line: 'kubectl get pods -w' });
    await waitUntil(() => stream.events.some((event) => event.kind === 'started'), 15_000, 'started');
    stream.cancel();
    const row = await eventually(async () => {
      const newest = await app.newestAudit();
      return newest?.details['mode'] === 'streaming' && newest.details['endReason'] === 'stopped' ? newest : undefined;
    }, 30_000, 'the stopped row');
    expect(row).toMatchObject({ outcome: 'success' });
  });
});
