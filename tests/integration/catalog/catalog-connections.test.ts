// Service Management reads every picked namespace of every cluster each time it opens. Those
// reads go over connections kept open per environment, as kubectl keeps its one connection: the
// test API server counts the TLS connections it accepted and tags each request with the one it
// came over. Broken links (a restart, a connection a NAT dropped silently, a frozen link) must
// still heal by themselves, and two environments must never share a connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogListing } from '../../../shared/contract/catalog.ts';
import { requestSockets } from '../../../electron/main/connections/api-server-pool.ts';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { LinkRelay } from '../../support/link-relay.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { startCatalogCore, type CatalogCore } from './support.ts';

useTestEnvironment('keyring');

const namespaces = Array.from({ length: 20 }, (_, index) => `team-${String(index).padStart(2, '0')}`);
const deploymentsPerNamespace = 10;

describe('Service Management over kept-open connections', () => {
  let kube: KubeTestServer;
  let relay: LinkRelay;
  let app: CatalogCore;
  const ids = { admin: '', viewer: '' };

  /** Opens Service Management: the catalogue of both clusters, as the page asks for it. */
  const openServiceManagement = (): Promise<CatalogListing> => app.client.call('catalog.list', {});
  const rowsOf = (listing: CatalogListing, environmentId: string) => listing.services.filter((row) => row.environmentId === environmentId);
  const stateOf = (listing: CatalogListing, environmentId: string) => listing.environments.find((state) => state.environmentId === environmentId);
  const deploymentLists = () => kube.auditEvents().filter((event) => event.verb === 'list' && event.resource === 'deployments');

  beforeAll(async () => {
    kube = await startKubeTestServer({ nodes: 1 });
    for (const namespace of namespaces) {
      kube.addNamespace(namespace);
      for (let index = 0; index < deploymentsPerNamespace; index++) kube.applyDeployment({ name: `svc-${index}`, namespace, replicas: 0, image: 'shop:1' });
    }
    relay = await LinkRelay.start({ port: Number(new URL(kube.url).port) });
    app = await startCatalogCore();
    // Two environments on one cluster: the admin's client certificate (over a link the test
    // breaks) and the viewer's bearer token (direct).
    const admin = await app.client.call('environments.addKubernetes', {
      source: { kind: 'text', text: kube.kubeconfigYaml('admin').replace(kube.url, `https://127.0.0.1:${relay.port}`) },
      contexts: [kube.contextName('admin')],
      name: 'prod as admin',
    });
    const viewer = await app.client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('viewer') }, contexts: [kube.contextName('viewer')], name: 'prod as viewer' });
    ids.admin = admin.environments[0]!.id;
    ids.viewer = viewer.environments[0]!.id;
    for (const id of Object.values(ids)) await app.client.call('catalog.setNamespaces', { environmentId: id, namespaces });
  });
  afterAll(async () => {
    await app?.close();
    await relay?.close();
    await kube?.close();
  });

  it('opened twice, reads 20 namespaces per cluster over a few connections, and the second time over none new', async () => {
    const requestsBefore = deploymentLists().length;
    const before = kube.tlsConnections();
    const first = await openServiceManagement();
    const afterFirst = kube.tlsConnections();
    const second = await openServiceManagement();
    for (const listing of [first, second]) {
      for (const id of Object.values(ids)) {
        expect(stateOf(listing, id)).toMatchObject({ state: 'ok' });
        expect(rowsOf(listing, id)).toHaveLength(namespaces.length * deploymentsPerNamespace);
      }
    }
    expect(deploymentLists().length - requestsBefore).toBe(2 * 2 * namespaces.length);
    // 80 reads; one new connection each before (client-node opens a pool per request)
    expect(kube.tlsConnections() - before).toBeLessThanOrEqual(2 * requestSockets);
    expect(kube.tlsConnections() - afterFirst).toBe(0);
  });

  it('never lets two environments with different credentials share a connection', () => {
    const usersByConnection = new Map<number, Set<string>>();
    for (const event of kube.auditEvents()) {
      const users = usersByConnection.get(event.connection) ?? new Set<string>();
      users.add(event.user);
      usersByConnection.set(event.connection, users);
    }
    const allUsers = new Set([...usersByConnection.values()].flatMap((users) => [...users]));
    expect([...allUsers].sort()).toEqual(['admin', 'viewer']);
    const shared = [...usersByConnection].filter(([, users]) => users.size > 1).map(([connection, users]) => `#${connection}: ${[...users].join(', ')}`);
    expect(shared).toEqual([]);
  });

  it('heals an API server restart on the next opening, without an error shown', async () => {
    await openServiceManagement();
    await kube.restart();
    const listing = await openServiceManagement();
    for (const id of Object.values(ids)) {
      expect(stateOf(listing, id)).toMatchObject({ state: 'ok' });
      expect(rowsOf(listing, id).filter((row) => row.stale)).toEqual([]);
      expect(rowsOf(listing, id)).toHaveLength(namespaces.length * deploymentsPerNamespace);
    }
  });

  it('replaces connections a NAT dropped silently when they are next used, without an error shown', async () => {
    await openServiceManagement();
    // every kept connection of the admin environment is reset on its first use from now on
    relay.forget();
    const before = kube.tlsConnections();
    const listing = await openServiceManagement();
    expect(stateOf(listing, ids.admin)).toMatchObject({ state: 'ok' });
    expect(rowsOf(listing, ids.admin)).toHaveLength(namespaces.length * deploymentsPerNamespace);
    expect(kube.tlsConnections()).toBeGreaterThan(before);
  });

  it('ends a read on a frozen link at its deadline, and after the link returns never uses a connection from before', async () => {
    // many kept connections; then one namespace, so the frozen read uses one and the rest sit idle, frozen too
    await openServiceManagement();
    await app.client.call('catalog.setNamespaces', { environmentId: ids.admin, namespaces: [namespaces[0]!] });
    relay.freeze();
    const during = await openServiceManagement();
    expect(stateOf(during, ids.admin)).toMatchObject({ state: 'error', error: { code: 'TIMEOUT' } });
    expect(stateOf(during, ids.viewer)).toMatchObject({ state: 'ok' });
    const lastBeforeReturn = kube.tlsConnections();
    relay.resume();
    await app.client.call('catalog.setNamespaces', { environmentId: ids.admin, namespaces });
    const requestsBefore = kube.auditEvents().length;
    const after = await openServiceManagement();
    expect(stateOf(after, ids.admin)).toMatchObject({ state: 'ok' });
    expect(rowsOf(after, ids.admin).filter((row) => row.stale)).toEqual([]);
    // the idle connections were frozen as well: they went at the deadline, none serves a read now
    const adminReads = kube.auditEvents().slice(requestsBefore).filter((event) => event.user === 'admin');
    expect(adminReads).toHaveLength(namespaces.length);
    expect(adminReads.filter((event) => event.connection <= lastBeforeReturn)).toEqual([]);
  });

  it('opens new connections for an environment once it is edited', async () => {
    await openServiceManagement();
    const before = kube.tlsConnections();
    await app.client.call('environments.update', { id: ids.admin, name: 'prod as admin (renamed)' });
    const listing = await openServiceManagement();
    expect(stateOf(listing, ids.admin)).toMatchObject({ state: 'ok', environmentName: 'prod as admin (renamed)' });
    expect(kube.tlsConnections()).toBeGreaterThan(before);
  });
});
