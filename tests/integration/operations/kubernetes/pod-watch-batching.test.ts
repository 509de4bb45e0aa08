import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { V1Pod } from '@kubernetes/client-node';
import { toPodRow } from '../../../../electron/main/operations/kubernetes/pod-rows.ts';
import { startKubeTestServer, type KubeTestServer, type Pod } from '../../../kube-server/index.ts';
import { useTestEnvironment } from '../../../support/test-environment.ts';
import { podTableOf, Recorded, startTabsCore, waitUntil, type TabsCore } from '../tabs-support.ts';

useTestEnvironment('keyring');


const phases = ['Pending', 'Running', 'Unknown'] as const;

/** What the test compares: by uid, the name and the status a user reads in the row. */
function shown(rows: Iterable<{ uid: string; name: string; phase: string; displayStatus: string }>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const row of rows) out[row.uid] = `${row.name} ${row.phase} ${row.displayStatus}`;
  return out;
}

describe('pods.watch under a burst: 1,000 status changes all reach the table', () => {
  let kube: KubeTestServer;
  let app: TabsCore;
  let serviceId = '';
  const deployment = 'batching-burst';
  const pods = (): Pod[] => kube.podsOf('default', deployment).filter((pod) => !pod.metadata.deletionTimestamp);

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20 } });
    kube.applyDeployment({ name: deployment, replicas: 60 });
    await kube.waitFor(() => pods().filter((pod) => pod.status?.phase === 'Running').length === 60, 60_000, 'pods running');
    app = await startTabsCore();
    const added = await app.client.call('environments.addKubernetes', {
      source: { kind: 'text', text: kube.kubeconfigYaml('developer', 'default') },
      contexts: [kube.contextName('developer')],
      name: 'burst cluster',
    });
    serviceId = `${added.environments[0]?.id ?? ''}:deployment:default/${deployment}`;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await kube?.close();
  });

  it.each([1, 2, 3])('every change applied, in order, nothing lost (run %i)', async (run) => {
    const watch = new Recorded(app.client, 'pods.watch', { serviceId });
    try {
      await waitUntil(() => podTableOf(watch.events).size === 60 && watch.events.some((event) => event.kind === 'state' && event.state.kind === 'live'), 30_000, 'the live table');
      const names = pods().map((pod) => pod.metadata.name ?? '');
      // Generated: the same pod many times in a burst, bursts of different sizes, yielding in between.
      let seed = run * 7919;
      const next = (): number => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed / 0x7fffffff;
      };
      for (let change = 0; change < 1000; change++) {
        const pod = names[Math.floor(next() * names.length)] ?? '';
        const phase = phases[(change + run) % phases.length] ?? 'Running';
        kube.setPodPhase('default', pod, phase, `Burst${run}x${change}`);
        if (next() < 0.05) await new Promise((resolve) => setImmediate(resolve));
      }
      // The kubelet no longer drives these pods: this is the server's final state, read once.
      const final = shown(pods().map((pod) => toPodRow(pod as V1Pod)));
      expect(Object.keys(final)).toHaveLength(60);
      // the status text names the pod's last change, so a change applied out of order shows
      expect(Object.values(final).filter((text) => text.includes(`Burst${run}x`)).length).toBeGreaterThan(10);
      const expected = JSON.stringify(final, Object.keys(final).sort());
      await waitUntil(() => {
        const table = shown(podTableOf(watch.events).values());
        return JSON.stringify(table, Object.keys(table).sort()) === expected;
      }, 60_000, 'the table to show every pod in its final phase');
      expect(shown(podTableOf(watch.events).values())).toEqual(final);
      // coalesced: far fewer messages than changes
      expect(watch.events.filter((event) => event.kind === 'changes').length).toBeLessThan(1000);
    } finally {
      watch.cancel();
    }
  });
});
