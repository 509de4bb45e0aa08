import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditTestBench, type AuditTestBench } from '../../../../electron/main/audit/audit-test-kit.ts';
import { PodActions } from '../../../../electron/main/operations/kubernetes/pod-actions.ts';
import type { PermissionGate } from '../../../../electron/main/operations/kubernetes/kubernetes-access.ts';
import { AppError } from '../../../../shared/errors.ts';
import { startKubeTestServer, type KubeTestServer, type Pod } from '../../../kube-server/index.ts';
import { accessFor, allowAll, denying } from './kube-fixture.ts';

describe('PodActions: restart, force delete and bulk Pending delete, each audited', () => {
  let kube: KubeTestServer;
  let bench: AuditTestBench;

  const actionsFor = (deployment: string, user = 'developer', permissions: PermissionGate = allowAll): PodActions =>
    new PodActions({ access: accessFor(kube, user), service: { namespace: 'default', deployment }, audit: bench.trail, permissions });
  const live = (deployment: string): Pod[] => kube.podsOf('default', deployment).filter((pod) => !pod.metadata.deletionTimestamp);
  const running = (deployment: string): Pod[] => live(deployment).filter((pod) => pod.status?.phase === 'Running');
  const newestAudit = () => bench.trail.list({ limit: 1 })[0];

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20 } });
    bench = await openAuditTestBench();
    kube.applyDeployment({ name: 'web', replicas: 2 });
    kube.applyDeployment({ name: 'stubborn', replicas: 1, image: 'example/ignore-sigterm:1' });
    // Three 4-CPU nodes: three pods of 3 CPU run, the fourth stays Pending.
    kube.applyDeployment({ name: 'batch', replicas: 4, requests: { cpu: '3' } });
    await kube.waitFor(() => running('web').length === 2 && running('stubborn').length === 1 && running('batch').length === 3, 30_000, 'services running');
  });

  afterAll(async () => {
    bench?.dispose();
    await kube?.close();
  });

  it('restart deletes the pod and the Deployment brings a replacement', async () => {
    const [victim] = running('web');
    const result = await actionsFor('web').restartPod(victim?.metadata.name ?? '');
    expect(result).toEqual({ name: victim?.metadata.name, uid: victim?.metadata.uid });
    await kube.waitFor(() => !kube.podsOf('default', 'web').some((pod) => pod.metadata.uid === victim?.metadata.uid), 30_000, 'old pod gone');
    await kube.waitFor(() => running('web').length === 2, 30_000, 'replacement running');
    expect(newestAudit()).toMatchObject({
      action: 'pod.delete',
      target: `default/${victim?.metadata.name}`,
      outcome: 'success',
      actorIdentity: 'developer@developer@kiops-test',
      environmentId: 'test-cluster',
      details: { namespace: 'default', pod: victim?.metadata.name, deployment: 'web', mode: 'restart' },
    });
  });

  it('force delete removes a pod that ignores SIGTERM at once', async () => {
    const [pod] = running('stubborn');
    await actionsFor('stubborn').forceDeletePod(pod?.metadata.name ?? '');
    expect(kube.get('Pod', 'default', pod?.metadata.name ?? '')).toBeUndefined();
    expect(newestAudit()).toMatchObject({ action: 'pod.force-delete', outcome: 'success', details: { mode: 'force', gracePeriodSeconds: 0 } });
  });

  it('bulk delete removes only the pods that are Pending at action time', async () => {
    const pending = live('batch').filter((pod) => pod.status?.phase === 'Pending');
    const runningBefore = running('batch').map((pod) => pod.metadata.uid).sort();
    expect(pending).toHaveLength(1);
    const result = await actionsFor('batch').deletePendingPods();
    expect(result).toEqual({ deleted: [pending[0]?.metadata.name], skipped: [], failed: [] });
    expect(kube.podsOf('default', 'batch').some((pod) => pod.metadata.uid === pending[0]?.metadata.uid)).toBe(false);
    expect(running('batch').map((pod) => pod.metadata.uid).sort()).toEqual(runningBefore);
    expect(newestAudit()).toMatchObject({ action: 'pods.delete-pending', target: 'default/batch', outcome: 'success', details: { deleted: [pending[0]?.metadata.name], skipped: [], failed: [] } });
  });

  it('a cluster user without delete rights gets kubectl\'s Forbidden as a readable error, and it is audited', async () => {
    const [pod] = running('web');
    const attempt = actionsFor('web', 'viewer').restartPod(pod?.metadata.name ?? '');
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
      message: `Error from server (Forbidden): pods "${pod?.metadata.name}" is forbidden: User "viewer" cannot delete resource "pods" in API group "" in the namespace "default"`,
    });
    expect(kube.get<Pod>('Pod', 'default', pod?.metadata.name ?? '')?.metadata.deletionTimestamp).toBeUndefined();
    const row = newestAudit();
    expect(['failure', 'refused']).toContain(row?.outcome);
    expect(row).toMatchObject({ action: 'pod.delete', actorIdentity: 'viewer@viewer@kiops-test' });
    expect(row?.error).toContain('cannot delete resource "pods"');

    await expect(actionsFor('batch', 'viewer').deletePendingPods()).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(newestAudit()).toMatchObject({ action: 'pods.delete-pending', outcome: 'refused' });
  });

  it('refuses when the app\'s permission gate says no, before touching the cluster, and records the refusal', async () => {
    const gate = denying('You do not have management permission for test-cluster.');
    const [pod] = running('web');
    await expect(actionsFor('web', 'developer', gate).forceDeletePod(pod?.metadata.name ?? '')).rejects.toMatchObject({ code: 'PERMISSION_DENIED', message: 'You do not have management permission for test-cluster.' });
    expect(gate.asked).toEqual(['test-cluster:management']);
    expect(kube.get('Pod', 'default', pod?.metadata.name ?? '')).toBeDefined();
    expect(newestAudit()).toMatchObject({ action: 'pod.force-delete', outcome: 'refused', error: 'You do not have management permission for test-cluster.' });
  });

  it('refuses a pod of another service', async () => {
    const [other] = running('batch');
    await expect(actionsFor('web').restartPod(other?.metadata.name ?? '')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(kube.get<Pod>('Pod', 'default', other?.metadata.name ?? '')?.metadata.deletionTimestamp).toBeUndefined();
    expect(newestAudit()).toMatchObject({ outcome: 'refused' });
  });

  it('leaves a verifiable trail with one outcome row per action, each chained to its started row', () => {
    const all = bench.trail.list({ limit: 100 });
    const rows = all.filter((row) => row.outcome !== 'started');
    for (const row of rows) expect(all.find((started) => started.seq === row.details.startedSeq)).toMatchObject({ outcome: 'started', action: row.action });
    expect(rows.map((row) => row.action).reverse()).toEqual(['pod.delete', 'pod.force-delete', 'pods.delete-pending', 'pod.delete', 'pods.delete-pending', 'pod.force-delete', 'pod.delete']);
    expect(bench.trail.verify()).toMatchObject({ ok: true, rows: 14 });
  });
});
