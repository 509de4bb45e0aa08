import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/contract/client.ts';
import { startKubeTestServer, type KubeTestServer, type Pod } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { podTableOf, Recorded, startTabsCore, waitUntil, type TabsCore } from './tabs-support.ts';

useTestEnvironment('keyring');


describe('Pod List and Overview tabs through the contract, against the Kubernetes test API server', () => {
  let kube: KubeTestServer;
  let app: TabsCore;
  const ids = { developer: '', viewer: '' };
  const service = (user: 'developer' | 'viewer', deployment: string) => `${ids[user]}:deployment:default/${deployment}`;
  const live = (deployment: string): Pod[] => kube.podsOf('default', deployment).filter((pod) => !pod.metadata.deletionTimestamp);
  const running = (deployment: string): Pod[] => live(deployment).filter((pod) => pod.status?.phase === 'Running');
  const newestAudit = async (action: string) => (await app.client.call('audit.list', { limit: 1, action })).rows[0];

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20 } });
    kube.applyDeployment({ name: 'web', replicas: 2, image: 'nginx:1.27' });
    // Three 4-CPU nodes: three pods of 3 CPU run, the fourth stays Pending.
    kube.applyDeployment({ name: 'batch', replicas: 4, requests: { cpu: '3' } });
    await kube.waitFor(() => running('web').length === 2 && running('batch').length === 3 && live('batch').length === 4, 30_000, 'services running');
    app = await startTabsCore();
    for (const user of ['developer', 'viewer'] as const) {
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

  it('pods.watch sends the table, then a pod status change', async () => {
    const watch = new Recorded(app.client, 'pods.watch', { serviceId: service('developer', 'web') });
    try {
      await waitUntil(() => podTableOf(watch.events).size === 2, 20_000, 'the first table');
      await waitUntil(() => watch.events.some((event) => event.kind === 'state' && event.state.kind === 'live'), 20_000, 'live state');
      expect([...podTableOf(watch.events).values()].every((row) => row.statusTone === 'running' && row.ready === '1/1')).toBe(true);

      const target = running('web')[0]?.metadata.name ?? '';
      kube.setPodPhase('default', target, 'Failed');
      const row = await waitUntil(() => [...podTableOf(watch.events).values()].find((candidate) => candidate.name === target && candidate.phase === 'Failed'), 20_000, 'the Failed row');
      expect(row).toMatchObject({ statusTone: 'failed', isPending: false });
    } finally {
      watch.cancel();
    }
  });

  it('two tabs on one service share the watch and both get the whole table', async () => {
    const first = new Recorded(app.client, 'pods.watch', { serviceId: service('developer', 'batch') });
    await waitUntil(() => podTableOf(first.events).size === 4, 20_000, 'first table');
    const second = new Recorded(app.client, 'pods.watch', { serviceId: service('developer', 'batch') });
    await waitUntil(() => podTableOf(second.events).size === 4, 20_000, 'second table');
    first.cancel();
    second.cancel();
    expect(first.ended).toEqual({ reason: 'cancelled' });
  });

  it('analyzes a Pending pod: insufficient CPU, with the scheduler event', async () => {
    const pending = live('batch').find((pod) => pod.status?.phase === 'Pending')?.metadata.name ?? '';
    const analysis = await app.client.call('pods.analyzePending', { serviceId: service('developer', 'batch'), pod: pending });
    expect(analysis.phase).toBe('Pending');
    expect(analysis.findings.map((finding) => finding.cause)).toContain('insufficient-resources');
    expect(analysis.findings[0]?.suggestion.length).toBeGreaterThan(0);
  });

  it('pods.deletePending deletes only the confirmed pods that are still Pending', async () => {
    const pending = live('batch').filter((pod) => pod.status?.phase === 'Pending');
    expect(pending).toHaveLength(1);
    const pendingName = pending[0]?.metadata.name ?? '';
    const runningBefore = running('batch').map((pod) => pod.metadata.name ?? '').sort();
    // The operator confirmed the Pending pod, plus one that (say) got scheduled meanwhile.
    const result = await app.client.call('pods.deletePending', { serviceId: service('developer', 'batch'), expectedPods: [pendingName, runningBefore[0] ?? ''] });
    expect(result).toEqual({ deleted: [pendingName], skipped: [{ name: runningBefore[0], reason: 'no longer Pending (Running)' }], failed: [] });
    expect(kube.podsOf('default', 'batch').some((pod) => pod.metadata.name === pendingName)).toBe(false);
    expect(running('batch').map((pod) => pod.metadata.name ?? '').sort()).toEqual(runningBefore);
    expect(await newestAudit('pods.delete-pending')).toMatchObject({ outcome: 'success', target: 'default/batch', environmentId: ids.developer, details: { deleted: [pendingName], confirmedCount: 2 } });
  });

  it('restart and force delete act on the developer environment and are audited', async () => {
    const [victim] = running('web');
    const restarted = await app.client.call('pods.restart', { serviceId: service('developer', 'web'), pod: victim?.metadata.name ?? '' });
    expect(restarted.uid).toBe(victim?.metadata.uid);
    expect(await newestAudit('pod.delete')).toMatchObject({ outcome: 'success', target: `default/${victim?.metadata.name}` });
    await kube.waitFor(() => running('web').length === 2, 30_000, 'replacement running');
    const [forced] = running('web');
    await app.client.call('pods.forceDelete', { serviceId: service('developer', 'web'), pod: forced?.metadata.name ?? '' });
    expect(kube.get('Pod', 'default', forced?.metadata.name ?? '')).toBeUndefined();
    expect(await newestAudit('pod.force-delete')).toMatchObject({ outcome: 'success', details: { mode: 'force' } });
  });

  it('a pod of another service is refused', async () => {
    const [other] = running('batch');
    await expect(app.client.call('pods.restart', { serviceId: service('developer', 'web'), pod: other?.metadata.name ?? '' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('the viewer environment gets PERMISSION_DENIED from main for a direct pods.restart, and the refusal is audited', async () => {
    await kube.waitFor(() => running('web').length === 2, 30_000, 'web running');
    const [pod] = running('web');
    const attempt = app.client.call('pods.restart', { serviceId: service('viewer', 'web'), pod: pod?.metadata.name ?? '' });
    await expect(attempt).rejects.toBeInstanceOf(ApiError);
    await expect(attempt).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(kube.get<Pod>('Pod', 'default', pod?.metadata.name ?? '')?.metadata.deletionTimestamp).toBeUndefined();
    expect(await newestAudit('pod.delete')).toMatchObject({ outcome: 'refused', environmentId: ids.viewer, target: `default/${pod?.metadata.name}` });
    await expect(app.client.call('pods.deletePending', { serviceId: service('viewer', 'batch'), expectedPods: ['batch-x'] })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(await newestAudit('pods.delete-pending')).toMatchObject({ outcome: 'refused', environmentId: ids.viewer });
  });

  it('overview.get gives the Deployment overview', async () => {
    const overview = await app.client.call('overview.get', { serviceId: service('developer', 'web') });
    expect(overview.runtime).toBe('kubernetes');
    if (overview.runtime !== 'kubernetes') return;
    expect(overview.deployment).toMatchObject({ name: 'web', namespace: 'default', replicas: { desired: 2 } });
    expect(overview.deployment.containers.map((container) => container.image)).toContain('nginx:1.27');
  });

  it('the audit trail verifies after all of it', async () => {
    expect(await app.client.call('audit.verify', {})).toMatchObject({ ok: true });
  });
});
