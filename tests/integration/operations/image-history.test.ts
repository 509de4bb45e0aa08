import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKiopsCore, type KiopsCore } from '../../../electron/main/composition.ts';
import { createMemoryTransport } from '../../../electron/main/ipc/memory-transport.ts';
import { createClient, type KiopsClient } from '../../../shared/contract/client.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { releaseOf } from './engine-release.ts';

const env = useTestEnvironment('keyring', 'docker', 'podman');

// Issue 14 part 3: every image a service container ran is recorded; a Compose service's
// containers are updated and rolled back together; a rollback uses the recorded image id even
// after the tag moved, through the redeploy path, audited.
describe.each(['docker', 'podman'] as const)('image history and rollback (%s)', (kind) => {
  let core: KiopsCore;
  let client: KiopsClient;
  let docker: Docker;
  const dataDir = mkdtempSync(join(tmpdir(), 'kiops-history-'));
  const project = `hist${Date.now().toString(36)}${kind}`;
  // A tag of our own, moved during the test (the shared kiops/busybox tags stay put).
  const repo = `kiops/history-${project}`;
  const tag = `${repo}:stable`;
  const ids = { manager: '', readonly: '' };
  const serviceId = (which: 'manager' | 'readonly' = 'manager') => `${ids[which]}:compose:${project}`;
  const names = { web1: `${project}-web-1`, web2: `${project}-web-2`, db: `${project}-db-1` };
  const inspect = (name: string) => docker.getContainer(name).inspect();
  const newestAudit = async (action: string) => (await client.call('audit.list', { limit: 1, action })).rows[0];

  beforeAll(async () => {
    writeFileSync(join(dataDir, 'organisation-policy.yaml'), 'version: 1\ndefault: [logs, commands, management]\nrules:\n  - match: { name: "readonly-*" }\n    allow: [logs]\n');
    core = await createKiopsCore({ dataDir, shell: 'browser', version: 'test', keychainService: `kiops-history-${randomUUID()}`, probeTimeoutMs: 3_000, logger: { error: () => {}, warn: () => {} } });
    core.senderPolicy.allow((sender) => sender.origin === 'history-test');
    client = createClient(createMemoryTransport(core.router, { transport: 'memory', origin: 'history-test' }));
    ids.manager = (await client.call('environments.addEngine', { name: `history ${kind}`, socketPath: env[kind].socketPath })).id;
    ids.readonly = (await client.call('environments.addEngine', { name: `readonly-history-${kind}`, socketPath: env[kind].socketPath })).id;
    docker = new Docker({ socketPath: env[kind].socketPath });
    await docker.getImage(env[kind].images.version1.id).tag({ repo, tag: 'stable' });
    for (const [name, service] of [
      [names.web1, 'web'],
      [names.web2, 'web'],
      [names.db, 'db'],
    ] as const) {
      const container = await docker.createContainer({
        name,
        Image: tag,
        Cmd: ['sleep', '600'],
        Env: ['ROLE=history', 'SECRET_TOKEN=do-not-record'],
        Labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': service },
        StopSignal: 'SIGKILL',
        HostConfig: { NetworkMode: 'none' },
      });
      await container.start();
    }
  });

  afterAll(async () => {
    const leftovers = await docker?.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${project}`] } }).catch(() => []);
    for (const leftover of leftovers ?? []) await docker.getContainer(leftover.Id).remove({ force: true }).catch(() => undefined);
    await docker?.getImage(tag).remove({ noprune: true }).catch(() => undefined);
    for (const key of (await core?.secrets.list('').catch(() => [])) ?? []) await core.secrets.delete(key).catch(() => false);
    await core?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('records each container’s image on first sight, once, with the config that matters and no env values', async () => {
    const view = await client.call('containers.deployment', { serviceId: serviceId() });
    expect(view.history?.map((entry) => [entry.container, entry.source, entry.current]).sort()).toEqual([
      [names.db, 'observed', true],
      [names.web1, 'observed', true],
      [names.web2, 'observed', true],
    ]);
    const web1 = view.history?.find((entry) => entry.container === names.web1);
    expect(web1).toMatchObject({ composeService: `${project}/web`, imageId: env[kind].images.version1.id, imageRef: expect.stringContaining(tag) });
    expect(web1?.config).toMatchObject({ cmd: ['sleep', '600'], envNames: expect.arrayContaining(['ROLE', 'SECRET_TOKEN']) });
    expect(JSON.stringify(view.history)).not.toContain('do-not-record');
    expect(view.containers.find((container) => container.name === names.web2)).toMatchObject({ composeService: `${project}/web`, imageId: env[kind].images.version1.id });
    // Looking again records nothing new.
    expect((await client.call('containers.deployment', { serviceId: serviceId() })).history).toHaveLength(3);
  });

  it('an image update of one web container updates every container of the web service together, and is recorded', async () => {
    const web1 = await inspect(names.web1);
    const db = await inspect(names.db);
    const result = await client.call('containers.redeploy', { serviceId: serviceId(), containerId: web1.Id, image: env[kind].images.version2.reference, stopTimeoutSeconds: 1 });
    expect(result).toMatchObject({ status: 'done', name: `${project}/web`, message: `all 2 containers of "${project}/web" now run ${env[kind].images.version2.reference}.` });
    for (const name of [names.web1, names.web2]) {
      expect((await inspect(name)).Image).toBe(env[kind].images.version2.id);
      expect(await releaseOf(docker, name)).toBe(env[kind].images.version2.release);
    }
    expect((await inspect(names.db)).Id).toBe(db.Id);
    expect(await newestAudit('container.redeploy')).toMatchObject({ outcome: 'success', target: `${kind}/${project}/web`, details: { containers: `${names.web1}, ${names.web2}` } });
    const history = (await client.call('containers.deployment', { serviceId: serviceId() })).history ?? [];
    expect(history.slice(0, 2).map((entry) => [entry.container, entry.source, entry.imageId, entry.current]).sort()).toEqual([
      [names.web1, 'update', env[kind].images.version2.id, true],
      [names.web2, 'update', env[kind].images.version2.id, true],
    ]);
  });

  it('Roll back recreates the web containers from the recorded image id although the tag has moved since', async () => {
    // The tag now names release 2: a rollback by tag would not go back.
    await docker.getImage(env[kind].images.version2.id).tag({ repo, tag: 'stable' });
    expect((await docker.getImage(tag).inspect()).Id).toBe(env[kind].images.version2.id);
    const history = (await client.call('containers.deployment', { serviceId: serviceId() })).history ?? [];
    const first = history.find((entry) => entry.container === names.web2 && entry.source === 'observed');
    if (!first) throw new Error('no first-sight entry for web-2');
    const result = await client.call('containers.rollback', { serviceId: serviceId(), historyId: first.id });
    expect(result).toMatchObject({ status: 'done', name: `${project}/web` });
    for (const name of [names.web1, names.web2]) {
      const info = await inspect(name);
      expect(info.Image).toBe(env[kind].images.version1.id);
      expect(info.State.Running).toBe(true);
      expect(info.Config.Env).toEqual(expect.arrayContaining(['ROLE=history']));
      expect(await releaseOf(docker, name)).toBe(env[kind].images.version1.release);
    }
    expect(await newestAudit('container.rollback')).toMatchObject({
      outcome: 'success',
      target: `${kind}/${project}/web`,
      details: { historyId: first.id, containers: `${names.web1}, ${names.web2}`, imageTo: env[kind].images.version1.id.replace(/^sha256:/, '').slice(0, 12) },
    });
    const after = (await client.call('containers.deployment', { serviceId: serviceId() })).history ?? [];
    expect(after.slice(0, 2).map((entry) => [entry.source, entry.imageId, entry.current])).toEqual([
      ['rollback', env[kind].images.version1.id, true],
      ['rollback', env[kind].images.version1.id, true],
    ]);
  });

  it('refuses what it must: an entry of another service, a malformed id, and an operator without management (audited)', async () => {
    await expect(client.call('containers.rollback', { serviceId: serviceId(), historyId: 987_654 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(client.call('containers.rollback', { serviceId: serviceId(), historyId: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(client.call('containers.rollback', { serviceId: serviceId(), historyId: '1' } as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const readonlyHistory = (await client.call('containers.deployment', { serviceId: serviceId('readonly') })).history ?? [];
    const web1 = readonlyHistory.find((entry) => entry.container === names.web1);
    if (!web1) throw new Error('the readonly environment sees no history');
    const before = (await inspect(names.web1)).Id;
    await expect(client.call('containers.rollback', { serviceId: serviceId('readonly'), historyId: web1.id })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(await newestAudit('container.rollback')).toMatchObject({ outcome: 'refused' });
    expect((await inspect(names.web1)).Id).toBe(before);
  });
});
