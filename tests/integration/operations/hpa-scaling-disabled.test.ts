import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeTestServer, type HorizontalPodAutoscaler, type KubeTestServer } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { startScalingTestCore } from './scaling-core.ts';
import type { TabsCore } from './tabs-support.ts';

useTestEnvironment('keyring');

// Issue 14 part 5, ScalingDisabled: an HPA on a Deployment at 0 replicas does nothing; the
// Scaling panel says why and offers the fix, which passes the manual-scaling lock only then.
describe('an HPA created while its Deployment is at 0 replicas', () => {
  let kube: KubeTestServer;
  let app: TabsCore;
  let serviceId = '';
  const newestAudit = async (action: string) => (await app.client.call('audit.list', { limit: 1, action })).rows[0];
  const disabledCondition = () => kube.get<HorizontalPodAutoscaler>('HorizontalPodAutoscaler', 'default', 'idle')?.status?.conditions?.find((condition) => condition.reason === 'ScalingDisabled');

  beforeAll(async () => {
    kube = await startKubeTestServer({ nodes: 1, metricsServer: true, timings: { kubeletStartDelayMs: 30, hpaSyncMs: 100 } });
    kube.applyDeployment({ name: 'idle', replicas: 0, image: 'nginx:1.27', requests: { cpu: '100m' } });
    app = await startScalingTestCore();
    const { environments } = await app.client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('admin', 'default') }, contexts: [kube.contextName('admin')], name: 'zero cluster' });
    serviceId = `${environments[0]?.id ?? ''}:deployment:default/idle`;
  });
  afterAll(async () => {
    await app?.close();
    await kube?.close();
  });

  it('the fix is refused while no HPA exists', async () => {
    await expect(app.client.call('scaling.resumeHpa', { serviceId })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('No HPA targets default/idle') });
    expect(await newestAudit('deployment.scale')).toMatchObject({ outcome: 'failure', details: { reason: 'hpa-scaling-disabled' } });
  });

  it('says why the HPA does nothing and how to fix it', async () => {
    await app.client.call('scaling.setHpa', { serviceId, minReplicas: 2, maxReplicas: 5, targetCpu: 60 });
    await kube.waitFor(() => disabledCondition(), 30_000, 'the HPA controller to report ScalingDisabled');
    const status = await app.client.call('scaling.get', { serviceId });
    expect(status.manualLocked).toBe(true);
    expect(status.hpaScalingDisabled).toEqual({
      resumeReplicas: 2,
      message: expect.stringContaining('HPA "idle" does nothing: default/idle is at 0 replicas, and Kubernetes disables autoscaling for a target at zero (ScalingDisabled)'),
    });
    expect(status.hpaScalingDisabled?.message).toContain('scale it to at least 1 replica (the HPA then keeps it between 2 and 5), or delete the HPA');
    // Plain manual scaling stays locked.
    await expect(app.client.call('scaling.setReplicas', { serviceId, replicas: 1 })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses a count outside the HPA range and malformed input', async () => {
    await expect(app.client.call('scaling.resumeHpa', { serviceId, replicas: 9 })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('between 2 and 5') });
    await expect(app.client.call('scaling.resumeHpa', { serviceId, replicas: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(app.client.call('scaling.resumeHpa', { serviceId, extra: true } as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(kube.get('Deployment', 'default', 'idle')?.spec).toMatchObject({ replicas: 0 });
  });

  it('the fix scales to the HPA minimum, audited, and the HPA takes over', async () => {
    expect(await app.client.call('scaling.resumeHpa', { serviceId })).toEqual({ from: 0, to: 2, hpa: 'idle' });
    expect(await newestAudit('deployment.scale')).toMatchObject({ outcome: 'success', details: { reason: 'hpa-scaling-disabled', from: 0, to: 2, hpa: 'idle' } });
    await kube.waitFor(() => kube.podsOf('default', 'idle').filter((pod) => pod.status?.phase === 'Running').length === 2, 30_000, 'two pods');
    await kube.waitFor(() => !disabledCondition(), 30_000, 'the HPA to leave ScalingDisabled');
    expect((await app.client.call('scaling.get', { serviceId })).hpaScalingDisabled).toBeNull();
    // Not at 0 any more: the lock applies again.
    await expect(app.client.call('scaling.resumeHpa', { serviceId })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('it is not at 0') });
  });
});
