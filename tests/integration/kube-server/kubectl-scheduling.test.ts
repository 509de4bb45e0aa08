import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeTestServer, type KubeTestServer, type Pod } from '../../kube-server/index.ts';
import { kubectlFor, parseTable, type Kubectl } from './kubectl.ts';

describe('scheduler: Pending pods and FailedScheduling reasons', () => {
  let kube: KubeTestServer;
  let kubectl: Kubectl;

  beforeAll(async () => {
    kube = await startKubeTestServer({
      timings: { kubeletStartDelayMs: 40 },
      nodes: [
        { name: 'control-plane', roles: ['control-plane'], taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] },
        { name: 'gpu-1', cpu: '8', labels: { accelerator: 'gpu' }, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
        { name: 'small-1', cpu: '1', memory: '2Gi' },
      ],
    });
    kubectl = await kubectlFor(kube);
  });

  afterAll(async () => {
    await kube?.close();
    await kubectl?.cleanup();
  });

  const scheduledCondition = async (deployment: string): Promise<{ pod: Pod; message: string }> => {
    const pod = await kube.waitFor(() => kube.podsOf('default', deployment).find((candidate) => candidate.status?.conditions?.some((condition) => condition.type === 'PodScheduled' && condition.status === 'False')), 30_000, `${deployment} unschedulable`);
    return { pod, message: pod.status?.conditions?.find((condition) => condition.type === 'PodScheduled')?.message ?? '' };
  };

  it('explains insufficient cpu and untolerated taints like kube-scheduler', async () => {
    kube.applyDeployment({ name: 'hungry', image: 'nginx:1.27', requests: { cpu: '2' } });
    const { pod, message } = await scheduledCondition('hungry');
    expect(message).toBe(
      '0/3 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.',
    );
    const rows = parseTable(await kubectl.ok(['get', 'pods', '-l', 'app=hungry']));
    expect(rows[0]).toMatchObject({ READY: '0/1', STATUS: 'Pending' });
    const description = await kubectl.ok(['describe', 'pod', pod.metadata.name ?? '']);
    expect(description).toMatch(/PodScheduled\s+False/);
    expect(description).toContain('Warning  FailedScheduling');
    expect(description).toContain('default-scheduler  0/3 nodes are available: 1 Insufficient cpu');
  });

  it('schedules once a toleration and node selector fit, and reports affinity mismatches', async () => {
    kube.applyDeployment({ name: 'trainer', image: 'example/trainer:1', nodeSelector: { accelerator: 'gpu' }, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }], requests: { cpu: '2' } });
    await kube.waitFor(() => kube.podsOf('default', 'trainer')[0]?.status?.phase === 'Running', 30_000, 'trainer running');
    expect(kube.podsOf('default', 'trainer')[0]?.spec.nodeName).toBe('gpu-1');
    kube.applyDeployment({ name: 'picky', image: 'nginx:1.27', nodeSelector: { disktype: 'ssd' } });
    const { message } = await scheduledCondition('picky');
    expect(message).toBe(
      "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
    kube.addNode({ name: 'ssd-1', labels: { disktype: 'ssd' } });
    await kube.waitFor(() => kube.podsOf('default', 'picky')[0]?.status?.phase === 'Running', 30_000, 'picky scheduled on the new node');
    expect(kube.podsOf('default', 'picky')[0]?.spec.nodeName).toBe('ssd-1');
  });

  it('waits for persistent volume claims', async () => {
    kube.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db', namespace: 'default' }, spec: { containers: [{ name: 'db', image: 'postgres:16' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] } });
    const pod = await kube.waitFor(() => kube.get<Pod>('Pod', 'default', 'db')?.status?.conditions?.find((condition) => condition.type === 'PodScheduled' && condition.status === 'False'), 30_000, 'db unschedulable');
    expect(pod.message).toBe('0/4 nodes are available: persistentvolumeclaim "data" not found. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.');
    kube.apply({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } } });
    await kube.waitFor(() => kube.get<Pod>('Pod', 'default', 'db')?.status?.phase === 'Running', 30_000, 'db running once the claim binds');
    expect(parseTable(await kubectl.ok(['get', 'pvc']))[0]).toMatchObject({ NAME: 'data', STATUS: 'Bound', CAPACITY: '5Gi', 'ACCESS MODES': 'RWO', STORAGECLASS: 'standard' });
  });
});
