import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PendingAnalyzer } from '../../../../electron/main/operations/kubernetes/pending-analysis.ts';
import { deploymentObject } from '../../../kube-server/cluster.ts';
import { startKubeTestServer, type KubeTestServer, type Pod } from '../../../kube-server/index.ts';
import { kubeConfigFor } from './kube-fixture.ts';

// Each scenario is built on the test server so that its scheduler leaves the pod Pending; the
// analysis then works from what client-node reads back (events, nodes, pods, PVCs).
describe('PendingAnalyzer: why a pod of the service is Pending', () => {
  let kube: KubeTestServer;

  const unschedulablePod = (deployment: string): Promise<Pod> =>
    kube.waitFor(
      () => kube.podsOf('default', deployment).find((pod) => pod.status?.conditions?.some((condition) => condition.type === 'PodScheduled' && condition.status === 'False')),
      30_000,
      `${deployment} unschedulable`,
    );
  const analyze = async (deployment: string, user = 'developer') => {
    const pod = await unschedulablePod(deployment);
    return new PendingAnalyzer(kubeConfigFor(kube, user), { namespace: 'default', deployment }).analyze(pod.metadata.name ?? '');
  };

  beforeAll(async () => {
    kube = await startKubeTestServer({
      timings: { kubeletStartDelayMs: 40 },
      nodes: [
        { name: 'node-1', cpu: '4', memory: '8Gi' },
        { name: 'node-2', cpu: '4', memory: '8Gi' },
        { name: 'gpu-1', cpu: '8', memory: '16Gi', labels: { accelerator: 'gpu' }, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
      ],
    });
    // Something already running takes 2.5 CPU of node-1 or node-2.
    kube.applyDeployment({ name: 'base', replicas: 1, requests: { cpu: '2500m' } });
    await kube.waitFor(() => kube.podsOf('default', 'base')[0]?.status?.phase === 'Running', 30_000, 'base running');
  });

  afterAll(async () => {
    await kube?.close();
  });

  it('insufficient CPU: names the shortage per node and how far to lower the request', async () => {
    kube.applyDeployment({ name: 'hungry', requests: { cpu: '6' } });
    const analysis = await analyze('hungry');
    expect(analysis.phase).toBe('Pending');
    const [first] = analysis.findings;
    expect(first?.cause).toBe('insufficient-resources');
    expect(first?.title).toContain('cpu');
    const busy = kube.podsOf('default', 'base')[0]?.spec.nodeName ?? '';
    const idle = busy === 'node-1' ? 'node-2' : 'node-1';
    expect(first?.evidence).toEqual([`${busy}: 4 cores cpu allocatable, 2.5 cores requested by other pods, 1.5 cores free`, `${idle}: 4 cores cpu allocatable, 0m requested by other pods, 4 cores free`].sort());
    expect(first?.suggestion).toBe('lower the cpu request to 4 cores or less (it asks for 6 cores), or add a node with ≥ 6 cores free cpu.');
    // gpu-1 has room but is tainted: reported as the secondary cause.
    expect(analysis.findings.map((finding) => finding.cause)).toEqual(['insufficient-resources', 'taints']);
    expect(analysis.events.find((event) => event.reason === 'FailedScheduling')?.message).toContain('Insufficient cpu');
  });

  it('nodeSelector with no matching node', async () => {
    kube.applyDeployment({ name: 'picky', nodeSelector: { disktype: 'ssd' } });
    const analysis = await analyze('picky');
    expect(analysis.findings).toHaveLength(1);
    expect(analysis.findings[0]).toMatchObject({
      cause: 'node-selector',
      evidence: ['no node has label disktype=ssd'],
      suggestion: 'add label disktype=ssd to a node (kubectl label node <node> disktype=ssd) or change the nodeSelector.',
    });
  });

  it('untolerated taint on the only node the pod may use', async () => {
    kube.applyDeployment({ name: 'trainer', nodeSelector: { accelerator: 'gpu' } });
    const analysis = await analyze('trainer');
    expect(analysis.findings).toHaveLength(1);
    expect(analysis.findings[0]?.cause).toBe('taints');
    expect(analysis.findings[0]?.evidence).toEqual(['gpu-1: taint dedicated=gpu:NoSchedule']);
    expect(analysis.findings[0]?.suggestion).toContain('add a toleration for dedicated=gpu:NoSchedule');
  });

  it('unbound PersistentVolumeClaim', async () => {
    kube.apply({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data-claim', namespace: 'default' }, spec: { storageClassName: 'manual', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } } });
    const deployment = deploymentObject({ name: 'db', image: 'postgres:16' });
    const template = deployment.spec.template.spec;
    template.volumes = [{ name: 'data', persistentVolumeClaim: { claimName: 'data-claim' } }];
    kube.applyDeployment(deployment);
    const analysis = await analyze('db');
    expect(analysis.findings[0]).toMatchObject({ cause: 'pvc-unbound', title: 'PersistentVolumeClaim data-claim is not bound (Pending)' });
    expect(analysis.findings[0]?.evidence[0]).toBe('claim data-claim: phase Pending, StorageClass manual');
    expect(analysis.findings[0]?.suggestion).toContain('bind PVC data-claim: check its StorageClass manual');
    expect(analysis.findings.map((finding) => finding.cause)).toEqual(['pvc-unbound']);
  });

  it('a missing PersistentVolumeClaim', async () => {
    const deployment = deploymentObject({ name: 'cache', image: 'redis:7' });
    deployment.spec.template.spec.volumes = [{ name: 'state', persistentVolumeClaim: { claimName: 'cache-state' } }];
    kube.applyDeployment(deployment);
    const analysis = await analyze('cache');
    expect(analysis.findings[0]).toMatchObject({ cause: 'pvc-unbound', title: 'PersistentVolumeClaim cache-state does not exist' });
  });

  it('image that cannot be pulled', async () => {
    kube.applyDeployment({ name: 'typo', image: 'example/nonexistent:1' });
    const pod = await kube.waitFor(() => kube.podsOf('default', 'typo').find((candidate) => ['ErrImagePull', 'ImagePullBackOff'].includes(candidate.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? '')), 30_000, 'pull error');
    const analysis = await new PendingAnalyzer(kubeConfigFor(kube, 'developer'), { namespace: 'default', deployment: 'typo' }).analyze(pod.metadata.name ?? '');
    expect(analysis.findings[0]?.cause).toBe('image-pull');
    expect(analysis.findings[0]?.suggestion).toContain('example/nonexistent:1');
  });

  it('without node or event access it still names the cause from the scheduler\'s words, and says what it could not read', async () => {
    // viewer-cert may read pods, deployments and replicasets only.
    const analysis = await analyze('picky', 'viewer-cert');
    expect(analysis.limitations).toEqual([expect.stringContaining('events'), expect.stringContaining('nodes')]);
    expect(analysis.events).toEqual([]);
    expect(analysis.findings.map((finding) => finding.cause)).toContain('node-selector');
  });
});
