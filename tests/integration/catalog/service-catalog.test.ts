import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { compose, EngineContainers, startCatalogCore, unreachableKubeconfig, type CatalogCore } from './support.ts';

const env = useTestEnvironment('keyring', 'docker', 'podman');

describe('service catalogue and Operations Modal frame through the contract', () => {
  let kube: KubeTestServer;
  let app: CatalogCore;
  const engines: EngineContainers[] = [];
  const ids = { kube: '', docker: '', podman: '', broken: '' };
  const project = `shop${Date.now().toString(36)}`;

  beforeAll(async () => {
    kube = await startKubeTestServer({ nodes: 1 });
    kube.addNamespace('dev');
    kube.applyDeployment({ name: 'web', replicas: 2, image: 'nginx:1.27' });
    kube.applyDeployment({ name: 'api', namespace: 'dev', replicas: 1, image: 'nginx:1.27' });
    kube.applyDeployment({ name: 'idle', replicas: 0, image: 'nginx:1.27' });
    await kube.waitFor(() => kube.podsOf('default', 'web').length === 2);
    app = await startCatalogCore();
    const added = await app.client.call('environments.addKubernetes', {
      source: { kind: 'text', text: kube.kubeconfigYaml('developer', 'default') },
      contexts: [kube.contextName('developer')],
      name: 'dev cluster',
    });
    ids.kube = added.environments[0]!.id;
    for (const kind of ['docker', 'podman'] as const) {
      const engine = await app.client.call('environments.addEngine', { name: `local ${kind}`, engine: kind, socketPath: env[kind].socketPath });
      ids[kind] = engine.id;
      const containers = new EngineContainers(env[kind].socketPath, env[kind].images.version1.reference);
      engines.push(containers);
      await containers.run(`${project}-web-1`, compose(project, 'web'));
      await containers.run(`${project}-db-1`, compose(project, 'db'), false);
      await containers.run(`${project}-lone`);
    }
  });
  afterAll(async () => {
    for (const containers of engines) await containers.removeAll();
    await app?.close();
    await kube?.close();
  });

  it('lists Deployments of the environment namespace with replica health, and Compose projects and lone containers per engine', async () => {
    await kube.waitFor(() => kube.podsOf('default', 'web').every((pod) => pod.status?.containerStatuses?.[0]?.ready === true), 30_000, 'web ready');
    const listing = await app.client.call('catalog.list', {});
    expect(listing.environments.map((state) => [state.environmentName, state.state])).toEqual([
      ['dev cluster', 'ok'],
      ['local docker', 'ok'],
      ['local podman', 'ok'],
    ]);
    expect(listing.environments[0]?.namespaces).toEqual(['default']);
    const kubeRows = listing.services.filter((row) => row.environmentId === ids.kube);
    expect(kubeRows.map((row) => [row.name, row.namespace, row.status.health, row.status.ready, row.status.desired])).toEqual([
      ['idle', 'default', 'scaled-to-zero', 0, 0],
      ['web', 'default', 'healthy', 2, 2],
    ]);
    expect(kubeRows[1]).toMatchObject({ id: `${ids.kube}:deployment:default/web`, runtime: 'kubernetes', source: 'discovered', favourite: false });
    for (const kind of ['docker', 'podman'] as const) {
      const rows = listing.services.filter((row) => row.environmentId === ids[kind] && row.name.startsWith(project));
      expect(rows.map((row) => [row.name, row.runtime, row.target.kind, row.status.health, row.status.ready, row.status.desired])).toEqual([
        [project, kind, 'compose', 'degraded', 1, 2],
        [`${project}-lone`, kind, 'containers', 'healthy', 1, 1],
      ]);
      expect(rows[0]?.id).toBe(`${ids[kind]}:compose:${project}`);
    }
  });

  it('searches the namespaces the user picks, and keeps the choice', async () => {
    const choices = await app.client.call('catalog.namespaces', { environmentId: ids.kube });
    expect(choices.selected).toEqual(['default']);
    expect(choices.available).toEqual(expect.arrayContaining(['default', 'dev']));
    await app.client.call('catalog.setNamespaces', { environmentId: ids.kube, namespaces: ['dev', 'default'] });
    const listing = await app.client.call('catalog.list', { environmentIds: [ids.kube] });
    expect(listing.environments).toHaveLength(1);
    expect(listing.environments[0]?.namespaces).toEqual(['default', 'dev']);
    expect(listing.services.map((row) => `${row.namespace}/${row.name}`)).toEqual(['dev/api', 'default/idle', 'default/web']);
    await expect(app.client.call('catalog.setNamespaces', { environmentId: ids.docker, namespaces: ['x'] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('registers a service by hand (audited), shows a missing target as not found, and removes it', async () => {
    const { id } = await app.client.call('catalog.register', { name: 'payments', environmentId: ids.kube, target: { kind: 'deployment', namespace: 'default', deployment: 'payments' } });
    let row = (await app.client.call('catalog.list', {})).services.find((candidate) => candidate.id === id);
    expect(row).toMatchObject({ name: 'payments', source: 'manual', status: { health: 'not-found' } });
    kube.applyDeployment({ name: 'payments', replicas: 1, image: 'nginx:1.27' });
    await kube.waitFor(() => kube.podsOf('default', 'payments').some((pod) => pod.status?.containerStatuses?.[0]?.ready === true), 30_000, 'payments ready');
    row = (await app.client.call('catalog.list', {})).services.find((candidate) => candidate.id === id);
    expect(row?.status).toEqual({ health: 'healthy', ready: 1, desired: 1 });
    await expect(app.client.call('catalog.register', { name: 'x', environmentId: ids.docker, target: { kind: 'deployment', namespace: 'default', deployment: 'x' } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await app.client.call('catalog.unregister', { serviceId: id });
    expect((await app.client.call('catalog.list', {})).services.some((candidate) => candidate.id === id)).toBe(false);
    const audit = await app.client.call('audit.list', {});
    expect(audit.rows.filter((entry) => entry.action.startsWith('service.') && entry.outcome !== 'started').map((entry) => [entry.action, entry.target, entry.outcome])).toEqual([
      ['service.unregister', 'payments', 'success'],
      ['service.register', 'payments', 'success'],
    ]);
  });

  it('describes the Operations Modal: 7 tabs for a Kubernetes service and 6 for Docker/Podman with full permissions', async () => {
    const kubeFrame = await app.client.call('operations.describe', { serviceId: `${ids.kube}:deployment:default/web` });
    expect(kubeFrame.tabs.map((tab) => tab.id)).toEqual(['overview', 'pods', 'deployment', 'config', 'logs', 'commands', 'domains']);
    expect(kubeFrame).toMatchObject({ runtime: 'kubernetes', service: { name: 'web', namespace: 'default' }, environment: { name: 'dev cluster', production: false }, hiddenTabs: [] });
    expect(kubeFrame.permissions).toMatchObject({ logs: true, commands: true, management: true, reasons: [] });
    for (const kind of ['docker', 'podman'] as const) {
      const frame = await app.client.call('operations.describe', { serviceId: `${ids[kind]}:compose:${project}` });
      expect(frame.runtime).toBe(kind);
      expect(frame.tabs.map((tab) => tab.id)).toEqual(['overview', 'containers', 'deployment', 'logs', 'commands', 'domains']);
    }
    await app.core.operationsFrame.requirePermission(`${ids.docker}:compose:${project}`, 'commands');
  });

  it('hides tabs a production environment does not allow, with the request-permission reason, and main refuses the same', async () => {
    await app.client.call('environments.update', { id: ids.docker, production: true });
    const frame = await app.client.call('operations.describe', { serviceId: `${ids.docker}:compose:${project}` });
    expect(frame.tabs.map((tab) => tab.id)).toEqual(['overview', 'containers', 'deployment', 'logs', 'domains']);
    expect(frame.hiddenTabs).toEqual([{ id: 'commands', requires: 'commands', reason: expect.stringContaining('Request permission from your organization manager.'), reasonText: expect.objectContaining({ key: 'withheld.noticeWith' }) }]);
    expect(frame.tabs.find((tab) => tab.id === 'containers')?.actionsDisabledReason).toContain('organization manager');
    await expect(app.core.operationsFrame.requirePermission(`${ids.docker}:compose:${project}`, 'management')).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await app.client.call('environments.update', { id: ids.docker, production: false });
  });

  it('shows an unreachable cluster as an error state while the other environments still list', async () => {
    const added = await app.client.call('environments.addKubernetes', { source: { kind: 'text', text: unreachableKubeconfig('gone') }, contexts: ['gone'], name: 'gone cluster' });
    ids.broken = added.environments[0]!.id;
    const listing = await app.client.call('catalog.list', {});
    const broken = listing.environments.find((state) => state.environmentId === ids.broken);
    expect(broken).toMatchObject({ state: 'error', error: { code: expect.stringMatching(/UNREACHABLE|TIMEOUT/) } });
    expect(broken?.error?.message).toMatch(/gone cluster|127\.0\.0\.1:1/);
    expect(listing.environments.filter((state) => state.state === 'ok')).toHaveLength(3);
    expect(listing.services.some((row) => row.environmentId === ids.kube)).toBe(true);
    expect(listing.services.some((row) => row.environmentId === ids.docker)).toBe(true);
    await app.client.call('environments.remove', { id: ids.broken });
  });

  it('keeps favourites across a restart of the core and pins them on top', async () => {
    const lone = `${ids.podman}:container:${project}-lone`;
    await app.client.call('catalog.setFavourite', { serviceId: lone, favourite: true });
    app = await app.restart();
    const listing = await app.client.call('catalog.list', {});
    expect(listing.services[0]).toMatchObject({ id: lone, favourite: true });
    expect(listing.services.filter((row) => row.favourite)).toHaveLength(1);
    await expect(app.client.call('catalog.setFavourite', { serviceId: 'not-an-id', favourite: true })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
