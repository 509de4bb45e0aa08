import { readFile } from 'node:fs/promises';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { runReadingOutput, startCommandsCore, type CommandsCore } from './execution-support.ts';

const env = useTestEnvironment('keyring', 'docker', 'podman', 'ssh');

const label = (project: string) => ({ 'com.docker.compose.project': project, 'com.docker.compose.service': 'main' });

/** Every spelling of one engine command against a container, generated over verbs, forms and names. */
function containerVariants(engine: string, names: readonly string[], own: string): string[] {
  const lines: string[] = [];
  for (const name of names) {
    lines.push(
      `${engine} exec ${name} env`,
      `${engine} container exec ${name} env`,
      `${engine} exec -e A=1 ${name} env`,
      `${engine} exec --workdir=/ ${name} cat /etc/kiops-release`,
      `${engine} exec --env=A=1 -w / ${name} env`,
      `${engine} inspect ${name}`,
      `${engine} inspect ${own} ${name}`,
      `${engine} inspect --type=container ${name}`,
      `${engine} container inspect ${name}`,
      `${engine} logs --tail=1 ${name}`,
      `${engine} container logs -n 1 ${name}`,
      `${engine} top ${name}`,
      `${engine} stop ${name}`,
      `${engine} container stop -t 1 ${name}`,
      `${engine} kill -s KILL ${name}`,
      `${engine} kill --signal=KILL ${name}`,
      `${engine} restart ${name}`,
      `${engine} pause ${name}`,
      `${engine} rm -f ${name}`,
      `${engine} container rm --force ${name}`,
      `${engine} stats --no-stream ${own} ${name}`,
      `${engine} port ${name}`,
      `${engine} diff ${name}`,
    );
  }
  return lines;
}

const setups = [
  { engine: 'docker', over: 'local' },
  { engine: 'podman', over: 'local' },
  { engine: 'docker', over: 'ssh' },
  { engine: 'podman', over: 'ssh' },
] as const;

