// The Pod List over a link the test controls: an API server restart, a frozen (half-open) link
// and a long outage. After each, the rows must equal the server's pods again without any user
// action, and a frozen link must show as silent. How soon (the design: 10 s) is measured in
// bench/link-heal.ts; the waits here are ten times that, for a loaded machine.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CoreV1Api } from '@kubernetes/client-node';
import { DeadlineKubeConfig } from '../../../../electron/main/connections/request-deadlines.ts';
import { doing, kubeRequest } from '../../../../electron/main/operations/kubernetes/kube-errors.ts';
import { PodWatch } from '../../../../electron/main/operations/kubernetes/pod-watch.ts';
import { defaultBackoff, type BackoffPolicy } from '../../../../electron/main/operations/kubernetes/watch-backoff.ts';
import { startKubeTestServer, type KubeTestServer } from '../../../kube-server/index.ts';
import { healWaitMs, LinkRelay, silentWaitMs } from '../../../support/link-relay.ts';
import { kubeConfigFor, matchesTruth, podTruth, runningPods, watchedTable } from './kube-fixture.ts';

/** The first retry whose delay before jitter is the cap: 250 ms doubled until it reaches 10 s is the 7th. */
function firstAttemptAtCap(policy: BackoffPolicy): number {
  let attempt = 1;
  while (policy.initialMs * 2 ** (attempt - 1) < policy.maxMs) attempt += 1;
  return attempt;
}

