import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeTestServer, type Deployment, type HorizontalPodAutoscaler, type KubeTestServer, type Pod, type ReplicaSet } from '../../kube-server/index.ts';
import { kubectlFor, parseTable, type Kubectl } from './kubectl.ts';

describe('kubectl scale / set image / rollout / autoscale', () => {
  let kube: KubeTestServer;
  let kubectl: Kubectl;

  const runningImages = (): string[] =>
    kube
      .podsOf('default', 'web')
      .filter((pod) => pod.status?.phase === 'Running' && !pod.metadata.deletionTimestamp)
      .map((pod) => pod.spec.containers[0]?.image ?? '');

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20, hpaSyncMs: 100 }, metricsServer: true });
    kubectl = await kubectlFor(kube);
    kube.applyDeployment({ name: 'web', image: 'nginx:1.27', replicas: 2, requests: { cpu: '200m', memory: '64Mi' } });
    await kube.waitFor(() => runningImages().length === 2, 30_000, 'web running');
  });

  afterAll(async () => {
    await kube?.close();
    await kubectl?.cleanup();
  });

  it('scales a deployment through the scale subresource', async () => {
    expect(await kubectl.ok(['scale', 'deploy/web', '--replicas=5'])).toBe('deployment.apps/web scaled\n');
    await kube.waitFor(() => runningImages().length === 5, 30_000, '5 pods');
    expect(parseTable(await kubectl.ok(['get', 'deploy', 'web']))[0]).toMatchObject({ READY: '5/5', 'UP-TO-DATE': '5', AVAILABLE: '5' });
    await kubectl.ok(['scale', 'deploy/web', '--replicas=2']);
    await kube.waitFor(() => kube.podsOf('default', 'web').length === 2, 30_000, 'scale down to 2');
  });

  it('rolls out a new image as a new revision and rolls back', async () => {
    expect(await kubectl.ok(['set', 'image', 'deploy/web', 'web=nginx:1.28'])).toBe('deployment.apps/web image updated\n');
    expect(await kubectl.ok(['rollout', 'status', 'deploy/web', '--timeout=20s'])).toContain('deployment "web" successfully rolled out');
    expect(runningImages()).toEqual(['nginx:1.28', 'nginx:1.28']);
    const replicaSets = kube.list<ReplicaSet>('ReplicaSet', 'default');
    expect(replicaSets.map((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision']).sort()).toEqual(['1', '2']);
    expect(kube.get<Deployment>('Deployment', 'default', 'web')?.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');

    const history = await kubectl.ok(['rollout', 'history', 'deploy/web']);
    expect(history).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');
    const revisionOne = await kubectl.ok(['rollout', 'history', 'deploy/web', '--revision=1']);
    expect(revisionOne).toMatch(/Image:\s+nginx:1\.27/);

    expect(await kubectl.ok(['rollout', 'undo', 'deploy/web'])).toBe('deployment.apps/web rolled back\n');
    await kubectl.ok(['rollout', 'status', 'deploy/web', '--timeout=20s']);
    await kube.waitFor(() => runningImages().length === 2 && runningImages().every((image) => image === 'nginx:1.27'), 30_000, 'rollback to 1.27');
    expect(await kubectl.ok(['rollout', 'history', 'deploy/web'])).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n');
    // Revision 1's ReplicaSet was reused, not recreated.
    expect(kube.list<ReplicaSet>('ReplicaSet', 'default')).toHaveLength(2);

    await kubectl.ok(['rollout', 'undo', 'deploy/web', '--to-revision=2']);
    await kubectl.ok(['rollout', 'status', 'deploy/web', '--timeout=20s']);
    await kube.waitFor(() => runningImages().length === 2 && runningImages().every((image) => image === 'nginx:1.28'), 30_000, 'undo to revision 2');
    const wide = parseTable(await kubectl.ok(['get', 'deploy', 'web', '-o', 'wide']));
    expect(wide[0]?.IMAGES).toBe('nginx:1.28');
  });

  it('records deployment status conditions as the controller does', async () => {
    const deployment = JSON.parse(await kubectl.ok(['get', 'deploy', 'web', '-o', 'json'])) as Deployment;
    expect(deployment.status?.observedGeneration).toBe(deployment.metadata.generation);
    const conditions = Object.fromEntries((deployment.status?.conditions ?? []).map((condition) => [condition.type, condition.reason]));
    expect(conditions).toEqual({ Available: 'MinimumReplicasAvailable', Progressing: 'NewReplicaSetAvailable' });
  });

  it('autoscales with an HPA that follows simulated CPU', async () => {
    expect(await kubectl.ok(['autoscale', 'deploy/web', '--cpu-percent=80', '--min=1', '--max=10'])).toBe('horizontalpodautoscaler.autoscaling/web autoscaled\n');
    kube.setPodMetricsBySelector('default', 'app=web', { cpu: '400m' });
    await kube.waitFor(() => (kube.get<HorizontalPodAutoscaler>('HorizontalPodAutoscaler', 'default', 'web')?.status?.desiredReplicas ?? 0) >= 5, 30_000, 'HPA scale up');
    await kube.waitFor(() => runningImages().length >= 5, 30_000, 'scaled pods');
    const rows = parseTable(await kubectl.ok(['get', 'hpa']));
    expect(rows[0]).toMatchObject({ NAME: 'web', REFERENCE: 'Deployment/web', MINPODS: '1', MAXPODS: '10' });
    expect(rows[0]?.TARGETS).toMatch(/^cpu: \d+%\/80%$/);
    const v1 = JSON.parse(await kubectl.ok(['get', '--raw', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/web'])) as { spec: { targetCPUUtilizationPercentage: number } };
    expect(v1.spec.targetCPUUtilizationPercentage).toBe(80);
    const events = await kubectl.ok(['get', 'events', '--field-selector', 'involvedObject.kind=HorizontalPodAutoscaler']);
    expect(events).toMatch(/SuccessfulRescale\s+horizontalpodautoscaler\/web\s+New size: \d+; reason: cpu resource utilization \(percentage of request\) above target/);
    kube.setPodMetricsBySelector('default', 'app=web', { cpu: '10m' });
    await kube.waitFor(() => kube.get<Deployment>('Deployment', 'default', 'web')?.spec.replicas === 1, 30_000, 'HPA scale down to min');
    const top = await kubectl.ok(['top', 'pods', '-l', 'app=web']);
    expect(top).toMatch(/NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);
    expect(kube.list<Pod>('Pod', 'default').length).toBeGreaterThan(0);
  });
});
