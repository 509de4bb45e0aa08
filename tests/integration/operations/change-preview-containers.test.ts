import { randomUUID } from 'node:crypto';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KiopsClient } from '../../../shared/contract/client.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { startTabsCore, type TabsCore } from './tabs-support.ts';

const env = useTestEnvironment('keyring', 'docker', 'podman');

// The recreate plan of a redeploy, an image update and a rollback on real engines: old and new
// image ids, what is carried over, what changes; the container is left as it was.
describe.each(['docker', 'podman'] as const)('changes.preview (%s): the recreate plan through the contract', (kind) => {
  let tabs: TabsCore;
  let client: KiopsClient;
  let docker: Docker;
  let environmentId = '';
  const secretValue = `token-${randomUUID()}`;
  const name = `plan${Date.now().toString(36)}${kind}`;
  const serviceId = () => `${environmentId}:container:${name}`;
  const inspect = () => docker.getContainer(name).inspect();
  const newestSeq = async () => (await client.call('audit.list', { limit: 1 })).rows[0]?.seq ?? 0;

  beforeAll(async () => {
    tabs = await startTabsCore({ organisationPolicy: 'version: 1\ndefault: [logs, commands, management]\nrules: []\n' });
    client = tabs.client;
    environmentId = (await client.call('environments.addEngine', { name: `plan ${kind}`, engine: kind, socketPath: env[kind].socketPath })).id;
    docker = new Docker({ socketPath: env[kind].socketPath });
    const container = await docker.createContainer({
      name,
      Image: env[kind].images.version1.reference,
      Cmd: ['sleep', '600'],
      Env: ['GREETING=hello', `API_TOKEN=${secretValue}`],
      Labels: { team: 'payments' },
      StopSignal: 'SIGKILL',
      HostConfig: { NetworkMode: 'none', RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 } },
    });
    await container.start();
  });

  afterAll(async () => {
    await docker?.getContainer(name).remove({ force: true }).catch(() => undefined);
    await tabs?.close();
  });

  it('an image update shows both image ids, the label the new image brings, what is carried over, and changes nothing', async () => {
    const before = await inspect();
    const seq = await newestSeq();
    const preview = await client.call('changes.preview', { serviceId: serviceId(), change: { action: 'containers.redeploy', containerId: before.Id, image: env[kind].images.version2.reference } });
    expect(preview).toMatchObject({ method: 'recreate-plan', target: `${kind}/container/${name}`, errors: [] });
    expect(preview.plans).toEqual([
      {
        container: name,
        imageFrom: before.Config.Image,
        imageIdFrom: before.Image,
        imageTo: env[kind].images.version2.reference,
        imageIdTo: env[kind].images.version2.id,
        carriedOver: expect.arrayContaining(['Env', 'Labels', 'Cmd', 'HostConfig.RestartPolicy', 'HostConfig.NetworkMode']),
      },
    ]);
    expect(preview.lines).toEqual(expect.arrayContaining([
      { path: `${name}: image`, change: 'changed', before: before.Config.Image, after: env[kind].images.version2.reference },
      { path: `${name}: imageId`, change: 'changed', before: before.Image, after: env[kind].images.version2.id },
      { path: `${name}: labels.org.opencontainers.image.version`, change: 'changed', before: '1', after: '2' },
    ]));
    expect(preview.lines.map((line) => line.path)).not.toContain(`${name}: labels.team`);
    expect(JSON.stringify(preview)).not.toContain(secretValue);
    const after = await inspect();
    expect([after.Id, after.Image, after.State.Running]).toEqual([before.Id, before.Image, true]);
    expect(await newestSeq()).toBe(seq);
  });

  it('an image that is not on the engine yet is named as pulled when applied', async () => {
    const missing = `kiops/not-here-${randomUUID().slice(0, 8)}:1`;
    const preview = await client.call('changes.preview', { serviceId: serviceId(), change: { action: 'containers.redeploy', containerId: (await inspect()).Id, image: missing } });
    expect(preview.plans[0]).toMatchObject({ imageTo: missing, imageIdTo: null });
    expect(preview.lines).toEqual(expect.arrayContaining([expect.objectContaining({ path: `${name}: imageId`, after: '(pulled when applied)' })]));
  });

  it('the applied update records the plan in its audit row; a rollback preview plans the recorded image id back', async () => {
    await client.call('containers.deployment', { serviceId: serviceId() });
    const preview = await client.call('changes.preview', { serviceId: serviceId(), change: { action: 'containers.redeploy', containerId: (await inspect()).Id, image: env[kind].images.version2.reference } });
    expect(await client.call('containers.redeploy', { serviceId: serviceId(), containerId: (await inspect()).Id, image: env[kind].images.version2.reference, stopTimeoutSeconds: 1 })).toMatchObject({ status: 'done' });
    const row = (await client.call('audit.list', { limit: 1, action: 'container.redeploy' })).rows[0];
    expect(row).toMatchObject({ outcome: 'success', details: { diff: preview.summary } });
    expect(JSON.stringify(row)).not.toContain(secretValue);

    const view = await client.call('containers.deployment', { serviceId: serviceId() });
    const first = view.history?.find((entry) => entry.imageId === env[kind].images.version1.id);
    if (!first) throw new Error('the first image was not recorded');
    const rollback = await client.call('changes.preview', { serviceId: serviceId(), change: { action: 'containers.rollback', historyId: first.id } });
    expect(rollback.plans).toEqual([expect.objectContaining({ container: name, imageIdFrom: env[kind].images.version2.id, imageTo: env[kind].images.version1.id, imageIdTo: env[kind].images.version1.id })]);
    expect(rollback.lines).toEqual(expect.arrayContaining([{ path: `${name}: labels.org.opencontainers.image.version`, change: 'changed', before: '2', after: '1' }]));
    expect((await inspect()).Image).toBe(env[kind].images.version2.id);
    expect(await client.call('containers.rollback', { serviceId: serviceId(), historyId: first.id })).toMatchObject({ status: 'done' });
    expect((await client.call('audit.list', { limit: 1, action: 'container.rollback' })).rows[0]).toMatchObject({ outcome: 'success', details: { diff: rollback.summary } });
    expect((await inspect()).Image).toBe(env[kind].images.version1.id);
  });
});
