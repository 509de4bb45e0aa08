import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKiopsCore, type KiopsCore } from '../../../electron/main/composition.ts';
import { createMemoryTransport } from '../../../electron/main/ipc/memory-transport.ts';
import { createClient, type KiopsClient } from '../../../shared/contract/client.ts';
import { caddyMissing, freePort, startCaddy, type CaddyServer } from '../../support/caddy-server.ts';
import { refusingUrl } from '../../support/refusing-address.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';

const env = useTestEnvironment('keyring', 'docker', 'ssh');

// Issue 14 part 2 (Caddy through SSH): a Docker host reached over SSH gets its domains from the
// Caddy on that host, whose admin API listens on the host's loopback and is reached through the
// environment's SSH connection. The address given for this machine answers nothing, so only the
// SSH path can find Caddy; an HTTP request with the Host header then reaches the container.
describe.skipIf(caddyMissing !== null)('Domain Settings for a Docker service on an SSH host, through its Caddy', () => {
  let caddy: CaddyServer;
  let core: KiopsCore;
  let client: KiopsClient;
  let docker: Docker;
  let port = 0;
  let deadLocal = '';
  let environmentId = '';
  const dataDir = mkdtempSync(join(tmpdir(), 'kiops-caddy-ssh-'));
  const project = `sshdom${Date.now().toString(36)}`;
  const serviceId = () => `${environmentId}:compose:${project}`;
  const newestAudit = async (action: string) => (await client.call('audit.list', { limit: 1, action })).rows[0];

  beforeAll(async () => {
    caddy = await startCaddy();
    port = await freePort();
    deadLocal = refusingUrl;
    core = await createKiopsCore({
      dataDir,
      shell: 'browser',
      version: 'test',
      keychainService: `kiops-caddy-ssh-${randomUUID()}`,
      probeTimeoutMs: 3_000,
      caddyAdminUrls: [deadLocal],
      remoteCaddyAdminUrls: [caddy.adminUrl],
      logger: { error: () => {}, warn: () => {} },
    });
    core.senderPolicy.allow((sender) => sender.origin === 'caddy-ssh-test');
    client = createClient(createMemoryTransport(core.router, { transport: 'memory', origin: 'caddy-ssh-test' }));
    const identity = await client.call('sshIdentities.add', { kind: 'private-key', name: 'caddy ssh key', privateKey: readFileSync(env.ssh.keys.ed25519.privateKeyPath, 'utf8') });
    environmentId = (
      await client.call('environments.addEngine', {
        name: 'caddy over ssh',
        engine: 'docker',
        socketPath: env.docker.socketPath,
        connection: { selected: 'ssh', methods: ['ssh'], ssh: { host: env.ssh.host, port: env.ssh.port, username: env.ssh.user, identityId: identity.id } },
      })
    ).id;
    const first = await client.call('environments.testConnection', { id: environmentId });
    if (first.state !== 'needs-host-key-confirmation') throw new Error(`expected a host key question, got ${JSON.stringify(first)}`);
    await client.call('hostKeys.trust', { environmentId, fingerprint: first.fingerprint });
    docker = new Docker({ socketPath: env.docker.socketPath });
    const container = await docker.createContainer({
      name: `${project}-web-1`,
      Image: env.docker.images.version1.reference,
      Cmd: ['httpd', '-f', '-p', `127.0.0.1:${port}`, '-h', '/etc'],
      ExposedPorts: { [`${port}/tcp`]: {} },
      Labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': 'web' },
      StopSignal: 'SIGKILL',
      HostConfig: { NetworkMode: 'host' },
    });
    await container.start();
  });
  afterAll(async () => {
    await docker?.getContainer(`${project}-web-1`).remove({ force: true }).catch(() => undefined);
    for (const key of (await core?.secrets.list('').catch(() => [])) ?? []) await core.secrets.delete(key).catch(() => false);
    await core?.close();
    await caddy?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const through = () => `Caddy admin API at ${caddy.adminUrl} on ${env.ssh.user}@${env.ssh.host}:${env.ssh.port} (through SSH)`;

  it('finds the SSH host’s Caddy through the SSH connection, not the address for this machine', async () => {
    const view = await client.call('engineDomains.list', { serviceId: serviceId() });
    expect(view).toMatchObject({ proxy: { kind: 'caddy', url: caddy.adminUrl, where: through() }, routes: [], upstreams: [{ container: `${project}-web-1`, port, dial: `127.0.0.1:${port}` }], lookedFor: [through()], help: null });
    expect(view.lookedFor.join(' ')).not.toContain(deadLocal);
  });

  it('adds a host through the forwarded admin API: Caddy then serves the container for that Host header; audited', async () => {
    const added = await client.call('engineDomains.add', { serviceId: serviceId(), host: 'ssh-shop.example.test', path: '/kiops-release', port });
    expect(added.upstream).toBe(`127.0.0.1:${port}`);
    const reply = await caddy.get('ssh-shop.example.test', '/kiops-release');
    expect(reply.status).toBe(200);
    expect(reply.body.trim()).toBe(env.docker.images.version1.release);
    expect((await caddy.get('other.example.test', '/kiops-release')).body.trim()).not.toBe(env.docker.images.version1.release);
    expect((await client.call('engineDomains.list', { serviceId: serviceId() })).routes).toEqual([{ host: 'ssh-shop.example.test', path: '/kiops-release', upstream: `127.0.0.1:${port}`, id: added.id, ownedByKiops: true }]);
    expect(await newestAudit('domain.add')).toMatchObject({ outcome: 'success', target: 'domain/ssh-shop.example.test/kiops-release', details: { proxy: 'caddy', before: null, after: `ssh-shop.example.test/kiops-release -> 127.0.0.1:${port}` } });
  });

  it('refuses the same host + path again, naming the route that has it', async () => {
    await expect(client.call('engineDomains.add', { serviceId: serviceId(), host: 'ssh-shop.example.test', path: '/kiops-release', port })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/^ssh-shop\.example\.test\/kiops-release is already routed by Caddy \(kiops-[0-9a-f]{16}\)/),
    });
    expect(await newestAudit('domain.add')).toMatchObject({ outcome: 'failure' });
  });

  it('removes the host through SSH: Caddy stops routing it, audited with what it was', async () => {
    expect(await client.call('engineDomains.remove', { serviceId: serviceId(), host: 'ssh-shop.example.test', path: '/kiops-release' })).toEqual({ removed: true });
    expect((await caddy.get('ssh-shop.example.test', '/kiops-release')).body.trim()).not.toBe(env.docker.images.version1.release);
    expect((await client.call('engineDomains.list', { serviceId: serviceId() })).routes).toEqual([]);
    expect(await newestAudit('domain.remove')).toMatchObject({ outcome: 'success', details: { proxy: 'caddy', before: `ssh-shop.example.test/kiops-release -> 127.0.0.1:${port}`, after: null } });
  });
});