describe.each(setups)('$engine ($over): an engine command reaches only the service’s own objects', ({ engine, over }) => {
  let app: CommandsCore;
  let docker: Docker;
  const stamp = `${Date.now().toString(36)}${engine}${over}`;
  const ownProject = `shop${stamp}`;
  const otherProject = `other${stamp}`;
  const own = `${ownProject}-web-1`;
  const other = `${otherProject}-db-1`;
  let otherId = '';
  let serviceId = '';

  const startRows = async (): Promise<number> => (await app.client.call('audit.list', { limit: 500, action: 'command.run', outcome: 'started' })).rows.length;

  beforeAll(async () => {
    docker = new Docker({ socketPath: env[engine].socketPath });
    const make = async (name: string, project: string, image: string, volume: string) => {
      const container = await docker.createContainer({
        name,
        Image: image,
        Cmd: ['sleep', '600'],
        Env: project === otherProject ? ['DB_PASSWORD=other-service-secret'] : [],
        Labels: label(project),
        StopSignal: 'SIGKILL',
        HostConfig: { NetworkMode: 'none', Binds: [`${volume}:/data`] },
      });
      await container.start();
      return (await container.inspect()).Id;
    };
    await make(own, ownProject, env[engine].images.version1.reference, `${ownProject}-data`);
    otherId = await make(other, otherProject, env[engine].images.version2.reference, `${otherProject}-data`);
    app = await startCommandsCore();
    let environmentId: string;
    if (over === 'local') {
      environmentId = (await app.client.call('environments.addEngine', { name: `local ${engine}`, engine, socketPath: env[engine].socketPath })).id;
    } else {
      const identity = await app.client.call('sshIdentities.add', { kind: 'private-key', name: 'key', privateKey: await readFile(env.ssh.keys.ed25519.privateKeyPath, 'utf8') });
      environmentId = (
        await app.client.call('environments.addEngine', {
          name: `remote ${engine}`,
          engine,
          socketPath: env[engine].socketPath,
          connection: { selected: 'ssh', methods: ['ssh'], ssh: { host: env.ssh.host, port: env.ssh.port, username: env.ssh.user, identityId: identity.id } },
        })
      ).id;
      const first = await app.client.call('environments.testConnection', { id: environmentId });
      if (first.state !== 'needs-host-key-confirmation') throw new Error(`expected a host key question, got ${JSON.stringify(first)}`);
      await app.client.call('hostKeys.trust', { environmentId, fingerprint: first.fingerprint });
    }
    serviceId = `${environmentId}:compose:${ownProject}`;
  });

  afterAll(async () => {
    await app?.close();
    for (const name of [own, other]) await docker.getContainer(name).remove({ force: true, v: true }).catch(() => undefined);
    for (const volume of [`${ownProject}-data`, `${otherProject}-data`]) await docker.getVolume(volume).remove().catch(() => undefined);
  });

  it('another service’s container by name, full id and id prefixes, in every verb form: refused, audited, nothing started', async () => {
    // Over SSH every call lists the engine through the tunnel: two spellings keep the run short.
    const names = over === 'local' ? [other, otherId, otherId.slice(0, 12), otherId.slice(0, 6)] : [otherId.slice(0, 12), other];
    const lines = containerVariants(engine, names, own);
    const spawnedBefore = app.spawned.length;
    const startsBefore = await startRows();
    for (const line of lines) {
      const result = await app.client.call('commands.run', { serviceId, line });
      expect(result, line).toMatchObject({ decision: 'blocked', rule: 'not-in-service' });
      const row = await app.newestAudit();
      expect(row, line).toMatchObject({ outcome: 'refused', details: { decision: 'blocked', rule: 'not-in-service' } });
    }
    expect(app.spawned.length).toBe(spawnedBefore);
    expect(await startRows()).toBe(startsBefore);
    // The other service's container was never stopped, killed, paused or removed.
    expect((await docker.getContainer(other).inspect()).State).toMatchObject({ Running: true, Paused: false });
  });

  it('another service’s image and volume, host-wide prune: refused with the rule named', async () => {
    const cases: [string, string][] = [
      [`${engine} rmi -f ${env[engine].images.version2.reference}`, 'not-in-service'],
      [`${engine} image rm --force ${env[engine].images.version2.reference}`, 'not-in-service'],
      [`${engine} history ${env[engine].images.version2.reference}`, 'not-in-service'],
      [`${engine} image inspect ${env[engine].images.version2.reference}`, 'not-in-service'],
      [`${engine} inspect ${env[engine].images.version2.reference}`, 'not-in-service'],
      [`${engine} volume inspect ${otherProject}-data`, 'not-in-service'],
      [`${engine} inspect --type=volume ${otherProject}-data`, 'not-in-service'],
      [`${engine} inspect no-such-thing-${stamp}`, 'not-in-service'],
      [`${engine} container prune -f`, 'host-wide'],
      [`${engine} container prune --force --filter=until=1h`, 'host-wide'],
      [`${engine} image prune -a -f`, 'host-wide'],
      [`${engine} image prune --all --force`, 'host-wide'],
      [`${engine} system prune -af`, 'subcommand-not-allowed'],
      [`${engine} volume prune -f`, 'subcommand-not-allowed'],
      [`${engine} volume rm ${otherProject}-data`, 'subcommand-not-allowed'],
    ];
    const spawnedBefore = app.spawned.length;
    const startsBefore = await startRows();
    for (const [line, rule] of cases) {
      expect(await app.client.call('commands.run', { serviceId, line }), line).toMatchObject({ decision: 'blocked', rule });
      expect(await app.newestAudit(), line).toMatchObject({ outcome: 'refused', details: { rule } });
    }
    expect(app.spawned.length).toBe(spawnedBefore);
    expect(await startRows()).toBe(startsBefore);
  });

  it('a selected container of another service is refused before anything runs, and the refusal is audited', async () => {
    const startsBefore = await startRows();
    for (const container of [other, otherId, otherId.slice(0, 12), `no-such-${stamp}`]) {
      await expect(app.client.call('commands.run', { serviceId, line: 'env', container }), container).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await app.newestAudit(), container).toMatchObject({ outcome: 'refused', details: { decision: 'blocked', rule: 'not-in-service' } });
    }
    expect(await startRows()).toBe(startsBefore);
  });

  it('the service’s own container by name and id prefix, and its own image and volume: run, with a started row chained to the outcome', async () => {
    const ownId = (await docker.getContainer(own).inspect()).Id;
    for (const name of [own, ownId.slice(0, 12)]) {
      const result = await runReadingOutput(app, { serviceId, line: `${engine} exec ${name} cat /etc/kiops-release` });
      expect(result, name).toMatchObject({ decision: 'ran', exitCode: 0 });
      if (result.decision === 'ran') expect(result.stdout.trim()).toBe(env[engine].images.version1.release);
      const [outcome] = (await app.client.call('audit.list', { limit: 1, action: 'command.run' })).rows;
      const [start] = (await app.client.call('audit.list', { limit: 1, action: 'command.run', outcome: 'started' })).rows;
      expect(start).toMatchObject({ outcome: 'started', details: { decision: 'started' } });
      expect(outcome).toMatchObject({ outcome: 'success', details: { decision: 'ran', startedSeq: start?.seq } });
      expect(outcome?.seq).toBeGreaterThan(start?.seq ?? Infinity);
    }
    for (const line of [`${engine} image inspect ${env[engine].images.version1.reference}`, `${engine} volume inspect ${ownProject}-data`, `${engine} inspect ${own}`]) {
      expect(await app.client.call('commands.run', { serviceId, line }), line).toMatchObject({ decision: 'ran', exitCode: 0 });
    }
  });

  it('host commands here too: writing tools and getopt prefixes of --kill refused, lscpu runs by its root-owned path', async () => {
    const startsBefore = await startRows();
    for (const line of ['ss --ki', 'ss --k', 'ss -tK', 'cp /bin/sh /usr/local/bin/lscpu', 'dd if=/dev/zero of=/tmp/x count=1', 'tail --fo /etc/hostname']) {
      const result = await app.client.call('commands.run', { serviceId, line });
      expect(result, line).toMatchObject({ decision: 'blocked' });
      expect(await app.newestAudit(), line).toMatchObject({ outcome: 'refused', details: { decision: 'blocked' } });
    }
    expect(await startRows()).toBe(startsBefore);
    const lscpu = await app.client.call('commands.run', { serviceId, line: 'lscpu' });
    expect(lscpu).toMatchObject({ decision: 'ran', exitCode: 0, argvShown: ['/usr/bin/lscpu'] });
  });
});
