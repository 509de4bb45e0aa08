import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { againWhenPodmanLostOutput } from '../../support/podman-lost-output.ts';
import { runCommandLine, useTestEnvironment } from '../../support/test-environment.ts';

const env = useTestEnvironment('podman');

describe('private Podman API service from the test environment', () => {
  // Podman speaks the Docker API on its socket; the app talks to it through dockerode too.
  const podman = new Docker({ socketPath: env.podman.socketPath });
  const created: string[] = [];

  afterAll(async () => {
    await Promise.all(created.map((name) => podman.getContainer(name).remove({ force: true }).catch(() => undefined)));
  });

  function psRow(stdout: string, name: string): string[] | undefined {
    return stdout
      .split('\n')
      .find((line) => line.startsWith(`${name}|`))
      ?.split('|');
  }

  it('runs a container started through dockerode on the Podman socket, and the podman CLI lists it', async () => {
    const name = `kiops-testenv-${randomBytes(4).toString('hex')}`;
    created.push(name);
    const container = await podman.createContainer({
      name,
      Image: env.podman.images.version1.reference,
      Cmd: ['sleep', '300'],
      HostConfig: { NetworkMode: 'none' },
    });
    await container.start();

    const format = ['ps', '--format', '{{.Names}}|{{.Image}}|{{.Status}}'];
    // The local CLI reads the same private storage as the service; the remote CLI asks the service.
    for (const cli of [env.podman.cli, env.podman.remoteCli]) {
      const { stdout } = await runCommandLine(cli, format);
      const row = psRow(stdout, name);
      expect(row, `podman ps output:\n${stdout}`).toBeDefined();
      expect(row?.[1]).toBe('localhost/kiops/busybox:1');
      expect(row?.[2]).toMatch(/^Up /);
    }

    const catRelease = async () => (await runCommandLine(env.podman.cli, ['exec', name, 'cat', '/etc/kiops-release'])).stdout.trim();
    const release = await againWhenPodmanLostOutput(catRelease, (printed) => printed === '');
    expect(release).toBe('1');

    await container.stop({ t: 0 });
    const { stdout } = await runCommandLine(env.podman.cli, ['ps', '--format', '{{.Names}}']);
    expect(stdout.split('\n')).not.toContain(name);
  });

  it('has both releases of the test image, with :latest on release 2', async () => {
    const { stdout } = await runCommandLine(env.podman.cli, ['images', '--no-trunc', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}']);
    const ids = new Map(stdout.trim().split('\n').map((line) => line.split(' ') as [string, string]));
    const withPrefix = (id: string): string => (id.startsWith('sha256:') ? id : `sha256:${id}`);
    expect(withPrefix(ids.get('localhost/kiops/busybox:1') ?? '')).toBe(env.podman.images.version1.id);
    expect(withPrefix(ids.get('localhost/kiops/busybox:2') ?? '')).toBe(env.podman.images.version2.id);
    expect(withPrefix(ids.get('localhost/kiops/busybox:latest') ?? '')).toBe(env.podman.images.version2.id);

    const run = await runCommandLine(env.podman.cli, ['run', '--rm', 'kiops/busybox:latest', 'cat', '/etc/kiops-release']);
    expect(run.stdout.trim()).toBe('2');
  });

  it('keeps its storage in the private folder', async () => {
    const { stdout } = await runCommandLine(env.podman.cli, ['info', '--format', '{{.Store.GraphRoot}} {{.Store.GraphDriverName}}']);
    expect(stdout.trim()).toBe(`${env.podman.graphRoot} vfs`);
    expect(env.podman.graphRoot.startsWith(`${env.folder}/`)).toBe(true);
  });
});
