import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CoreV1Api } from '@kubernetes/client-node';
import { PodWatch, type PodWatchState } from '../../../../electron/main/operations/kubernetes/pod-watch.ts';
import type { PodRow } from '../../../../electron/main/operations/kubernetes/pod-rows.ts';
import { startKubeTestServer, type KubeTestServer } from '../../../kube-server/index.ts';
import { LinkRelay } from '../../../support/link-relay.ts';
import { kubeConfigFor } from './kube-fixture.ts';

/** What a renderer table would hold: rows by uid, batches applied as they come. */
class WatchedTable {
  readonly rows = new Map<string, PodRow>();
  readonly states: PodWatchState[] = [];
  batches = 0;
  /** Rows each batch changed (upserted + removed), in order. */
  readonly batchSizes: number[] = [];

  constructor(watch: PodWatch) {
    watch.subscribe({
      onChanges: (changes) => {
        this.batches += 1;
        this.batchSizes.push(changes.upserted.length + changes.removed.length);
        if (changes.reset) this.rows.clear();
        for (const row of changes.upserted) this.rows.set(row.uid, row);
        for (const uid of changes.removed) this.rows.delete(uid);
      },
      onState: (state) => this.states.push(state),
    });
  }

  byName(name: string): PodRow | undefined {
    return [...this.rows.values()].find((row) => row.name === name);
  }
}

