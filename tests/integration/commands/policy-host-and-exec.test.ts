import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveHostTools } from '../../../electron/main/commands/host-commands.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { allowEverythingPolicy, Recorded, startCommandsCore, waitUntil, type CommandsCore } from './execution-support.ts';

const env = useTestEnvironment('keyring', 'docker', 'podman');
const run = promisify(execFile);

/** Every prefix getopt_long would accept for a long option. */
const prefixes = (name: string, from = 1): string[] => Array.from({ length: name.length - from + 1 }, (_, i) => `--${name.slice(0, from + i)}`);

describe.each(['docker', 'podman'] as const)('%s, production: host commands (class 4) and exec confirmation (class 2) through the contract', (engine) => {
  let app: CommandsCore;
  let docker: Docker;
  let serviceId = '';
  const project = `cmdhost${Date.now().toString(36)}${engine}`;
  const container = `${project}-web-1`;

  beforeAll(async () => {
    docker = new Docker({ socketPath: env[engine].socketPath });
    const created = await docker.createContainer({ name: container, Image: env[engine].images.version1.reference, Cmd: ['sleep', '600'], Labels: { 'com.docker.compose.project': project }, StopSignal: 'SIGKILL', HostConfig: { NetworkMode: 'none' } });
    await created.start();
    app = await startCommandsCore({ policyYaml: allowEverythingPolicy });
    const environmentId = (await app.client.call('environments.addEngine', { name: `prod ${engine}`, engine, socketPath: env[engine].socketPath, production: true })).id;
    serviceId = `${environmentId}:compose:${project}`;
  });

  afterAll(async () => {
    await app?.close();
    await docker.getContainer(container).remove({ force: true }).catch(() => undefined);
  });

  it('ss --ki (any prefix of --kill), -K, -D FILE, --diag: refused and never spawned', async () => {
    const spawned = app.spawned.length;
    const lines = [...prefixes('kill').map((p) => `ss ${p}`), 'ss -K', 'ss -tnK', 'ss -D /tmp/kiops-ss-out', 'ss -tD/tmp/kiops-ss-out', ...prefixes('diag', 2).map((p) => `ss ${p}=/tmp/kiops-ss-out`)];
    for (const line of lines) {
      expect(await app.client.call('commands.run', { serviceId, line }), line).toMatchObject({ decision: 'blocked', rule: 'invalid-argument' });
      expect(await app.newestAudit(), line).toMatchObject({ outcome: 'refused', details: { decision: 'blocked', rule: 'invalid-argument' } });
    }
    expect(app.spawned.length).toBe(spawned);
  });

  it('file-writing tools are refused; the lscpu that runs is the root-owned one, whatever PATH holds', async () => {
    const spawned = app.spawned.length;
    for (const line of ['cp /bin/sh /usr/local/bin/lscpu', 'mv /tmp/a /tmp/b', 'dd if=/dev/zero of=/tmp/kiops-dd count=1', 'tee /tmp/kiops-tee', 'kill -9 1', 'touch /tmp/kiops-touch', 'truncate -s0 /tmp/x']) {
      expect(await app.client.call('commands.run', { serviceId, line }), line).toMatchObject({ decision: 'blocked', rule: 'host-command-not-allowed' });
    }
    expect(app.spawned.length).toBe(spawned);
    const lscpu = await app.client.call('commands.run', { serviceId, line: 'lscpu' });
    expect(lscpu).toMatchObject({ decision: 'ran', exitCode: 0, argvShown: ['/usr/bin/lscpu'] });
    expect(app.spawned.at(-1)?.[0]).toBe('/usr/bin/lscpu');
  });

  it('a folder anyone can write to never supplies a host tool', () => {
    const folder = mkdtempSync(join(tmpdir(), 'kiops-path-'));
    try {
      writeFileSync(join(folder, 'lscpu'), '#!/bin/sh\nid\n', { mode: 0o755 });
      expect(resolveHostTools([folder]).get('lscpu')).toBeUndefined();
      expect(resolveHostTools().get('lscpu')).toBe('/usr/bin/lscpu');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('tail --fo (a prefix of --follow) is streaming only', async () => {
    for (const option of ['--fo', '--f', '--follow=name', '-f', '-qF', '-fn1']) {
      expect(await app.client.call('commands.run', { serviceId, line: `tail ${option} /etc/hostname` }), option).toMatchObject({ decision: 'blocked', rule: 'follow-watch' });
    }
    const stream = new Recorded(app.client, 'commands.stream', { serviceId, line: 'tail --fo -n 1 /etc/hostname' });
    try {
      await waitUntil(() => stream.events.some((event) => event.kind === 'started'), 30_000, 'the follow stream');
      expect(stream.events.find((event) => event.kind === 'started')).toMatchObject({ argvShown: ['/usr/bin/tail', '--fo', '-n', '1', '/etc/hostname'] });
    } finally {
      stream.cancel();
    }
  });

  it('every exec in production asks first unless it only reads: selected container and engine CLI alike', async () => {
    const spawned = app.spawned.length;
    for (const wrapper of ['', 'env ', 'nice ', 'timeout 5 ', 'busybox ', 'xargs ']) {
      for (const command of ['rm -rf /tmp/x', 'touch /tmp/x', "sh -c 'id'", 'find /tmp -delete', 'kill 1']) {
        const inside = `${wrapper}${command}`;
        expect(await app.client.call('commands.run', { serviceId, line: inside, container }), inside).toMatchObject({ decision: 'needs-confirmation' });
        expect(await app.client.call('commands.run', { serviceId, line: `${engine} exec ${container} ${inside}` }), inside).toMatchObject({ decision: 'needs-confirmation' });
      }
    }
    expect(app.spawned.length).toBe(spawned);
    const read = await app.client.call('commands.run', { serviceId, line: 'cat /etc/kiops-release', container });
    expect(read).toMatchObject({ decision: 'ran', exitCode: 0 });
  });

  it(`the real ${engine} CLI has no long-flag abbreviations either`, async () => {
    for (const flag of ['--al', '--quie', '--form={{.ID}}']) {
      const stderr = await run(engine === 'docker' ? 'docker' : 'podman', [engine === 'docker' ? `--host=unix://${env[engine].socketPath}` : `--url=unix://${env[engine].socketPath}`, 'ps', flag]).then(
        () => '',
        (error: { stderr?: string }) => error.stderr ?? '',
      );
      expect(stderr, flag).toMatch(/unknown flag/);
      expect(await app.client.call('commands.run', { serviceId, line: `${engine} ps '${flag}'` }), flag).toMatchObject({ decision: 'blocked', rule: 'flag-not-allowed' });
    }
  });
});
