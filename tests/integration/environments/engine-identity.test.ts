import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { allowEverythingPolicy, startCommandsCore, type CommandsCore } from '../commands/execution-support.ts';

const env = useTestEnvironment('keyring', 'docker', 'podman', 'ssh');

/** A unix socket that answers `_ping` like an engine but `/version` as something else (a containerd shim, say). */
async function impostorSocket(path: string): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url === '/_ping') return void response.end('OK');
    if (request.url?.endsWith('/version')) {
      response.setHeader('Content-Type', 'application/json');
      return void response.end(JSON.stringify({ Platform: { Name: 'not-an-engine' }, Components: [{ Name: 'containerd', Version: '1.7' }], Version: '1.7' }));
    }
    response.statusCode = 404;
    response.end('{"message":"page not found"}');
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return server;
}

// Podman is Podman: the kind comes from the engine's API (/version components, /libpod/_ping),
// never from the socket path or the form, on this machine and over SSH.
describe('engine kind from the API itself', () => {
  let app: CommandsCore;
  let docker: Docker;
  let scratch: string;
  let impostor: Server | undefined;
  const project = `ident${Date.now().toString(36)}`;
  const name = `${project}-web-1`;

  beforeAll(async () => {
    app = await startCommandsCore({ policyYaml: allowEverythingPolicy });
    scratch = await mkdtemp(join(tmpdir(), 'kiops-ident-'));
    docker = new Docker({ socketPath: env.podman.socketPath });
    const container = await docker.createContainer({
      name,
      Image: env.podman.images.version1.reference,
      Cmd: ['sleep', '600'],
      Labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': 'web' },
      HostConfig: { NetworkMode: 'none' },
    });
    await container.start();
  });
  afterAll(async () => {
    await app?.close();
    await docker?.getContainer(name).remove({ force: true }).catch(() => undefined);
    impostor?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  // "On this machine" sends no kind; an older client or a wrong pick may send either.
  it.each([
    { socket: 'podman', hint: undefined, expected: 'podman' },
    { socket: 'podman', hint: 'docker', expected: 'podman' },
    { socket: 'podman', hint: 'podman', expected: 'podman' },
    { socket: 'docker', hint: undefined, expected: 'docker' },
    { socket: 'docker', hint: 'podman', expected: 'docker' },
  ] as const)('a local $socket socket added with kind $hint is recorded as $expected', async ({ socket, hint, expected }) => {
    const added = await app.client.call('environments.addEngine', { name: `local ${socket} ${hint ?? 'none'}`, socketPath: env[socket].socketPath, ...(hint ? { engine: hint } : {}) });
    expect(added.kind).toBe(expected);
    const row = (await app.client.call('audit.list', { action: 'environment.add', limit: 1 })).rows[0];
    expect(row).toMatchObject({ outcome: 'success', details: { kind: expected, kindFromApi: true } });
    const test = await app.client.call('environments.testConnection', { id: added.id });
    expect(test).toMatchObject({ ok: true, details: { engineKind: expected } });
  });

  it('the Podman environment speaks Podman: its services, `podman ps`, and the redeploy confirmation', async () => {
    const added = await app.client.call('environments.addEngine', { name: 'prod podman', socketPath: env.podman.socketPath, production: true });
    const listing = await app.client.call('catalog.list', { environmentIds: [added.id] });
    expect(listing.environments).toEqual([expect.objectContaining({ runtime: 'podman', state: 'ok' })]);
    const service = listing.services.find((row) => row.target.kind === 'compose' && row.target.project === project);
    expect(service).toMatchObject({ runtime: 'podman', environmentName: 'prod podman' });
    const serviceId = service?.id ?? '';

    const context = await app.client.call('commands.context', { serviceId });
    expect(context).toMatchObject({ mode: 'engine', engine: 'podman' });
    const asked = await app.client.call('commands.run', { serviceId, line: 'podman ps' });
    const ps = asked.decision === 'needs-confirmation' ? await app.client.call('commands.run', { serviceId, line: 'podman ps', confirmation: asked.confirmText }) : asked;
    expect(ps).toMatchObject({ decision: 'ran', exitCode: 0 });
    if (ps.decision === 'ran') expect(ps.stdout).toContain(name);
    expect(app.spawned.at(-1)?.[0]).toMatch(/\/podman$/);
    const wrong = await app.client.call('commands.run', { serviceId, line: 'docker ps' });
    expect(wrong).toMatchObject({ decision: 'blocked', rule: 'wrong-program', message: 'This environment runs podman, not docker.' });

    const inspected = await docker.getContainer(name).inspect();
    const redeploy = await app.client.call('containers.redeploy', { serviceId, containerId: inspected.Id });
    expect(redeploy).toMatchObject({ status: 'needs-confirmation', confirmText: service?.name });
  });

  it('refuses a socket that answers as neither Docker nor Podman, and audits the refusal', async () => {
    const path = join(scratch, 'impostor.sock');
    impostor = await impostorSocket(path);
    await expect(app.client.call('environments.addEngine', { name: 'impostor', socketPath: path, engine: 'docker' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('answered, but as neither Docker nor Podman (components "containerd", platform "not-an-engine")'),
    });
    expect((await app.client.call('environments.list', {})).environments.map((e) => e.name)).not.toContain('impostor');
    expect((await app.client.call('audit.list', { action: 'environment.add', limit: 1 })).rows[0]).toMatchObject({ outcome: 'refused', target: 'impostor' });
    const detected = (await app.client.call('environments.detectEngines', {})).candidates;
    expect(detected.find((c) => c.socketPath === path)).toBeUndefined();
  });

  it('over SSH: a host registered as Docker that answers as Podman becomes Podman on connect, audited', async () => {
    const identity = await app.client.call('sshIdentities.add', { kind: 'private-key', name: 'ident key', privateKey: await readFile(env.ssh.keys.ed25519.privateKeyPath, 'utf8') });
    const added = await app.client.call('environments.addEngine', {
      name: 'remote podman',
      engine: 'docker',
      socketPath: env.podman.socketPath,
      connection: { selected: 'ssh', methods: ['ssh'], ssh: { host: env.ssh.host, port: env.ssh.port, username: env.ssh.user, identityId: identity.id } },
    });
    expect(added.kind).toBe('docker');
    const first = await app.client.call('environments.testConnection', { id: added.id });
    if (first.state !== 'needs-host-key-confirmation') throw new Error(`expected a host key question, got ${first.state}`);
    await app.client.call('hostKeys.trust', { environmentId: added.id, fingerprint: first.fingerprint });
    expect(await app.client.call('environments.testConnection', { id: added.id })).toMatchObject({ ok: true, method: 'ssh', details: { engineKind: 'podman' } });
    expect((await app.client.call('environments.list', {})).environments.find((e) => e.id === added.id)?.kind).toBe('podman');
    expect((await app.client.call('audit.list', { action: 'environment.engine-detected', limit: 1 })).rows[0]).toMatchObject({
      outcome: 'success',
      target: 'remote podman',
      details: { kindBefore: 'docker', kindAfter: 'podman' },
    });
    const listing = await app.client.call('catalog.list', { environmentIds: [added.id] });
    expect(listing.services.find((row) => row.target.kind === 'compose' && row.target.project === project)).toMatchObject({ runtime: 'podman' });
  });
});