describe('PodWatch: the live Pod List of one service', () => {
  let kube: KubeTestServer;
  let relay: LinkRelay;
  const watches: PodWatch[] = [];

  const watchService = (deployment: string, server?: string): { watch: PodWatch; table: WatchedTable } => {
    const watch = new PodWatch({ kubeConfig: kubeConfigFor(kube, 'developer', server), service: { namespace: 'default', deployment }, backoff: { initialMs: 50, maxMs: 400, jitter: 0.1 } });
    watches.push(watch);
    const table = new WatchedTable(watch);
    watch.start();
    return { watch, table };
  };
  const runningPods = (deployment: string) => kube.podsOf('default', deployment).filter((pod) => pod.status?.phase === 'Running' && !pod.metadata.deletionTimestamp);
  const activeWebPods = () =>
    kube.podsOf('default', 'web').filter((pod) => !pod.metadata.deletionTimestamp && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed');
  const sameUids = (table: WatchedTable, deployment: string): boolean => {
    const expected = kube.podsOf('default', deployment).map((pod) => pod.metadata.uid ?? '').sort();
    return JSON.stringify([...table.rows.keys()].sort()) === JSON.stringify(expected);
  };

  beforeAll(async () => {
    kube = await startKubeTestServer({
      timings: { kubeletStartDelayMs: 40, containerStopMs: 20, bookmarkIntervalMs: 200 },
      // RBAC that lets a user list pods but not watch them: a real and confusing setup
      extraUsers: [{ name: 'lister', groups: ['system:authenticated'], auth: 'token', token: 'lister-token', rules: [{ verbs: ['get', 'list'], resources: ['pods', 'deployments'] }] }],
    });
    relay = await LinkRelay.start({ port: Number(new URL(kube.url).port) });
    kube.applyDeployment({ name: 'web', replicas: 3 });
    kube.applyDeployment({ name: 'api', replicas: 2, labels: { app: 'api', tier: 'backend' } });
    await kube.waitFor(() => runningPods('web').length === 3 && runningPods('api').length === 2, 30_000, 'services running');
  });

  afterEach(async () => {
    await Promise.all(watches.splice(0).map((watch) => watch.stop()));
  });

  afterAll(async () => {
    await relay?.close();
    await kube?.close();
  });

  it('lists only the pods of the service and shows a status change', async () => {
    const { watch, table } = watchService('web');
    await kube.waitFor(() => table.rows.size === 3, 15_000, 'first list');
    expect([...table.rows.values()].every((row) => row.name.startsWith('web-') && row.displayStatus === 'Running' && row.statusTone === 'running')).toBe(true);
    await kube.waitFor(() => watch.state().kind === 'live', 15_000, 'live');

    const target = runningPods('web')[0]?.metadata.name ?? '';
    kube.setPodPhase('default', target, 'Failed');
    const failed = await kube.waitFor(() => table.byName(target)?.phase === 'Failed' && table.byName(target), 15_000, 'the Failed row');
    // Its container ended with reason Error, which is what kubectl's STATUS then shows (red).
    expect(failed).toMatchObject({ displayStatus: 'Error', statusTone: 'failed', isPending: false });

    const other = runningPods('web').find((pod) => pod.metadata.name !== target)?.metadata.name ?? '';
    kube.setPodPhase('default', other, 'Pending');
    const pending = await kube.waitFor(() => table.byName(other)?.phase === 'Pending' && table.byName(other), 15_000, 'the Pending row');
    expect(pending).toMatchObject({ isPending: true });
  });

  it('adds and removes rows as the Deployment scales, in batches', async () => {
    const { table } = watchService('api');
    await kube.waitFor(() => table.rows.size === 2, 15_000, 'first list');
    const batchesBefore = table.batches;
    kube.applyDeployment({ name: 'api', replicas: 4, labels: { app: 'api', tier: 'backend' } });
    await kube.waitFor(() => [...table.rows.values()].filter((row) => row.displayStatus === 'Running').length === 4, 15_000, 'four running rows');
    // Creation, scheduling and start of two pods are several server changes each; how many of
    // them one batch folds depends on timing, but a batch is never sent empty.
    expect(table.batches).toBeGreaterThan(batchesBefore);
    expect(table.batchSizes.slice(batchesBefore).every((size) => size > 0)).toBe(true);
    kube.applyDeployment({ name: 'api', replicas: 2, labels: { app: 'api', tier: 'backend' } });
    await kube.waitFor(() => sameUids(table, 'api') && table.rows.size === 2, 15_000, 'scaled down rows removed');
  });

  it('gives a late subscriber the whole table as one reset batch', async () => {
    const { watch, table } = watchService('web');
    await kube.waitFor(() => sameUids(table, 'web'), 15_000, 'first list');
    const late = new WatchedTable(watch);
    expect(late.batches).toBe(1);
    expect([...late.rows.keys()].sort()).toEqual([...table.rows.keys()].sort());
  });

  it('gives a late subscriber a large table in pieces, one per turn, and later changes after them', async () => {
    // Two rows a piece: web's few pods are a "large" table here, as 20,000 pods are in 500-row pieces.
    const watch = new PodWatch({ kubeConfig: kubeConfigFor(kube, 'developer'), service: { namespace: 'default', deployment: 'web' }, resetPieceRows: 2, backoff: { initialMs: 50, maxMs: 400, jitter: 0.1 } });
    watches.push(watch);
    const table = new WatchedTable(watch);
    watch.start();
    await kube.waitFor(() => sameUids(table, 'web') && watch.state().kind === 'live', 15_000, 'listed and live');
    const pieces: { reset: boolean; uids: string[] }[] = [];
    const whole = [...table.rows.keys()];
    expect(whole.length).toBeGreaterThan(2);
    const late = new WatchedTable(watch);
    watch.subscribe({ onChanges: (changes) => pieces.push({ reset: changes.reset, uids: [...changes.upserted.map((row) => row.uid), ...changes.removed] }) });
    // handed over so far: the first piece only; the next comes on a later turn of the event loop
    expect(pieces.map((piece) => piece.reset)).toEqual([true]);
    const target = runningPods('web')[0]?.metadata.name ?? '';
    kube.setPodPhase('default', target, 'Failed');
    await kube.waitFor(() => late.byName(target)?.phase === 'Failed', 15_000, 'the change after the table');
    const tablePieces = pieces.slice(0, Math.ceil(whole.length / 2));
    expect(tablePieces.map((piece) => piece.reset)).toEqual(tablePieces.map((_, index) => index === 0));
    expect(tablePieces.flatMap((piece) => piece.uids).sort()).toEqual([...whole].sort());
    expect(tablePieces.every((piece) => piece.uids.length <= 2)).toBe(true);
    // the status change came as a batch of its own, after the table
    expect(pieces.slice(tablePieces.length).some((piece) => !piece.reset && piece.uids.length > 0)).toBe(true);
    expect([...late.rows.keys()].sort()).toEqual([...table.rows.keys()].sort());
  });

  it('shows the first page of a long first list at once, then the other pages as changes', async () => {
    // One pod a page: web's pods arrive over several pages, as 20,000 pods arrive over 40.
    const watch = new PodWatch({ kubeConfig: kubeConfigFor(kube, 'developer'), service: { namespace: 'default', deployment: 'web' }, pageSize: 1, backoff: { initialMs: 50, maxMs: 400, jitter: 0.1 } });
    watches.push(watch);
    const resets: number[] = [];
    watch.subscribe({ onChanges: (changes) => changes.reset && resets.push(changes.upserted.length) });
    const table = new WatchedTable(watch);
    watch.start();
    await kube.waitFor(() => sameUids(table, 'web') && watch.state().kind === 'live', 15_000, 'every page listed and live');
    expect(resets).toEqual([1]);
    // each page goes out as its own batch as soon as it is in, not merged by the batch window
    expect(kube.podsOf('default', 'web').length).toBeGreaterThanOrEqual(3);
    expect(table.batchSizes.slice(0, 3)).toEqual([1, 1, 1]);
  });

  it('shows the rows it may list, and says in the API server\'s words that it may not watch them', async () => {
    const watch = new PodWatch({ kubeConfig: kubeConfigFor(kube, 'lister'), service: { namespace: 'default', deployment: 'web' }, backoff: { initialMs: 50, maxMs: 400, jitter: 0.1 } });
    watches.push(watch);
    const table = new WatchedTable(watch);
    watch.start();
    await kube.waitFor(() => sameUids(table, 'web'), 15_000, 'the listed rows');
    const listed = [...table.rows.keys()];
    const refused = await kube.waitFor(() => table.states.find((state) => state.kind === 'failed'), 15_000, 'the refused watch');
    expect(refused).toMatchObject({ kind: 'failed', code: 'PERMISSION_DENIED' });
    expect(refused.kind === 'failed' && refused.reason).toBe('Error from server (Forbidden): pods is forbidden: User "lister" cannot watch resource "pods" in API group "" in the namespace "default"');
    // the refusal keeps the rows it listed
    expect([...table.rows.keys()]).toEqual(listed);
  });

  it('reconnects after the server drops the connection and keeps following changes', async () => {
    const { watch, table } = watchService('web', `https://127.0.0.1:${relay.port}`);
    await kube.waitFor(() => sameUids(table, 'web') && watch.state().kind === 'live', 15_000, 'live through the relay');
    relay.cut();
    await kube.waitFor(() => table.states.some((state) => state.kind === 'reconnecting'), 15_000, 'reconnecting state');
    await kube.waitFor(() => watch.state().kind === 'live', 15_000, 'live again');

    const target = kube.podsOf('default', 'web').find((pod) => pod.status?.phase !== 'Succeeded')?.metadata.name ?? '';
    kube.setPodPhase('default', target, 'Succeeded');
    await kube.waitFor(() => table.byName(target)?.phase === 'Succeeded', 15_000, 'the change after reconnecting');
    const reconnecting = table.states.find((state) => state.kind === 'reconnecting');
    expect(reconnecting).toMatchObject({ kind: 'reconnecting', attempt: 1 });
  });

  it('re-lists after 410 Gone when history was compacted while it was disconnected', async () => {
    const { watch, table } = watchService('web', `https://127.0.0.1:${relay.port}`);
    await kube.waitFor(() => sameUids(table, 'web') && watch.state().kind === 'live', 15_000, 'live through the relay');
    relay.down();
    await kube.waitFor(() => watch.state().kind === 'reconnecting', 15_000, 'reconnecting while blocked');

    const admin = kubeConfigFor(kube).makeApiClient(CoreV1Api);
    // pods the ReplicaSet counts: an earlier test left one Succeeded, which it has replaced
    const standing = () => activeWebPods();
    const victim = standing()[0]?.metadata;
    await admin.deleteNamespacedPod({ name: victim?.name ?? '', namespace: 'default', gracePeriodSeconds: 0 });
    await kube.waitFor(() => standing().length === 3 && !kube.podsOf('default', 'web').some((pod) => pod.metadata.uid === victim?.uid), 15_000, 'replacement created');
    kube.compactHistory();
    expect(table.rows.has(victim?.uid ?? '')).toBe(true);

    relay.resume();
    await kube.waitFor(() => sameUids(table, 'web'), 15_000, 'rows match the server after re-list');
    expect(table.rows.has(victim?.uid ?? '')).toBe(false);
    await kube.waitFor(() => watch.state().kind === 'live', 15_000, 'live again');
  });

  it('reports a forbidden list as failed, with the API server\'s words', async () => {
    const watch = new PodWatch({ kubeConfig: kubeConfigFor(kube, 'nobody'), service: { namespace: 'default', deployment: 'web' }, backoff: { initialMs: 50, maxMs: 200, jitter: 0 } });
    watches.push(watch);
    watch.start();
    const state = await kube.waitFor(() => (watch.state().kind === 'failed' ? watch.state() : undefined), 15_000, 'failed state');
    expect(state).toMatchObject({ kind: 'failed', code: 'PERMISSION_DENIED' });
    expect(state.kind === 'failed' ? state.reason : '').toContain('User "nobody" cannot get resource "deployments"');
  });

  it('stops cleanly: no batches after stop()', async () => {
    const { watch, table } = watchService('web');
    const witness = watchService('web');
    // the rows match the server's pods, whatever earlier tests left terminating
    await kube.waitFor(() => sameUids(table, 'web') && table.rows.size > 0 && sameUids(witness.table, 'web'), 15_000, 'first list');
    await watch.stop();
    const before = table.batches;
    kube.applyDeployment({ name: 'web', replicas: 4 });
    await kube.waitFor(() => activeWebPods().length === 4, 15_000, 'scaled');
    // a watch still running has seen the new pods: the stopped one would have by now
    await kube.waitFor(() => sameUids(witness.table, 'web') && witness.table.rows.size > table.rows.size, 15_000, 'the running watch sees the scale-up');
    expect(table.batches).toBe(before);
    expect(watch.state().kind).toBe('stopped');
  });
});
