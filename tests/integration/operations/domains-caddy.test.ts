import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKiopsCore, type KiopsCore } from '../../../electron/main/composition.ts';
import { kiopsRouteId } from '../../../electron/main/operations/domains/caddy-admin.ts';
import { createMemoryTransport } from '../../../electron/main/ipc/memory-transport.ts';
import { createClient, type KiopsClient } from '../../../shared/contract/client.ts';
import { caddyMissing, freePort, startCaddy, type CaddyServer } from '../../support/caddy-server.ts';
import { refusingUrl } from '../../support/refusing-address.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';

const env = useTestEnvironment('keyring', 'docker');

// Issue 14 part 2 (Caddy, on this machine): Domain Settings of a Docker service route a host
// name through a real Caddy's admin API to the service's container, proven by an HTTP request
// to Caddy with that Host header reaching a busybox httpd in the container.
describe.skipIf(caddyMissing !== null)('Domain Settings for a Docker service through Caddy', () => {
  let caddy: CaddyServer;
  let core: KiopsCore;
  let client: KiopsClient;
  let docker: Docker;
  let port = 0;
  const dataDir = mkdtempSync(join(tmpdir(), 'kiops-caddy-domains-'));
  const project = `dom${Date.now().toString(36)}`;
  const other = `${project}x`;
  const ids = { manager: '', readonly: '' };
  const serviceId = (which: 'manager' | 'readonly' = 'manager', name = project) => `${ids[which]}:compose:${name}`;
  const newestAudit = async (action: string) => (await client.call('audit.list', { limit: 1, action })).rows[0];

  beforeAll(async () => {
    caddy = await startCaddy();
    port = await freePort();
    writeFileSync(join(dataDir, 'organisation-policy.yaml'), 'version: 1\ndefault: [logs, commands, management]\nrules:\n  - match: { name: "readonly-*" }\n    allow: [logs]\n');
    core = await createKiopsCore({ dataDir, shell: 'browser', version: 'test', keychainService: `kiops-caddy-${randomUUID()}`, probeTimeoutMs: 3_000, caddyAdminUrls: [caddy.adminUrl], logger: { error: () => {}, warn: () => {} } });
    core.senderPolicy.allow((sender) => sender.origin === 'caddy-test');
    client = createClient(createMemoryTransport(core.router, { transport: 'memory', origin: 'caddy-test' }));
    ids.manager = (await client.call('environments.addEngine', { name: 'caddy host', socketPath: env.docker.socketPath })).id;
    ids.readonly = (await client.call('environments.addEngine', { name: 'readonly-caddy host', socketPath: env.docker.socketPath })).id;
    docker = new Docker({ socketPath: env.docker.socketPath });
    // Host networking: the container's httpd listens on a loopback port Caddy can dial.
    for (const [name, listen] of [
      [project, port],
      [other, await freePort()],
    ] as const) {
      const container = await docker.createContainer({
        name: `${name}-web-1`,
        Image: env.docker.images.version1.reference,
        Cmd: ['httpd', '-f', '-p', `127.0.0.1:${listen}`, '-h', '/etc'],
        ExposedPorts: { [`${listen}/tcp`]: {} },
        Labels: { 'com.docker.compose.project': name, 'com.docker.compose.service': 'web' },
        StopSignal: 'SIGKILL',
        HostConfig: { NetworkMode: 'host' },
      });
      await container.start();
    }
  });
  afterAll(async () => {
    for (const name of [project, other]) await docker?.getContainer(`${name}-web-1`).remove({ force: true }).catch(() => undefined);
    for (const key of (await core?.secrets.list('').catch(() => [])) ?? []) await core.secrets.delete(key).catch(() => false);
    await core?.close();
    await caddy?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists the Caddy found and the container port it can reach, with no routes yet', async () => {
    const view = await client.call('engineDomains.list', { serviceId: serviceId() });
    expect(view).toMatchObject({ proxy: { kind: 'caddy', url: caddy.adminUrl, where: `Caddy admin API at ${caddy.adminUrl}` }, routes: [], upstreams: [{ container: `${project}-web-1`, port, dial: `127.0.0.1:${port}` }], help: null });
  });

  it.each([
    ['shop.example.test', '/', 'shop.example.test'],
    ['api.example.test', '/v1', 'api.example.test/v1'],
  ])('previews adding %s%s: the route JSON that would be added, and Caddy is left as it was', async (host, path, where) => {
    const preview = await client.call('changes.preview', { serviceId: serviceId(), change: { action: 'engineDomains.add', host, path, port } });
    expect(preview).toMatchObject({ target: `caddy/${where}`, errors: [] });
    expect(preview.lines).toEqual(expect.arrayContaining([
      { path: `routes.${where}.@id`, change: 'added', before: null, after: kiopsRouteId(host, path) },
      { path: `routes.${where}.match[0].host[0]`, change: 'added', before: null, after: host },
      { path: `routes.${where}.handle[0].upstreams[0].dial`, change: 'added', before: null, after: `127.0.0.1:${port}` },
    ]));
    expect((await client.call('engineDomains.list', { serviceId: serviceId() })).routes).toEqual([]);
    const refused = await client.call('changes.preview', { serviceId: serviceId(), change: { action: 'engineDomains.add', host, path, port: port + 1 } });
    expect(refused).toMatchObject({ lines: [], errors: [expect.stringContaining(`publishes port ${port + 1}`)] });
  });

  it('adds a host: Caddy routes a request with that Host header to the container, and the change is audited', async () => {
    expect(await caddy.get('shop.example.test', '/kiops-release')).not.toMatchObject({ body: `${env.docker.images.version1.release}\n` });
    const added = await client.call('engineDomains.add', { serviceId: serviceId(), host: 'shop.example.test', port });
    expect(added.upstream).toBe(`127.0.0.1:${port}`);
    const reply = await caddy.get('shop.example.test', '/kiops-release');
    expect(reply.status).toBe(200);
    expect(reply.body.trim()).toBe(env.docker.images.version1.release);
    expect((await client.call('engineDomains.list', { serviceId: serviceId() })).routes).toEqual([{ host: 'shop.example.test', path: '/', upstream: `127.0.0.1:${port}`, id: added.id, ownedByKiops: true }]);
    expect(await newestAudit('domain.add')).toMatchObject({ outcome: 'success', target: 'domain/shop.example.test', details: { proxy: 'caddy', before: null, after: `shop.example.test -> 127.0.0.1:${port}`, routeId: added.id, diff: expect.stringContaining(`routes.shop.example.test.handle[0].upstreams[0].dial + 127.0.0.1:${port}`) } });
  });

  it('refuses the same host for another service, naming the route that has it, and malformed hosts', async () => {
    const otherPort = (await client.call('engineDomains.list', { serviceId: serviceId('manager', other) })).upstreams[0]?.port ?? 0;
    await expect(client.call('engineDomains.add', { serviceId: serviceId('manager', other), host: 'shop.example.test', port: otherPort })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining(`shop.example.test is already routed by Caddy (kiops-`),
    });
    for (const host of ['Shop.Example.Test', 'shop_example.test', '-shop.example.test', '192.168.1.1', 'a..b']) {
      await expect(client.call('engineDomains.add', { serviceId: serviceId(), host, port })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    await expect(client.call('engineDomains.add', { serviceId: serviceId(), host: 'api.example.test', port: port + 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(client.call('engineDomains.add', { serviceId: serviceId('readonly'), host: 'ro.example.test', port })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(await newestAudit('domain.add')).toMatchObject({ outcome: 'refused', target: 'domain/ro.example.test' });
  });

  it('removes the host: Caddy stops routing it, audited with what it was', async () => {
    const preview = await client.call('changes.preview', { serviceId: serviceId(), change: { action: 'engineDomains.remove', host: 'shop.example.test' } });
    expect(preview.lines).toEqual(expect.arrayContaining([{ path: 'routes.shop.example.test.match[0].host[0]', change: 'removed', before: 'shop.example.test', after: null }]));
    expect(new Set(preview.lines.filter((line) => line.path.startsWith('routes.shop.example.test.')).map((line) => line.change))).toEqual(new Set(['removed']));
    expect((await client.call('engineDomains.list', { serviceId: serviceId() })).routes).toHaveLength(1);
    expect(await client.call('engineDomains.remove', { serviceId: serviceId(), host: 'shop.example.test' })).toEqual({ removed: true });
    expect((await caddy.get('shop.example.test', '/kiops-release')).body.trim()).not.toBe(env.docker.images.version1.release);
    expect((await client.call('engineDomains.list', { serviceId: serviceId() })).routes).toEqual([]);
    expect(await newestAudit('domain.remove')).toMatchObject({ outcome: 'success', details: { proxy: 'caddy', before: `shop.example.test -> 127.0.0.1:${port}`, after: null, diff: expect.stringContaining('routes.shop.example.test.match[0].host[0] - shop.example.test') } });
    await expect(client.call('engineDomains.remove', { serviceId: serviceId(), host: 'shop.example.test' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('with no proxy answering, says what it looked for and how to set one up', async () => {
    const missing = refusingUrl;
    const lonely = await createKiopsCore({ dataDir: mkdtempSync(join(tmpdir(), 'kiops-caddy-none-')), shell: 'browser', version: 'test', keychainService: `kiops-caddy-none-${randomUUID()}`, caddyAdminUrls: [missing], logger: { error: () => {}, warn: () => {} } });
    try {
      lonely.senderPolicy.allow((sender) => sender.origin === 'caddy-none');
      const lonelyClient = createClient(createMemoryTransport(lonely.router, { transport: 'memory', origin: 'caddy-none' }));
      const id = (await lonelyClient.call('environments.addEngine', { name: 'no proxy', socketPath: env.docker.socketPath })).id;
      const view = await lonelyClient.call('engineDomains.list', { serviceId: `${id}:compose:${project}` });
      expect(view).toMatchObject({ proxy: null, routes: [], lookedFor: [`Caddy admin API at ${missing}`, 'a running Traefik container on this docker engine'], help: expect.stringContaining('run Caddy with its admin API') });
    } finally {
      await lonely.close();
    }
  });
});
