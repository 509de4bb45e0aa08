import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caddyMissing, freePort, startCaddy, type CaddyServer } from '../../support/caddy-server.ts';
import { refusingUrl } from '../../support/refusing-address.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { writeDockerConfig, writeDockerContext } from '../environments/support/docker-context-files.ts';
import { startTestCore, type TestCore } from '../environments/support/core.ts';

const env = useTestEnvironment('keyring', 'docker');

// Issue 14: an engine reached directly (tcp://, as over a VPN) has its Caddy on the engine's own
// host: with no configured admin address answering, http://<engine host>:2019 is tried and the
// tab says that is where it looked. Staged on this machine's own non-loopback address: the
// private dockerd behind a TCP relay listening there, and a private Caddy whose admin API
// listens on that address's port 2019 (Caddy's default port, the one the app tries).
const address = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry?.family === 'IPv4' && !entry.internal)?.address;

// Under CI a missing Caddy or network address fails the file (beforeAll says which) instead of skipping it.
describe.skipIf(process.env.CI !== 'true' && (caddyMissing !== null || address === undefined))('Caddy on the engine host of a tcp:// engine', () => {
  const host = address ?? '';
  let caddy: CaddyServer;
  let relay: Server;
  let core: TestCore;
  let scratch = '';
  let environmentId = '';
  let deadCaddy = '';
  let port = 0;
  const project = `hostcaddy${Date.now().toString(36)}`;
  const docker = new Docker({ socketPath: env.docker.socketPath });
  const serviceId = () => `${environmentId}:compose:${project}`;
  const hostAdmin = `http://${host}:2019`;

  beforeAll(async () => {
    if (caddyMissing !== null) throw new Error(caddyMissing);
    if (address === undefined) throw new Error('this machine has no non-loopback IPv4 address to stage an engine host on');
    caddy = await startCaddy({ adminListen: `${host}:2019` });
    relay = createServer((client) => {
      const upstream = connect(env.docker.socketPath);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, host, resolve));
    scratch = await mkdtemp(join(tmpdir(), 'kiops-hostcaddy-'));
    const configDir = join(scratch, 'docker-config');
    writeDockerConfig(configDir, undefined);
    writeDockerContext(configDir, `${project}-ctx`, `tcp://${host}:${(relay.address() as { port: number }).port}`);
    deadCaddy = refusingUrl;
    core = await startTestCore({ host: { env: { DOCKER_CONFIG: configDir }, homeDir: scratch }, caddyAdminUrls: [deadCaddy] });
    environmentId = (await core.client.call('environments.addDockerContext', { contextName: `${project}-ctx`, name: `${project} tcp host`, acceptPlainTcp: true })).id;
    port = await freePort();
    // Host networking: the container's httpd listens on a loopback port Caddy can dial.
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
  }, 120_000);
  afterAll(async () => {
    await docker.getContainer(`${project}-web-1`).remove({ force: true }).catch(() => undefined);
    await core?.close();
    relay?.close();
    await caddy?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }, 120_000);

  it('looks at the configured address, then at the engine host\'s own :2019, and says so', async () => {
    const view = await core.client.call('engineDomains.list', { serviceId: serviceId() });
    expect(view.lookedFor).toEqual([`Caddy admin API at ${deadCaddy}`, `Caddy admin API at ${hostAdmin} (the engine host’s own address)`]);
    expect(view.proxy).toEqual({ kind: 'caddy', url: hostAdmin, where: `Caddy admin API at ${hostAdmin} (the engine host’s own address)` });
    expect(view.upstreams).toEqual([{ container: `${project}-web-1`, port, dial: `127.0.0.1:${port}` }]);
  });

  it.each(['hostcaddy.example.test', 'api.hostcaddy.example.test'])('adds %s through that Caddy, which then serves the container, and removes it', async (domain) => {
    await core.client.call('engineDomains.add', { serviceId: serviceId(), host: domain, port });
    const reply = await caddy.get(domain, '/kiops-release');
    expect(reply).toMatchObject({ status: 200 });
    expect(reply.body.trim()).toBe(env.docker.images.version1.release);
    expect(await core.client.call('engineDomains.remove', { serviceId: serviceId(), host: domain })).toEqual({ removed: true });
    expect((await caddy.get(domain, '/kiops-release')).body.trim()).not.toBe(env.docker.images.version1.release);
  });
});
