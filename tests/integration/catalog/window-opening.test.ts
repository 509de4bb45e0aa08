// Every window opens on Service Management. Main reads the list as soon as a window is opening
// (Electron created it, or a browser-mode tab connected with the token), while the window still
// loads its code, and answers the window's first list with that read. The test API server's
// audit shows which reads reached the cluster.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CatalogListing } from '../../../shared/contract/catalog.ts';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { startBrowserServer, type BrowserServer } from '../../../electron/main/web/browser-server.ts';
import { openRawWebSocket } from '../../e2e/support/raw-connections.ts';
import { startCatalogCore, type CatalogCore } from './support.ts';

useTestEnvironment('keyring');

const namespaces = ['shop', 'billing'];
const perNamespace = 3;

function seed(kube: KubeTestServer): void {
  for (const namespace of namespaces) {
    kube.addNamespace(namespace);
    for (let index = 0; index < perNamespace; index++) kube.applyDeployment({ name: `svc-${index}`, namespace, replicas: 0, image: 'shop:1' });
  }
}

const deploymentLists = (kube: KubeTestServer) => kube.auditEvents().filter((event) => event.verb === 'list' && event.resource === 'deployments');

describe('a window opening reads its list while it loads', () => {
  let kube: KubeTestServer;
  let app: CatalogCore;
  let environmentId = '';
  const list = (): Promise<CatalogListing> => app.client.call('catalog.list', {});
  const listsNow = () => deploymentLists(kube).length;
  /** The opening read reached the cluster: one list per namespace since `before`. */
  const openingReadDone = (before: number) => vi.waitFor(() => expect(listsNow() - before).toBe(namespaces.length), { timeout: 30_000, interval: 20 });

  beforeAll(async () => {
    kube = await startKubeTestServer({ nodes: 1 });
    seed(kube);
    app = await startCatalogCore();
    const added = await app.client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('admin') }, contexts: [kube.contextName('admin')], name: 'shop cluster' });
    environmentId = added.environments[0]!.id;
    await app.client.call('catalog.setNamespaces', { environmentId, namespaces });
  });
  afterAll(async () => {
    await app?.close();
    await kube?.close();
  });

  it("answers the window's first list with the read started when it opened, and reads again for the next", async () => {
    const before = listsNow();
    app.core.windowOpening();
    await openingReadDone(before);
    const first = await list();
    expect(first.services.filter((row) => row.environmentId === environmentId)).toHaveLength(namespaces.length * perNamespace);
    expect(listsNow() - before).toBe(namespaces.length);
    await list();
    expect(listsNow() - before).toBe(2 * namespaces.length);
  });

  it('two windows opening at once share one read; the second window reads its own list', async () => {
    const before = listsNow();
    app.core.windowOpening();
    app.core.windowOpening();
    await openingReadDone(before);
    await list();
    expect(listsNow() - before).toBe(namespaces.length);
    await list();
    expect(listsNow() - before).toBe(2 * namespaces.length);
  });

  it('namespaces changed after the window opened: its first list reads them, not the opening read', async () => {
    const before = listsNow();
    app.core.windowOpening();
    await openingReadDone(before);
    await app.client.call('catalog.setNamespaces', { environmentId, namespaces: ['billing'] });
    const listing = await list();
    const rows = listing.services.filter((row) => row.environmentId === environmentId);
    expect(rows.map((row) => row.namespace)).toEqual(Array(perNamespace).fill('billing'));
    expect(deploymentLists(kube).slice(before + namespaces.length).map((event) => event.namespace)).toEqual(['billing']);
    await app.client.call('catalog.setNamespaces', { environmentId, namespaces });
  });

  it('a favourite set after the window opened is on top of its first list', async () => {
    const before = listsNow();
    app.core.windowOpening();
    await openingReadDone(before);
    const last = [...(await app.client.call('catalog.list', { environmentIds: [environmentId] })).services].pop()!;
    await app.client.call('catalog.setFavourite', { serviceId: last.id, favourite: true });
    const listing = await list();
    expect(listing.services[0]).toMatchObject({ id: last.id, favourite: true });
    await app.client.call('catalog.setFavourite', { serviceId: last.id, favourite: false });
  });
});

describe('browser mode: a tab connecting with the token is a window opening', () => {
  let kube: KubeTestServer;
  let app: CatalogCore;
  let server: BrowserServer;
  let rendererRoot = '';

  beforeAll(async () => {
    kube = await startKubeTestServer({ nodes: 1 });
    seed(kube);
    app = await startCatalogCore();
    // only the WebSocket is used: no renderer files are served (and none are built)
    rendererRoot = mkdtempSync(join(tmpdir(), 'kiops-no-renderer-'));
    server = await startBrowserServer({ router: app.core.router, senderPolicy: app.core.senderPolicy, rendererRoot, port: 0, onWindowConnected: app.core.windowOpening });
    const added = await app.client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('admin') }, contexts: [kube.contextName('admin')], name: 'shop cluster' });
    await app.client.call('catalog.setNamespaces', { environmentId: added.environments[0]!.id, namespaces });
  });
  afterAll(async () => {
    await server?.close();
    await app?.close();
    await kube?.close();
    if (rendererRoot) rmSync(rendererRoot, { recursive: true, force: true });
  });

  it('reads the list before the tab asks for anything', async () => {
    const before = deploymentLists(kube).length;
    const refused = await openRawWebSocket(server.origin, { token: 'not-the-token', origin: server.origin });
    expect(refused.opened).toBe(false);
    const outcome = await openRawWebSocket(server.origin, { token: server.token, origin: server.origin });
    expect(outcome.opened).toBe(true);
    try {
      await vi.waitFor(() => expect(deploymentLists(kube).length - before).toBe(namespaces.length), { timeout: 30_000, interval: 20 });
    } finally {
      if (outcome.opened) outcome.socket.close();
    }
  });
});
