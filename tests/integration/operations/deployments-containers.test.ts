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

describe.each(['docker', 'podman'] as const)('Deployment Management (%s): redeploy and image update through the contract', (kind) => {
  let core: KiopsCore;
  let client: KiopsClient;
  let docker: Docker;
  const dataDir = mkdtempSync(join(tmpdir(), 'kiops-redeploy-'));
  const project = `redeploy${Date.now().toString(36)}${kind}`;
  const name = `${project}-web-1`;
  const ids = { manager: '', readonly: '' };
  const serviceId = (which: 'manager' | 'readonly' = 'manager') => `${ids[which]}:compose:${project}`;
  const containerId = async () => (await docker.getContainer(name).inspect()).Id;
  const newestAudit = async (action: string) => (await client.call('audit.list', { limit: 1, action })).rows[0];

  beforeAll(async () => {
    writeFileSync(join(dataDir, 'organisation-policy.yaml'), 'version: 1\ndefault: [logs, commands, management]\nrules:\n  - match: { name: "readonly-*" }\n    allow: [logs]\n');
    core = await createKiopsCore({ dataDir, shell: 'browser', version: 'test', keychainService: `kiops-redeploy-test-${randomUUID()}`, probeTimeoutMs: 20_000, logger: { error: () => {}, warn: () => {} } });
    core.senderPolicy.allow((sender) => sender.origin === 'redeploy-test');
    client = createClient(createMemoryTransport(core.router, { transport: 'memory', origin: 'redeploy-test' }));
    ids.manager = (await client.call('environments.addEngine', { name: `local ${kind}`, engine: kind, socketPath: env[kind].socketPath })).id;
    ids.readonly = (await client.call('environments.addEngine', { name: `readonly-${kind}`, engine: kind, socketPath: env[kind].socketPath })).id;
    docker = new Docker({ socketPath: env[kind].socketPath });
    const container = await docker.createContainer({
      name,
      Image: env[kind].images.version1.reference,
      Cmd: ['sleep', '600'],
      Env: ['GREETING=hello', 'MODE=blue'],
      Labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': 'web', team: 'payments' },
      StopSignal: 'SIGKILL',
      HostConfig: { NetworkMode: 'none', RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 } },
    });
    await container.start();
  });

  afterAll(async () => {
    const leftovers = await docker?.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${project}`] } }).catch(() => []);
    for (const leftover of leftovers ?? []) await docker.getContainer(leftover.Id).remove({ force: true }).catch(() => undefined);
    for (const key of (await core?.secrets.list('').catch(() => [])) ?? []) await core.secrets.delete(key).catch(() => false);
    await core?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('containers.deployment lists the container with its image and the local tags of that repository', async () => {
    const view = await client.call('containers.deployment', { serviceId: serviceId() });
    expect(view.production).toBe(false);
    expect(view.containers).toHaveLength(1);
    expect(view.containers[0]).toMatchObject({ name, state: 'running' });
    expect(view.containers[0]?.localTags.some((tag) => tag.endsWith('kiops/busybox:2'))).toBe(true);
    expect(view.containers[0]?.localTags.some((tag) => tag.endsWith('kiops/busybox:1'))).toBe(true);
  });

  it('redeploy with kiops/busybox:2 keeps name, labels, env and restart policy and runs the new release', async () => {
    const before = await docker.getContainer(name).inspect();
    expect(await releaseOf(docker, name)).toBe('1');
    const result = await client.call('containers.redeploy', { serviceId: serviceId(), containerId: before.Id, image: 'kiops/busybox:2', stopTimeoutSeconds: 2 });
    expect(result).toMatchObject({ status: 'done', name, toImage: 'kiops/busybox:2' });
    const after = await docker.getContainer(name).inspect();
    expect(after.Id).not.toBe(before.Id);
    expect(after.State.Running).toBe(true);
    expect(after.Config.Labels).toMatchObject({ 'com.docker.compose.project': project, 'com.docker.compose.service': 'web', team: 'payments' });
    expect(after.Config.Env).toEqual(expect.arrayContaining(['GREETING=hello', 'MODE=blue']));
    expect(after.HostConfig.RestartPolicy).toMatchObject({ Name: 'on-failure', MaximumRetryCount: 3 });
    expect(after.HostConfig.NetworkMode).toBe(before.HostConfig.NetworkMode);
    expect(await releaseOf(docker, name)).toBe('2');
    // The old container is gone, not left renamed.
    await expect(docker.getContainer(before.Id).inspect()).rejects.toBeTruthy();
    expect(await newestAudit('container.redeploy')).toMatchObject({ outcome: 'success', target: `${kind}/container/${name}`, details: { imageTo: 'kiops/busybox:2', container: name } });
    expect(String((await newestAudit('container.redeploy'))?.details.imageFrom)).toContain('kiops/busybox:1');
  });

  it('redeploy without an image recreates the container on the same image', async () => {
    const before = await containerId();
    expect(await client.call('containers.redeploy', { serviceId: serviceId(), containerId: before, stopTimeoutSeconds: 1 })).toMatchObject({ status: 'done', toImage: expect.stringContaining('kiops/busybox:2') });
    expect(await containerId()).not.toBe(before);
    expect(await releaseOf(docker, name)).toBe('2');
  });

  it('a nonexistent image fails readably with the pull error, and the old container keeps running', async () => {
    const before = await containerId();
    const attempt = client.call('containers.redeploy', { serviceId: serviceId(), containerId: before, image: 'kiops/does-not-exist:9' });
    await expect(attempt).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/^Image "kiops\/does-not-exist:9" is not on .+ and could not be pulled: .+/) });
    const still = await docker.getContainer(name).inspect();
    expect(still.Id).toBe(before);
    expect(still.State.Running).toBe(true);
    expect(await newestAudit('container.redeploy')).toMatchObject({ outcome: 'failure', details: { imageTo: 'kiops/does-not-exist:9' } });
  });

  it('without management, main refuses (audited) and the container is untouched', async () => {
    const before = await containerId();
    await expect(client.call('containers.redeploy', { serviceId: serviceId('readonly'), containerId: before, image: 'kiops/busybox:1' })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(await containerId()).toBe(before);
    expect(await newestAudit('container.redeploy')).toMatchObject({ outcome: 'refused', environmentId: ids.readonly });
  });

  it('in production the action must be repeated before it runs', async () => {
    await client.call('environments.update', { id: ids.manager, production: true });
    try {
      const before = await containerId();
      const asked = await client.call('containers.redeploy', { serviceId: serviceId(), containerId: before, image: 'kiops/busybox:1' });
      expect(asked).toEqual({ status: 'needs-confirmation', confirmText: project, message: expect.stringContaining('production') });
      expect(await containerId()).toBe(before);
      const done = await client.call('containers.redeploy', { serviceId: serviceId(), containerId: before, image: 'kiops/busybox:1', stopTimeoutSeconds: 1, confirmation: project });
      expect(done.status).toBe('done');
      expect(await releaseOf(docker, name)).toBe('1');
    } finally {
      await client.call('environments.update', { id: ids.manager, production: false });
    }
  });

  it('the audit trail verifies', async () => {
    expect(await client.call('audit.verify', {})).toMatchObject({ ok: true });
  });
});
