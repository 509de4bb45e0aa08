import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { startTestCore, type TestCore } from './support/core.ts';
import { dataFiles } from '../../support/data-files.ts';
import { makeTestPki, startTlsDockerd, writeDockerConfig, writeDockerContext, type TestPki, type TlsDockerd } from './support/docker-context-files.ts';

const run = promisify(execFile);
const env = useTestEnvironment('keyring', 'docker', 'podman', 'ssh');

// Docker contexts as the docker CLI keeps them ($DOCKER_CONFIG/contexts/...), turned into engine
// environments the app reaches its own way: ssh:// through its SSH pool, tcp:// with TLS
// certificates from the keychain. The core reads the environment object given here, which the
// tests change between cases like a user's shell would.
describe('Docker contexts', () => {
  let app: TestCore;
  let scratch: string;
  let configDir: string;
  let pki: TestPki;
  let tlsd: TlsDockerd | undefined;
  const hostEnv: Record<string, string | undefined> = {};
  const unique = `ctx${Date.now().toString(36)}`;
  const engine = new Docker({ socketPath: env.docker.socketPath });
  const owned: { docker: Docker; name: string }[] = [];

  /** A stopped container of a compose project only this test uses: the catalog lists it as a service. */
  async function composeContainer(docker: Docker, project: string): Promise<void> {
    const name = `${project}-web-1`;
    await docker.createContainer({
      name,
      Image: env.docker.images.version1.reference,
      Cmd: ['sleep', '600'],
      Labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': 'web' },
      HostConfig: { NetworkMode: 'none' },
    });
    owned.push({ docker, name });
  }

  async function servicesOf(environmentId: string): Promise<string[]> {
    const listing = await app.client.call('catalog.list', { environmentIds: [environmentId] });
    expect(listing.environments).toMatchObject([{ environmentId, state: 'ok' }]);
    return listing.services.map((row) => (row.target.kind === 'compose' ? row.target.project : row.name));
  }

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'kiops-ctx-'));
    configDir = join(scratch, 'docker-config');
    hostEnv.DOCKER_CONFIG = configDir;
    writeDockerConfig(configDir, undefined);
    pki = await makeTestPki(join(scratch, 'pki'));
    app = await startTestCore({ host: { env: hostEnv, homeDir: scratch } });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    for (const { docker, name } of owned) await docker.getContainer(name).remove({ force: true }).catch(() => undefined);
    await tlsd?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }, 120_000);

  it('an ssh:// context reaches the test sshd through the app’s SSH connection and lists that host’s containers', async () => {
    const project = `${unique}ssh`;
    await composeContainer(engine, project);
    const contextName = `${unique}-remote`;
    writeDockerContext(configDir, contextName, `ssh://${env.ssh.user}@${env.ssh.host}:${env.ssh.port}`);

    const listed = await app.client.call('environments.dockerContexts', {});
    expect(listed.contexts.find((c) => c.name === contextName)).toEqual({ name: contextName, current: false, endpoint: { kind: 'ssh', host: env.ssh.host, port: env.ssh.port, username: env.ssh.user } });

    // Without an identity the app cannot log in: refused, and audited as such.
    await expect(app.client.call('environments.addDockerContext', { contextName, name: `${unique} no identity` })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect((await app.client.call('audit.list', { action: 'environment.add', limit: 1 })).rows[0]).toMatchObject({ outcome: 'refused', target: `${unique} no identity` });

    const identity = await app.client.call('sshIdentities.add', { kind: 'private-key', name: `${unique} key`, privateKey: await readFile(env.ssh.keys.ed25519.privateKeyPath, 'utf8') });
    const added = await app.client.call('environments.addDockerContext', { contextName, name: `${unique} remote`, identityId: identity.id, remoteSocketPath: env.docker.socketPath });
    expect(added).toMatchObject({ kind: 'docker', engine: { location: 'ssh', socketPath: env.docker.socketPath }, connection: { methods: ['ssh'], ssh: { host: env.ssh.host, port: env.ssh.port, username: env.ssh.user, identityId: identity.id } } });
    expect((await app.client.call('audit.list', { action: 'environment.add', limit: 1 })).rows[0]).toMatchObject({ outcome: 'success', target: `${unique} remote` });

    // The app's own host-key pinning applies: asked once, then trusted.
    const first = await app.client.call('environments.testConnection', { id: added.id });
    if (first.state !== 'needs-host-key-confirmation') throw new Error(`expected a host key question, got ${JSON.stringify(first)}`);
    expect(first.fingerprint).toBe(env.ssh.hostKey.fingerprint);
    await app.client.call('hostKeys.trust', { environmentId: added.id, fingerprint: first.fingerprint });
    expect(await app.client.call('environments.testConnection', { id: added.id })).toMatchObject({ ok: true, method: 'ssh', details: { engineKind: 'docker' } });
    expect(await servicesOf(added.id)).toContain(project);
  });

  it('a tcp:// context with TLS lists the containers of a --tlsverify dockerd; its certificates live in the keychain only', async () => {
    tlsd = await startTlsDockerd(await mkdtemp(join(scratch, 'tlsd-')), pki);
    const image = await engine.getImage(env.docker.images.version1.reference).get();
    const load = await tlsd.docker.loadImage(image);
    await new Promise((resolve, reject) => {
      load.on('end', resolve).on('error', reject).resume();
    });
    const project = `${unique}tls`;
    await composeContainer(tlsd.docker, project);

    const contextName = `${unique}-tls`;
    writeDockerContext(configDir, contextName, `tcp://127.0.0.1:${tlsd.port}`, { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey });
    const listed = await app.client.call('environments.dockerContexts', {});
    expect(listed.contexts.find((c) => c.name === contextName)?.endpoint).toEqual({ kind: 'tcp', host: '127.0.0.1', port: tlsd.port, tls: true, skipTlsVerify: false });

    const added = await app.client.call('environments.addDockerContext', { contextName, name: `${unique} tls` });
    expect(added.engine).toEqual({ location: 'tcp', socketPath: `tcp://127.0.0.1:${tlsd.port}`, tls: true });
    expect(await app.client.call('environments.testConnection', { id: added.id })).toMatchObject({ ok: true, method: 'direct', details: { engineKind: 'docker', containers: 1 } });
    expect(await servicesOf(added.id)).toEqual([project]);

    // The client key reached the keychain, and neither SQLite, the logs nor any reply.
    const keyBody = pki.clientKey.split('\n')[1] ?? '';
    expect(keyBody.length).toBeGreaterThan(20);
    expect((await app.core.secrets.list('')).some((key) => key.includes(added.id))).toBe(true);
    for (const file of dataFiles(app.dataDir)) expect(file.bytes.includes(keyBody), file.name).toBe(false);
    expect(app.replies.some((reply) => reply.includes(keyBody))).toBe(false);
    expect(app.logs.some((line) => line.includes(keyBody))).toBe(false);
  }, 180_000);

  it('refuses plain tcp unless the user accepts it, and a TLS context without its key', async () => {
    const plain = `${unique}-plain`;
    writeDockerContext(configDir, plain, 'tcp://127.0.0.1:2375');
    const refused = app.client.call('environments.addDockerContext', { contextName: plain, name: `${unique} plain` });
    await expect(refused).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(refused).rejects.toThrow(/without TLS/);
    expect((await app.client.call('audit.list', { action: 'environment.add', limit: 1 })).rows[0]).toMatchObject({ outcome: 'refused', target: `${unique} plain` });
    const accepted = await app.client.call('environments.addDockerContext', { contextName: plain, name: `${unique} plain`, acceptPlainTcp: true });
    expect(accepted.engine).toEqual({ location: 'tcp', socketPath: 'tcp://127.0.0.1:2375', tls: false });

    const keyless = `${unique}-keyless`;
    writeDockerContext(configDir, keyless, 'tcp://127.0.0.1:2376', { ca: pki.ca, cert: pki.clientCert, key: '' });
    await expect(app.client.call('environments.addDockerContext', { contextName: keyless, name: `${unique} keyless` })).rejects.toThrow(/lacks key\.pem/);
    await expect(app.client.call('environments.addDockerContext', { contextName: `${unique}-missing`, name: `${unique} missing` })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('asks the engine behind a context what it is on connect: Podman behind tcp:// becomes a Podman environment', async () => {
    // A loopback TCP relay to the test Podman service: a plain tcp:// context whose daemon is Podman.
    const relay: Server = createServer((client) => {
      const upstream = connect(env.podman.socketPath);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    try {
      const port = (relay.address() as { port: number }).port;
      const contextName = `${unique}-podman`;
      writeDockerContext(configDir, contextName, `tcp://127.0.0.1:${port}`);
      const added = await app.client.call('environments.addDockerContext', { contextName, name: `${unique} podman`, acceptPlainTcp: true });
      expect(added.kind).toBe('docker');
      expect(await app.client.call('environments.testConnection', { id: added.id })).toMatchObject({ ok: true, details: { engineKind: 'podman' } });
      expect((await app.client.call('environments.list', {})).environments.find((e) => e.id === added.id)?.kind).toBe('podman');
      expect((await app.client.call('audit.list', { action: 'environment.engine-detected', limit: 1 })).rows[0]).toMatchObject({ outcome: 'success', target: `${unique} podman` });
    } finally {
      relay.close();
    }
  });

  // The docker CLI's precedence, over every combination: DOCKER_HOST, then DOCKER_CONTEXT, then config.json.
  it.each([
    { dockerHost: undefined, dockerContext: undefined, configured: undefined, selected: 'default', by: 'default' },
    { dockerHost: undefined, dockerContext: undefined, configured: 'a', selected: 'a', by: 'config' },
    { dockerHost: undefined, dockerContext: 'b', configured: undefined, selected: 'b', by: 'DOCKER_CONTEXT' },
    { dockerHost: undefined, dockerContext: 'b', configured: 'a', selected: 'b', by: 'DOCKER_CONTEXT' },
    { dockerHost: 'unix:///run/x.sock', dockerContext: 'b', configured: 'a', selected: 'default', by: 'DOCKER_HOST' },
    { dockerHost: 'unix:///run/x.sock', dockerContext: undefined, configured: undefined, selected: 'default', by: 'DOCKER_HOST' },
  ])('DOCKER_HOST=$dockerHost DOCKER_CONTEXT=$dockerContext currentContext=$configured picks $selected', async ({ dockerHost, dockerContext, configured, selected, by }) => {
    const dir = join(scratch, `precedence-${selected}-${by}-${configured ?? 'none'}`);
    writeDockerConfig(dir, configured === undefined ? undefined : `${unique}-${configured}`);
    writeDockerContext(dir, `${unique}-a`, `unix://${env.docker.socketPath}`);
    writeDockerContext(dir, `${unique}-b`, `ssh://someone@192.0.2.10:2200`);
    const saved = { ...hostEnv };
    try {
      hostEnv.DOCKER_CONFIG = dir;
      hostEnv.DOCKER_HOST = dockerHost;
      hostEnv.DOCKER_CONTEXT = dockerContext === undefined ? undefined : `${unique}-${dockerContext}`;
      const expected = selected === 'default' ? 'default' : `${unique}-${selected}`;
      const listed = await app.client.call('environments.dockerContexts', {});
      expect(listed).toMatchObject({ selected: expected, selectedBy: by });
      expect(listed.contexts.filter((c) => c.current).map((c) => c.name)).toEqual([expected]);
      expect(listed.contexts.find((c) => c.name === 'default')?.endpoint).toEqual({ kind: 'unix', socketPath: dockerHost === undefined ? '/var/run/docker.sock' : '/run/x.sock' });
      // The unix:// context is also a local socket candidate, answering as the test dockerd.
      expect((await app.client.call('environments.detectEngines', {})).candidates.find((c) => c.contextName === `${unique}-a`)).toMatchObject({ socketPath: env.docker.socketPath, source: 'docker-context', answers: true });
    } finally {
      for (const key of Object.keys(hostEnv)) delete hostEnv[key];
      Object.assign(hostEnv, saved);
    }
  });

  it('skips a meta.json that is not a regular file (a FIFO would block a plain read) and lists the rest', async () => {
    const fifoName = `${unique}-fifo`;
    const metaDir = join(configDir, 'contexts', 'meta', createHash('sha256').update(fifoName).digest('hex'));
    await mkdir(metaDir, { recursive: true });
    await run('mkfifo', [join(metaDir, 'meta.json')]);
    const names = (await app.client.call('environments.dockerContexts', {})).contexts.map((c) => c.name);
    expect(names).not.toContain(fifoName);
    expect(names).toContain('default');
  });

  it('DOCKER_CONTEXT naming a context that does not exist is shown as such', async () => {
    const saved = hostEnv.DOCKER_CONTEXT;
    hostEnv.DOCKER_CONTEXT = `${unique}-nowhere`;
    try {
      const listed = await app.client.call('environments.dockerContexts', {});
      expect(listed.contexts.find((c) => c.current)).toMatchObject({ name: `${unique}-nowhere`, problem: expect.stringContaining('does not exist') });
    } finally {
      hostEnv.DOCKER_CONTEXT = saved;
    }
  });
});
