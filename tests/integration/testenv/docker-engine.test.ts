import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommandLine, useTestEnvironment } from '../../support/test-environment.ts';

const env = useTestEnvironment('docker');

describe('private dockerd from the test environment', () => {
  const docker = new Docker({ socketPath: env.docker.socketPath });
  const created: string[] = [];

  afterAll(async () => {
    await Promise.all(created.map((name) => docker.getContainer(name).remove({ force: true }).catch(() => undefined)));
  });

  it('runs a container started through dockerode, and the real docker CLI lists it on the private socket', async () => {
    const name = `kiops-testenv-${randomBytes(4).toString('hex')}`;
    created.push(name);
    const container = await docker.createContainer({
      name,
      Image: env.docker.images.version1.reference,
      Cmd: ['sleep', '300'],
      HostConfig: { NetworkMode: 'none' },
    });
    await container.start();

    const { stdout } = await runCommandLine(env.docker.cli, ['ps', '--no-trunc', '--format', '{{.Names}}|{{.Image}}|{{.Command}}|{{.Status}}']);
    const row = stdout.split('\n').find((line) => line.startsWith(`${name}|`));
    expect(row, `docker ps output:\n${stdout}`).toBeDefined();
    const [, image, command, status] = row?.split('|') ?? [];
    expect(image).toBe('kiops/busybox:1');
    expect(command).toBe('"sleep 300"');
    expect(status).toMatch(/^Up /);

    // The process really runs inside the container: the CLI's exec sees it as PID 1.
    const top = await runCommandLine(env.docker.cli, ['exec', name, 'ps', '-o', 'pid,comm']);
    expect(top.stdout).toMatch(/^\s*1\s+sleep$/m);

    await container.stop({ t: 0 });
    const after = await runCommandLine(env.docker.cli, ['ps', '--format', '{{.Names}}']);
    expect(after.stdout.split('\n')).not.toContain(name);
  });

  it('serves two different releases of the test image, so an image update is visible inside a container', async () => {
    const release = async (reference: string): Promise<string> => {
      const { stdout } = await runCommandLine(env.docker.cli, ['run', '--rm', '--network', 'none', reference, 'cat', '/etc/kiops-release']);
      return stdout.trim();
    };
    expect(await release('kiops/busybox:1')).toBe('1');
    expect(await release('kiops/busybox:2')).toBe('2');
    expect(await release('kiops/busybox:latest')).toBe('2');

    const { stdout } = await runCommandLine(env.docker.cli, ['images', '--no-trunc', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}', 'kiops/busybox']);
    const ids = new Map(stdout.trim().split('\n').map((line) => line.split(' ') as [string, string]));
    expect(ids.get('kiops/busybox:1')).toBe(env.docker.images.version1.id);
    expect(ids.get('kiops/busybox:2')).toBe(env.docker.images.version2.id);
    expect(ids.get('kiops/busybox:latest')).toBe(env.docker.images.version2.id);
    expect(env.docker.images.version1.id).not.toBe(env.docker.images.version2.id);
  });

  it('is a separate daemon with its own data root, not the machine default', async () => {
    const info = await docker.info();
    expect(info.DockerRootDir).toBe(env.docker.dataRoot);
    expect(info.Driver).toBe('vfs');
    expect(info.DockerRootDir).not.toBe('/var/lib/docker');
  });
});
