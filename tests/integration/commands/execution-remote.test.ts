import { readFile } from 'node:fs/promises';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { eventually, Recorded, startCommandsCore, waitUntil, type CommandsCore } from './execution-support.ts';

const env = useTestEnvironment('keyring', 'docker', 'ssh');

// The test sshd runs on this machine, so "remote" here means: reached over SSH through the app's
// pooled client, with commands going through RuntimeAccess.hostExec rather than a local spawn.
describe('Command Execution on a Docker host reached over SSH', () => {
  let app: CommandsCore;
  let docker: Docker;
  let serviceId = '';
  const name = `cmdremote${Date.now().toString(36)}`;
  const hostLabel = () => `${env.ssh.user}@${env.ssh.host}:${env.ssh.port}`;

  beforeAll(async () => {
    docker = new Docker({ socketPath: env.docker.socketPath });
    const container = await docker.createContainer({ name, Image: env.docker.images.version1.reference, Cmd: ['sleep', '600'], StopSignal: 'SIGKILL', HostConfig: { NetworkMode: 'none' } });
    await container.start();
    app = await startCommandsCore();
    const identity = await app.client.call('sshIdentities.add', { kind: 'private-key', name: 'remote key', privateKey: await readFile(env.ssh.keys.ed25519.privateKeyPath, 'utf8') });
    const engine = await app.client.call('environments.addEngine', {
      name: 'remote docker',
      engine: 'docker',
      socketPath: env.docker.socketPath,
      connection: { selected: 'ssh', methods: ['ssh'], ssh: { host: env.ssh.host, port: env.ssh.port, username: env.ssh.user, identityId: identity.id } },
    });
    const first = await app.client.call('environments.testConnection', { id: engine.id });
    if (first.state !== 'needs-host-key-confirmation') throw new Error(`expected a host key question, got ${JSON.stringify(first)}`);
    await app.client.call('hostKeys.trust', { environmentId: engine.id, fingerprint: first.fingerprint });
    serviceId = `${engine.id}:container:${name}`;
  });

  afterAll(async () => {
    await app?.close();
    await docker?.getContainer(name).remove({ force: true }).catch(() => undefined);
  });

  it('commands.context names the SSH host and offers streaming there', async () => {
    expect(await app.client.call('commands.context', { serviceId })).toMatchObject({ mode: 'engine', engine: 'docker', remoteHost: hostLabel(), streamingAvailable: true, containers: [{ name, state: 'running' }] });
  });

  it('a host command runs on the SSH host (not spawned locally) and is audited with the host', async () => {
    const before = app.spawned.length;
    const result = await app.client.call('commands.run', { serviceId, line: 'uname -n' });
    expect(result).toMatchObject({ decision: 'ran', exitCode: 0, endReason: 'exited', argvShown: ['/usr/bin/uname', '-n'] });
    if (result.decision === 'ran') expect(result.stdout.trim().length).toBeGreaterThan(0);
    expect(app.spawned.length).toBe(before);
    const row = await app.newestAudit();
    expect(row).toMatchObject({ outcome: 'success', target: `remote docker/host/${hostLabel()}`, details: { host: hostLabel(), argv: ['/usr/bin/uname', '-n'], exitCode: 0, endReason: 'exited' } });
  });

  it('docker CLI and exec into the container run on the SSH host against its socket', async () => {
    const ps = await app.client.call('commands.run', { serviceId, line: "docker ps --format '{{.Names}}'" });
    expect(ps).toMatchObject({ decision: 'ran', exitCode: 0, argvShown: ['docker', '--host=<engine-endpoint>', 'ps', expect.stringContaining('Names')] });
    if (ps.decision === 'ran') expect(ps.stdout).toContain(name);
    const exec = await app.client.call('commands.run', { serviceId, line: 'cat /etc/kiops-release', container: name });
    expect(exec).toMatchObject({ decision: 'ran', exitCode: 0 });
    if (exec.decision === 'ran') expect(exec.stdout.trim()).toBe(env.docker.images.version1.release);
  });

  it('streaming runs there too (no longer refused), and the session is audited when it ends', async () => {
    const before = app.spawned.length;
    const stream = new Recorded(app.client, 'commands.stream', { serviceId, line: `docker logs -f ${name}` });
    try {
      await waitUntil(() => stream.events.some((event) => event.kind === 'started'), 15_000, 'the stream to start');
    } finally {
      stream.cancel();
    }
    const row = await eventually(async () => {
      const newest = await app.newestAudit();
      return newest?.details['mode'] === 'streaming' ? newest : undefined;
    }, 30_000, 'the streaming row');
    expect(row).toMatchObject({ outcome: 'success', details: { decision: 'ran', mode: 'streaming', endReason: 'stopped', host: hostLabel() } });
    expect(app.spawned.length).toBe(before);
  });
});
