// An app restart while a target is down: the services known before stay listed (stale) with
// their environment's error, the Operations Modal still opens, and the listing is true again
// after the target's return without the operator doing anything (how soon: bench/link-heal.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { podTableOf, Recorded, waitUntil } from '../operations/tabs-support.ts';
import { healWaitMs, LinkRelay } from '../../support/link-relay.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { compose, EngineContainers, startCatalogCore, type CatalogCore } from './support.ts';

const env = useTestEnvironment('keyring', 'docker', 'podman');

describe('catalogue across an app restart while environments are unreachable', () => {
  let kube: KubeTestServer;
  let app: CatalogCore;
  const relays: LinkRelay[] = [];
  const engines: EngineContainers[] = [];
  const ids: Record<'kube' | 'docker' | 'podman', string> = { kube: '', docker: '', podman: '' };
  const project = `stale${Date.now().toString(36)}`;
  const folder = mkdtempSync(join(tmpdir(), 'kiops-stale-'));

  beforeAll(async () => {
    kube = await startKubeTestServer({ nodes: 1 });
    kube.applyDeployment({ name: 'checkout', replicas: 1, image: 'nginx:1.27' });
    kube.applyDeployment({ name: 'cart', replicas: 2, image: 'cart:1' });
    const kubeRelay = await LinkRelay.start({ port: Number(new URL(kube.url).port) });
    relays.push(kubeRelay);
    app = await startCatalogCore();
    const added = await app.client.call('environments.addKubernetes', {
      source: { kind: 'text', text: kube.kubeconfigYaml('developer', 'default').replace(kube.url, `https://127.0.0.1:${kubeRelay.port}`) },
      contexts: [kube.contextName('developer')],
      name: 'flaky cluster',
    });
    ids.kube = added.environments[0]!.id;
    for (const kind of ['docker', 'podman'] as const) {
      const socketPath = join(folder, `${kind}-relay.sock`);
      relays.push(await LinkRelay.start({ path: env[kind].socketPath }, { path: socketPath }));
      ids[kind] = (await app.client.call('environments.addEngine', { name: `flaky ${kind}`, engine: kind, socketPath })).id;
      const containers = new EngineContainers(env[kind].socketPath, env[kind].images.version1.reference);
      engines.push(containers);
      await containers.run(`${project}-web-1`, compose(project, 'web'));
    }
  });
  afterAll(async () => {
    for (const containers of engines) await containers.removeAll();
    for (const relay of relays) await relay.close();
    await app?.close();
    await kube?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const serviceIds = {
    kube: () => `${ids.kube}:deployment:default/checkout`,
    docker: () => `${ids.docker}:compose:${project}`,
    podman: () => `${ids.podman}:compose:${project}`,
  };

  it('keeps the known services listed and marked stale, opens their modal, and lists them fresh after the return', async () => {
    const before = await app.client.call('catalog.list', {});
    for (const id of Object.values(serviceIds)) expect(before.services.find((row) => row.id === id())).toMatchObject({ status: { health: 'healthy' } });
    expect(before.services.some((row) => row.stale)).toBe(false);

    for (const relay of relays) relay.down();
    app = await app.restart();
    const during = await app.client.call('catalog.list', {});
    for (const [kind, id] of Object.entries(serviceIds)) {
      expect(during.services.find((row) => row.id === id()), kind).toMatchObject({ stale: true, status: { health: 'healthy' } });
      const state = during.environments.find((candidate) => candidate.environmentId === ids[kind as keyof typeof ids]);
      expect(state, kind).toMatchObject({ state: 'error', lastSeenAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
      // The modal's frame is built from the catalogue alone, so it opens while the target is down.
      expect((await app.client.call('operations.describe', { serviceId: id() })).tabs.length, kind).toBeGreaterThan(0);
    }

    // Meanwhile the services changed: the fresh listing must show that, not the cache.
    kube.applyDeployment({ name: 'checkout', replicas: 0, image: 'nginx:1.27' });
    for (const relay of relays) relay.resume();
    const deadline = Date.now() + healWaitMs;
    let fresh = during;
    while (Date.now() < deadline) {
      fresh = await app.client.call('catalog.list', {});
      if (fresh.environments.every((state) => state.state === 'ok')) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(fresh.environments.map((state) => state.state)).toEqual(['ok', 'ok', 'ok']);
    expect(fresh.services.some((row) => row.stale)).toBe(false);
    expect(fresh.services.find((row) => row.id === serviceIds.kube())).toMatchObject({ status: { health: 'scaled-to-zero' } });
  });

  it('a Pod List opened while its cluster is down waits, says so, and shows the true pods after the return', async () => {
    const cart = `${ids.kube}:deployment:default/cart`;
    await app.client.call('catalog.list', {});
    relays[0]?.down();
    app = await app.restart();
    const watch = new Recorded(app.client, 'pods.watch', { serviceId: cart });
    try {
      await waitUntil(() => watch.events.some((event) => event.kind === 'state' && event.state.kind === 'reconnecting'), 15_000, 'reconnecting shown');
      expect(watch.ended).toBeNull();
      const before = new Set(kube.podsOf('default', 'cart').map((pod) => pod.metadata.uid));
      kube.applyDeployment({ name: 'cart', replicas: 2, image: 'cart:2' });
      await kube.waitFor(() => kube.podsOf('default', 'cart').length === 2 && kube.podsOf('default', 'cart').every((pod) => !before.has(pod.metadata.uid)), 20_000, 'cart rolled');
      relays[0]?.resume();
      const truth = () => JSON.stringify(kube.podsOf('default', 'cart').map((pod) => pod.metadata.uid).sort());
      await waitUntil(() => JSON.stringify([...podTableOf(watch.events).keys()].sort()) === truth(), healWaitMs, 'the true pods after the return');
    } finally {
      watch.cancel();
    }
  });

  it('a Container List opened while its engine is down waits, says so, and shows the true rows after the return', async () => {
    const docker = `${ids.docker}:compose:${project}`;
    await app.client.call('catalog.list', {});
    relays[1]?.down();
    app = await app.restart();
    const list = new Recorded(app.client, 'containers.watch', { serviceId: docker, sessionId: 'links-test-session' });
    try {
      await waitUntil(() => list.events.some((event) => event.kind === 'events' && event.state === 'reconnecting'), 15_000, 'reconnecting shown');
      expect(list.ended).toBeNull();
      await engines[0]?.docker.getContainer(`${project}-web-1`).stop({ t: 0 });
      relays[1]?.resume();
      const rows = () => list.events.findLast((event) => event.kind === 'rows');
      await waitUntil(() => {
        const last = rows();
        return last?.kind === 'rows' && last.rows.length === 1 && last.rows[0]?.state === 'exited';
      }, healWaitMs, 'the true rows after the return');
    } finally {
      list.cancel();
    }
  });
});

