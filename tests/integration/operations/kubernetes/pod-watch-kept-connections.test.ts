// The Pod List over an environment's kept-open API server connections (connections/README.md),
// as the app builds its clients: watches hold sockets of their own, so any number of open Pod
// Lists leaves the lists and actions their sockets; and a restart or a frozen link still heals
// without user action. How soon is bench/link-heal.ts's; the waits here are ten times the design.
import { AppsV1Api } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiServerConnections } from '../../../../electron/main/connections/api-server-connections.ts';
import { requestSockets } from '../../../../electron/main/connections/api-server-pool.ts';
import { DeadlineKubeConfig } from '../../../../electron/main/connections/request-deadlines.ts';
import { PodWatch } from '../../../../electron/main/operations/kubernetes/pod-watch.ts';
import { startKubeTestServer, type KubeTestServer } from '../../../kube-server/index.ts';
import { healWaitMs, LinkRelay, silentWaitMs } from '../../../support/link-relay.ts';
import { matchesTruth, runningPods, watchedTable } from './kube-fixture.ts';

describe('PodWatch over kept-open connections', () => {
  let kube: KubeTestServer;
  let relay: LinkRelay;
  let connections: ApiServerConnections;
  const watches: PodWatch[] = [];
  const deployments = ['shop', 'cart', 'auth'];

  /** A client of the "prod" environment, built as RuntimeAccess builds one: each call a new KubeConfig, one shared pool. */
  const prodClient = (): DeadlineKubeConfig => {
    const kubeConfig = new DeadlineKubeConfig(undefined, { connections: connections.of('prod') });
    kubeConfig.loadFromString(kube.kubeconfigYaml('developer').replace(kube.url, `https://127.0.0.1:${relay.port}`));
    return kubeConfig;
  };
  const open = (deployment: string) => {
    const watch = new PodWatch({ kubeConfig: prodClient(), service: { namespace: 'default', deployment } });
    watches.push(watch);
    const table = watchedTable(watch);
    watch.start();
    return { watch, ...table };
  };
  const matches = (rows: Map<string, string>, deployment: string): boolean => matchesTruth(kube, rows, deployment);
  const running = (deployment: string) => runningPods(kube, deployment);

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20, bookmarkIntervalMs: 500 } });
    relay = await LinkRelay.start({ port: Number(new URL(kube.url).port) });
    for (const name of deployments) kube.applyDeployment({ name, replicas: 2, image: `${name}:1` });
    await kube.waitFor(() => deployments.every((name) => running(name).length === 2), 30_000, 'deployments running');
  });
  afterEach(async () => {
    relay.resume();
    await Promise.all(watches.splice(0).map((watch) => watch.stop()));
    await connections.close();
  });
  afterAll(async () => {
    await relay?.close();
    await kube?.close();
  });

  it('with more Pod Lists open than request sockets, a list and a scale go through, never on a watch’s connection', async () => {
    connections = new ApiServerConnections();
    const start = kube.auditEvents().length;
    const podLists = Array.from({ length: requestSockets + 4 }, (_, index) => ({ deployment: deployments[index % deployments.length]!, ...open(deployments[index % deployments.length]!) }));
    await kube.waitFor(() => kube.openWatches() >= podLists.length && podLists.every(({ watch }) => watch.state().kind === 'live'), healWaitMs, 'every Pod List live');
    const asked = kube.auditEvents().length;
    const apps = prodClient().makeApiClient(AppsV1Api);
    const listed = await apps.listNamespacedDeployment({ namespace: 'default' });
    expect(listed.items.map((item) => item.metadata?.name).sort()).toEqual([...deployments].sort());
    const scale = await apps.readNamespacedDeploymentScale({ name: 'auth', namespace: 'default' });
    await apps.replaceNamespacedDeploymentScale({ name: 'auth', namespace: 'default', body: { ...scale, spec: { replicas: 3 } } });
    const auth = podLists.find((podList) => podList.deployment === 'auth')!;
    await kube.waitFor(() => auth.rows.size === 3 && matches(auth.rows, 'auth'), healWaitMs, 'the scale seen in an open Pod List');
    const actions = kube.auditEvents().slice(asked).filter((event) => event.resource === 'deployments' && (event.verb === 'list' || event.subresource === 'scale'));
    expect(actions.map((event) => `${event.verb} ${event.subresource}`)).toEqual(['list ', 'get scale', 'update scale']);
    // Watches run on connections of their own: none of theirs ever served a list, a read or a
    // change, so however many are open, those never wait for a watch to end.
    const verbsByConnection = new Map<number, Set<string>>();
    for (const event of kube.auditEvents().slice(start)) verbsByConnection.set(event.connection, (verbsByConnection.get(event.connection) ?? new Set()).add(event.verb));
    const mixed = [...verbsByConnection].filter(([, verbs]) => verbs.has('watch') && verbs.size > 1).map(([connection, verbs]) => `#${connection}: ${[...verbs].join(', ')}`);
    expect(mixed).toEqual([]);
  });

  it('after an API server restart, the rows equal the server again', async () => {
    connections = new ApiServerConnections();
    const { watch, rows } = open('shop');
    await kube.waitFor(() => matches(rows, 'shop') && watch.state().kind === 'live', 30_000, 'live');
    await kube.restart({
      whileDown: () => {
        kube.applyDeployment({ name: 'shop', replicas: 1, image: 'shop:1' });
      },
    });
    await kube.waitFor(() => matches(rows, 'shop') && rows.size === 1, healWaitMs, 'rows equal the server after the restart');
    await kube.waitFor(() => watch.state().kind === 'live', healWaitMs, 'live again');
  });

  it('a frozen link shows as silent, and the rows are true again after its return', async () => {
    connections = new ApiServerConnections();
    const { watch, rows, states } = open('cart');
    await kube.waitFor(() => matches(rows, 'cart') && watch.state().kind === 'live', 30_000, 'live');
    relay.freeze();
    const silent = await kube.waitFor(() => states.find((state) => state.kind === 'reconnecting'), silentWaitMs, 'the silent link shown');
    expect(silent.kind === 'reconnecting' && silent.reason).toMatch(/^No answer from the API server for \d+ s: the link is silent$/);
    kube.applyDeployment({ name: 'cart', replicas: 1, image: 'cart:1' });
    await kube.waitFor(() => kube.podsOf('default', 'cart').length === 1, 30_000, 'scaled down on the server');
    relay.resume();
    await kube.waitFor(() => matches(rows, 'cart') && watch.state().kind === 'live', healWaitMs, 'rows equal the server after the link returned');
  });
});
