// The ReplicaSet controller keeps each ReplicaSet's active and ready pod counts as pods change
// instead of checking every pod on each sync. Held here to a recount from the pods themselves
// through failures, a pod that stops being ready, scaling down and up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeTestServer, type KubeTestServer, type Pod, type ReplicaSet } from '../../kube-server/index.ts';

describe('kube test server ReplicaSet status', () => {
  let kube: KubeTestServer;

  beforeAll(async () => {
    kube = await startKubeTestServer({ nodes: 2, timings: { kubeletStartDelayMs: 20, containerStopMs: 10 } });
  });
  afterAll(async () => {
    await kube.close();
  });

  /** Each ReplicaSet's status against its pods: active (not deleting, not Succeeded/Failed) and ready among them. */
  const mismatches = (): string[] => {
    const pods = kube.list<Pod>('Pod', 'default');
    return kube.list<ReplicaSet>('ReplicaSet', 'default', 'apps').flatMap((rs) => {
      const active = pods.filter(
        (pod) =>
          pod.metadata.ownerReferences?.some((reference) => reference.controller && reference.uid === rs.metadata.uid) &&
          !pod.metadata.deletionTimestamp &&
          pod.status?.phase !== 'Succeeded' &&
          pod.status?.phase !== 'Failed',
      );
      const ready = active.filter((pod) => pod.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True')).length;
      const status = rs.status ?? {};
      const shown = `${status.replicas ?? 0}/${status.readyReplicas ?? 0}/${status.availableReplicas ?? 0}`;
      const counted = `${active.length}/${ready}/${ready}`;
      return shown === counted ? [] : [`${rs.metadata.name ?? ''}: status ${shown}, pods ${counted}`];
    });
  };
  const settled = (what: string): Promise<true> => kube.waitFor(() => mismatches().length === 0, 30_000, `ReplicaSet status matching its pods after ${what}`);
  const running = (count: number): Promise<unknown> =>
    kube.waitFor(() => kube.podsOf('default', 'web').filter((pod) => pod.status?.phase === 'Running' && !pod.metadata.deletionTimestamp).length === count, 30_000, `${count} running`);

  it('counts what its pods say through failures, readiness changes and scaling', async () => {
    kube.applyDeployment({ name: 'web', replicas: 6 });
    await running(6);
    await settled('the first rollout');
    const rsOf = (): ReplicaSet | undefined => kube.list<ReplicaSet>('ReplicaSet', 'default', 'apps')[0];
    expect(rsOf()?.status?.readyReplicas).toBe(6);

    const names = kube.podsOf('default', 'web').map((pod) => pod.metadata.name ?? '');
    // two pods fail: replaced, and no longer counted
    kube.setPodPhase('default', names[0] ?? '', 'Failed');
    kube.setPodPhase('default', names[1] ?? '', 'Failed');
    await running(6);
    await settled('two failures');
    // one pod stops being ready but stays active
    kube.setPodPhase('default', names[2] ?? '', 'Pending');
    await kube.waitFor(() => rsOf()?.status?.readyReplicas === 5, 30_000, 'five ready');
    expect(mismatches()).toEqual([]);

    kube.applyDeployment({ name: 'web', replicas: 2 });
    await kube.waitFor(() => rsOf()?.status?.replicas === 2, 30_000, 'scaled down');
    await settled('scaling down');
    kube.applyDeployment({ name: 'web', replicas: 9 });
    await kube.waitFor(() => rsOf()?.status?.readyReplicas === 9 || rsOf()?.status?.readyReplicas === 8, 30_000, 'scaled up');
    await settled('scaling up');
    expect(rsOf()?.status?.replicas).toBe(9);
  });
});