describe('PodWatch over a link that breaks', () => {
  let kube: KubeTestServer;
  let relay: LinkRelay;
  const watches: PodWatch[] = [];

  /** The table a subscriber holds, applied batch by batch as the renderer does. */
  const watchThroughRelay = (deployment: string, options: { idleCheckMs?: number } = {}) => {
    const watch = new PodWatch({ kubeConfig: kubeConfigFor(kube, 'developer', `https://127.0.0.1:${relay.port}`), service: { namespace: 'default', deployment }, ...options });
    watches.push(watch);
    const table = watchedTable(watch);
    watch.start();
    return { watch, ...table };
  };
  const truth = (deployment: string): string[] => podTruth(kube, deployment);
  const matches = (rows: Map<string, string>, deployment: string): boolean => matchesTruth(kube, rows, deployment);
  const running = (deployment: string) => runningPods(kube, deployment);
  /** Rolls the Deployment to a new image: every pod is replaced by one with a new uid. */
  const replaceAllPods = async (deployment: string, image: string, replicas: number): Promise<void> => {
    const before = new Set(truth(deployment));
    kube.applyDeployment({ name: deployment, replicas, image });
    await kube.waitFor(() => kube.podsOf('default', deployment).length === replicas && running(deployment).length === replicas && truth(deployment).every((uid) => !before.has(uid)), 20_000, `${deployment} rolled to ${image}`);
  };

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20, bookmarkIntervalMs: 500 } });
    relay = await LinkRelay.start({ port: Number(new URL(kube.url).port) });
    for (const name of ['shop', 'cart', 'auth']) kube.applyDeployment({ name, replicas: 3, image: `${name}:1` });
    await kube.waitFor(() => ['shop', 'cart', 'auth'].every((name) => running(name).length === 3), 15_000, 'deployments running');
  });

  afterEach(async () => {
    relay.resume();
    await Promise.all(watches.splice(0).map((watch) => watch.stop()));
  });

  afterAll(async () => {
    await relay?.close();
    await kube?.close();
  });

  it('an API server restart that replaced every pod leaves no stale row', async () => {
    const { watch, rows } = watchThroughRelay('shop');
    await kube.waitFor(() => matches(rows, 'shop') && watch.state().kind === 'live', 15_000, 'live');
    const dead = [...rows.keys()];
    await kube.restart({ whileDown: () => replaceAllPods('shop', 'shop:2', 3) });
    await kube.waitFor(() => matches(rows, 'shop'), healWaitMs, 'rows equal the server after the restart');
    expect(dead.some((uid) => rows.has(uid))).toBe(false);
    expect([...rows.values()]).toEqual(['Running', 'Running', 'Running']);
    await kube.waitFor(() => watch.state().kind === 'live', healWaitMs, 'live again');
  });

  it.each([
    { change: 'scaled down', apply: () => kube.applyDeployment({ name: 'cart', replicas: 1, image: 'cart:1' }), settled: () => kube.podsOf('default', 'cart').length === 1 },
    { change: 'rolled out', apply: () => replaceAllPods('cart', 'cart:3', 2), settled: () => running('cart').length === 2 && kube.podsOf('default', 'cart').length === 2 },
  ])('a frozen link shows as silent, and the rows are true again after its return ($change meanwhile)', async ({ apply, settled }) => {
    const { watch, rows, states } = watchThroughRelay('cart');
    await kube.waitFor(() => matches(rows, 'cart') && watch.state().kind === 'live', 15_000, 'live');
    relay.freeze();
    const silent = await kube.waitFor(() => states.find((state) => state.kind === 'reconnecting'), silentWaitMs, 'the silent link shown');
    expect(silent.kind === 'reconnecting' && silent.reason).toMatch(/^No answer from the API server for \d+ s: the link is silent$/);
    await apply();
    await kube.waitFor(settled, 20_000, 'the change settled on the server');
    expect(matches(rows, 'cart')).toBe(false);
    relay.resume();
    await kube.waitFor(() => matches(rows, 'cart') && watch.state().kind === 'live', healWaitMs, 'rows equal the server after the link returned');
  });

  it('after a long outage the rows come back without user action, and no retry is scheduled beyond the 10 s cap', async () => {
    const { watch, rows, states } = watchThroughRelay('auth');
    await kube.waitFor(() => matches(rows, 'auth') && watch.state().kind === 'live', 15_000, 'live');
    relay.down();
    // Long enough for the backoff to reach its cap: without the probe the rows would wait that long again.
    // Counted in attempts, not read off a delay: a delay at the cap is drawn anywhere in 8–10 s (its jitter).
    await kube
      .waitFor(() => states.some((state) => state.kind === 'reconnecting' && state.attempt >= firstAttemptAtCap(defaultBackoff)), healWaitMs, 'backoff at its cap')
      .catch((error: unknown) => {
        throw new Error(`${String(error)}; states: ${JSON.stringify(states.slice(-6))}`);
      });
    await replaceAllPods('auth', 'auth:2', 2);
    relay.resume();
    await kube.waitFor(() => matches(rows, 'auth') && watch.state().kind === 'live', healWaitMs, 'rows equal the server after the link returned');
    const longest = Math.max(...states.map((state) => (state.kind === 'reconnecting' ? state.retryInMs : 0)));
    expect(longest).toBeLessThanOrEqual(12_000); // 10 s and its jitter
  });

  it('Retry skips a long wait and lists at once (a Deployment that appeared meanwhile)', async () => {
    const watch = new PodWatch({ kubeConfig: kubeConfigFor(kube, 'developer'), service: { namespace: 'default', deployment: 'late' }, backoff: { initialMs: 60_000, maxMs: 60_000, jitter: 0 } });
    watches.push(watch);
    const rows = new Map<string, string>();
    watch.subscribe({ onChanges: (changes) => changes.upserted.forEach((row) => rows.set(row.uid, row.name)) });
    watch.start();
    await kube.waitFor(() => watch.state().kind === 'failed', 30_000, 'failed: no such Deployment');
    kube.applyDeployment({ name: 'late', replicas: 2, image: 'late:1' });
    await kube.waitFor(() => kube.podsOf('default', 'late').length === 2, 30_000, 'late pods created');
    watch.retryNow();
    await kube.waitFor(() => truth('late').every((uid) => rows.has(uid)) && watch.state().kind === 'live', 30_000, 'listed after Retry, long before the 60 s backoff');
  });

  it('an API request on a frozen link ends at its deadline instead of hanging', async () => {
    const kubeConfig = new DeadlineKubeConfig(2_000);
    kubeConfig.loadFromString(kube.kubeconfigYaml('developer').replace(kube.url, `https://127.0.0.1:${relay.port}`));
    const core = kubeConfig.makeApiClient(CoreV1Api);
    expect((await core.listNamespacedPod({ namespace: 'default' })).items.length).toBeGreaterThan(0);
    relay.freeze();
    await expect(kubeRequest(doing('listPodsOf', { target: 'default' }), () => core.listNamespacedPod({ namespace: 'default' }))).rejects.toMatchObject({ code: 'TIMEOUT', message: 'The API server did not answer in time while listing the pods of default.' });
  });
});
