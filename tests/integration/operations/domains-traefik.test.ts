import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKiopsCore, type KiopsCore } from '../../../electron/main/composition.ts';
import { createMemoryTransport } from '../../../electron/main/ipc/memory-transport.ts';
import { createClient, type KiopsClient } from '../../../shared/contract/client.ts';
import { refusingUrl } from '../../support/refusing-address.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';

const env = useTestEnvironment('keyring', 'docker', 'podman');

// Issue 14 part 2 (Traefik): with no Caddy answering, a running Traefik container on the engine
// is found and domains become Docker-provider labels on the service's containers, written by
// recreating them through the redeploy path. No Traefik binary is needed for the label round
// trip: the stand-in is a test-image container carrying the OCI title the traefik image has.
describe.each(['docker', 'podman'] as const)('Domain Settings through Traefik labels (%s)', (kind) => {
  let core: KiopsCore;
  let client: KiopsClient;
  let docker: Docker;
  let deadCaddy = '';
  let environmentId = '';
  const dataDir = mkdtempSync(join(tmpdir(), 'kiops-traefik-'));
  const project = `trf${Date.now().toString(36)}${kind}`;
  const replicas = [`${project}-web-1`, `${project}-web-2`];
  const other = `${project}x-web-1`;
  const proxyName = `${project}-traefik`;
  const host = `shop-${kind}.example.test`;
  const serviceId = () => `${environmentId}:compose:${project}`;
  const labelsOf = async (name: string) => (await docker.getContainer(name).inspect()).Config.Labels ?? {};
  const newestAudit = async (action: string) => (await client.call('audit.list', { limit: 1, action })).rows[0];

  const create = async (name: string, labels: Record<string, string>, mountSource?: string) => {
    const container = await docker.createContainer({
      name,
      Image: env[kind].images.version1.reference,
      Cmd: ['sleep', '600'],
      ExposedPorts: { '8080/tcp': {} },
      Labels: labels,
      StopSignal: 'SIGKILL',
      // Podman drops exposed ports from a container without a network; Traefik needs one anyway.
      HostConfig: { ...(kind === 'docker' ? { NetworkMode: 'none' } : {}), ...(mountSource ? { Mounts: [{ Type: 'bind' as const, Source: mountSource, Target: '/data' }] } : {}) },
    });
    await container.start();
  };

  beforeAll(async () => {
    deadCaddy = refusingUrl;
    core = await createKiopsCore({ dataDir, shell: 'browser', version: 'test', keychainService: `kiops-traefik-${randomUUID()}`, probeTimeoutMs: 20_000, caddyAdminUrls: [deadCaddy], logger: { error: () => {}, warn: () => {} } });
    core.senderPolicy.allow((sender) => sender.origin === 'traefik-test');
    client = createClient(createMemoryTransport(core.router, { transport: 'memory', origin: 'traefik-test' }));
    environmentId = (await client.call('environments.addEngine', { name: `traefik ${kind}`, engine: kind, socketPath: env[kind].socketPath })).id;
    docker = new Docker({ socketPath: env[kind].socketPath });
    for (const [index, name] of replicas.entries()) {
      await create(name, {
        'com.docker.compose.project': project,
        'com.docker.compose.service': 'web',
        'com.docker.compose.container-number': String(index + 1),
        team: 'payments',
        'traefik.http.routers.legacy.rule': 'Host(`legacy.example.test`)',
      });
    }
    await create(other, { 'com.docker.compose.project': `${project}x`, 'com.docker.compose.service': 'web', 'traefik.http.routers.shop.rule': 'Host(`taken.example.test`)' });
  });
  afterAll(async () => {
    const mine = (await docker?.listContainers({ all: true }).catch(() => [])) ?? [];
    for (const container of mine.filter((row) => row.Names.some((name) => name.startsWith(`/${project}`)))) await docker.getContainer(container.Id).remove({ force: true }).catch(() => undefined);
    for (const key of (await core?.secrets.list('').catch(() => [])) ?? []) await core.secrets.delete(key).catch(() => false);
    await core?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('with neither Caddy nor Traefik, says what it looked for and how to set one up; then finds the Traefik container', async () => {
    const none = await client.call('engineDomains.list', { serviceId: serviceId() });
    expect(none).toMatchObject({ proxy: null, routes: [], lookedFor: [`Caddy admin API at ${deadCaddy}`, `a running Traefik container on this ${kind} engine`] });
    expect(none.help).toContain('run Traefik as a container with its Docker provider');
    await expect(client.call('engineDomains.add', { serviceId: serviceId(), host, port: 8080 })).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('No reverse proxy found') });

    await create(proxyName, { 'org.opencontainers.image.title': 'Traefik' });
    const view = await client.call('engineDomains.list', { serviceId: serviceId() });
    expect(view.proxy).toMatchObject({ kind: 'traefik', where: expect.stringContaining(`Traefik container "${proxyName}"`) });
    expect(view.upstreams).toEqual(replicas.map((name) => ({ container: name, port: 8080, dial: `${name}:8080` })));
    expect(view.routes).toEqual([{ host: 'legacy.example.test', path: '/', upstream: 'port chosen by Traefik', id: 'legacy', ownedByKiops: false }]);
  });

  it('adds a host + path as router labels on every container of the service, recreated and running; audited with the label change', async () => {
    const before = await Promise.all(replicas.map(async (name) => (await docker.getContainer(name).inspect()).Id));
    const preview = await client.call('changes.preview', { serviceId: serviceId(), change: { action: 'engineDomains.add', host, path: '/api', port: 8080 } });
    expect(preview).toMatchObject({ target: `${kind}/traefik/${host}/api`, method: 'recreate-plan', errors: [] });
    expect(preview.plans.map((plan) => plan.container)).toEqual(replicas);
    for (const name of replicas) {
      expect(preview.lines).toContainEqual({ path: expect.stringMatching(new RegExp(`^${name}: labels\\.traefik\\.http\\.routers\\.[a-z0-9-]+-1\\.rule$`)), change: 'added', before: null, after: `Host(\`${host}\`) && PathPrefix(\`/api\`)` });
    }
    expect(preview.lines.filter((line) => line.path.includes('legacy') || line.path.includes('team'))).toEqual([]);
    expect(await Promise.all(replicas.map(async (name) => (await docker.getContainer(name).inspect()).Id))).toEqual(before);
    const added = await client.call('engineDomains.add', { serviceId: serviceId(), host, path: '/api', port: 8080 });
    expect(added.upstream).toBe(`${replicas[0]}:8080`);
    const router = added.id;
    expect(router).toMatch(/-1$/);
    for (const [index, name] of replicas.entries()) {
      const info = await docker.getContainer(name).inspect();
      expect(info.Id).not.toBe(before[index]);
      expect(info.State.Running).toBe(true);
      expect(info.Config.Labels).toMatchObject({
        team: 'payments',
        'com.docker.compose.project': project,
        'traefik.enable': 'true',
        'traefik.http.routers.legacy.rule': 'Host(`legacy.example.test`)',
        [`traefik.http.routers.${router}.rule`]: `Host(\`${host}\`) && PathPrefix(\`/api\`)`,
        [`traefik.http.routers.${router}.entrypoints`]: 'websecure',
        [`traefik.http.routers.${router}.tls`]: 'true',
        [`traefik.http.services.${router}.loadbalancer.server.port`]: '8080',
      });
    }
    expect((await client.call('engineDomains.list', { serviceId: serviceId() })).routes).toContainEqual({ host, path: '/api', upstream: '8080 (TLS)', id: router, ownedByKiops: true });
    const row = await newestAudit('domain.add');
    expect(row).toMatchObject({ outcome: 'success', target: `domain/${host}/api`, details: { proxy: 'traefik', routeId: router, before: '(none)' } });
    expect(String(row?.details.after)).toContain(`traefik.http.routers.${router}.rule=Host(\`${host}\`) && PathPrefix(\`/api\`)`);
    // Only the labels that changed are recorded: the hand-written router is not among them.
    expect(String(row?.details.after)).not.toContain('legacy');
    expect(String(row?.details.diff)).toContain(`${replicas[0]}: labels.traefik.http.routers.${router}.rule + Host(\`${host}\`) && PathPrefix(\`/api\`)`);
  });

  it('refuses a host another container routes (naming it), a port no container exposes, and malformed hosts', async () => {
    await expect(client.call('engineDomains.add', { serviceId: serviceId(), host: 'taken.example.test', port: 8080 })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `taken.example.test is already routed by Traefik router "shop" on container "${other}"; remove that route first.`,
    });
    expect(await newestAudit('domain.add')).toMatchObject({ target: 'domain/taken.example.test', error: expect.stringContaining(other) });
    await expect(client.call('engineDomains.add', { serviceId: serviceId(), host, path: '/api', port: 8080, tls: false })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('of this service') });
    await expect(client.call('engineDomains.add', { serviceId: serviceId(), host: `api-${kind}.example.test`, port: 9090 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    for (const bad of [`Shop-${kind}.example.test`, 'shop_x.example.test', 'shop-.example.test', '10.0.0.1', 'x'.repeat(64) + '.test']) {
      await expect(client.call('engineDomains.add', { serviceId: serviceId(), host: bad, port: 8080 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    await expect(client.call('engineDomains.add', { serviceId: serviceId(), host: `*.${kind}.example.test`, port: 8080 })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('no wildcard') });
    await expect(client.call('engineDomains.remove', { serviceId: serviceId(), host: 'legacy.example.test' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('was not added by KIOPS') });
  });

  it('removes the host: the router labels leave every container, the rest stays; audited with what it was', async () => {
    const router = (await client.call('engineDomains.list', { serviceId: serviceId() })).routes.find((route) => route.host === host)?.id ?? '';
    const preview = await client.call('changes.preview', { serviceId: serviceId(), change: { action: 'engineDomains.remove', host, path: '/api' } });
    expect(preview.plans.map((plan) => plan.container)).toEqual(replicas);
    expect(preview.lines).toContainEqual({ path: `${replicas[1]}: labels.traefik.http.routers.${router}.rule`, change: 'removed', before: `Host(\`${host}\`) && PathPrefix(\`/api\`)`, after: null });
    expect(await client.call('engineDomains.remove', { serviceId: serviceId(), host, path: '/api' })).toEqual({ removed: true });
    for (const name of replicas) {
      const labels = await labelsOf(name);
      expect(Object.keys(labels).filter((key) => key.includes(`.${router}.`))).toEqual([]);
      expect(labels).toMatchObject({ team: 'payments', 'traefik.http.routers.legacy.rule': 'Host(`legacy.example.test`)' });
      expect((await docker.getContainer(name).inspect()).State.Running).toBe(true);
    }
    expect((await client.call('engineDomains.list', { serviceId: serviceId() })).routes.map((route) => route.host)).toEqual(['legacy.example.test']);
    const row = await newestAudit('domain.remove');
    expect(row).toMatchObject({ outcome: 'success', details: { proxy: 'traefik', after: '(none)' } });
    expect(String(row?.details.before)).toContain(`traefik.http.routers.${router}.rule=Host(\`${host}\`) && PathPrefix(\`/api\`)`);
    await expect(client.call('engineDomains.remove', { serviceId: serviceId(), host, path: '/api' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  // Staged with a bind source removed after start: Docker refuses to create the replacement; Podman
  // creates the missing source instead, so the failure cannot be staged this way there (and the
  // test is not declared for it: a skip would read as a missing prerequisite under CI).
  if (kind === 'docker') it('when a later container of the service cannot be recreated, restores it and puts the earlier ones back to their previous labels', async () => {
    const broken = `${project}b`;
    const source = join(dataDir, 'vanishing-mount');
    mkdirSync(source);
    const labels = (number: number) => ({ 'com.docker.compose.project': broken, 'com.docker.compose.service': 'web', 'com.docker.compose.container-number': String(number) });
    await create(`${broken}-web-1`, labels(1));
    await create(`${broken}-web-2`, labels(2), source);
    // The bind source disappears after web-2 started: a replacement with the same mounts cannot be created.
    rmSync(source, { recursive: true });
    const before = await Promise.all([1, 2].map(async (number) => (await docker.getContainer(`${broken}-web-${number}`).inspect()).Id));
    await expect(client.call('engineDomains.add', { serviceId: `${environmentId}:compose:${broken}`, host: `restore-${kind}.example.test`, port: 8080 })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining(`The new container for "${broken}-web-2" did not start`),
    });
    const web2 = await docker.getContainer(`${broken}-web-2`).inspect();
    expect(web2.Id).toBe(before[1]);
    expect(web2.State.Running).toBe(true);
    const web1 = await docker.getContainer(`${broken}-web-1`).inspect();
    expect(web1.State.Running).toBe(true);
    for (const info of [web1, web2]) expect(Object.keys(info.Config.Labels ?? {}).filter((key) => key.startsWith('traefik.'))).toEqual([]);
    const leftovers = (await docker.listContainers({ all: true })).filter((row) => row.Names.some((name) => name.startsWith(`/${broken}`)));
    expect(leftovers.map((row) => row.Names[0]).sort()).toEqual([`/${broken}-web-1`, `/${broken}-web-2`]);
    expect(await newestAudit('domain.add')).toMatchObject({ outcome: 'failure', target: `domain/restore-${kind}.example.test`, error: expect.stringContaining('previous container was kept') });
    expect((await client.call('engineDomains.list', { serviceId: `${environmentId}:compose:${broken}` })).routes).toEqual([]);
  });
});
