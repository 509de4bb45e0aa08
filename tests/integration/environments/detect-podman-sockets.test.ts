import { mkdirSync, symlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { startTestCore, type TestCore } from './support/core.ts';

const env = useTestEnvironment('keyring', 'podman');

// Rootless Podman ($XDG_RUNTIME_DIR/podman/podman.sock) and `podman machine` API sockets (Podman 4:
// <data home>/containers/podman/machine/<provider>/podman.sock; Podman 5: <runtime dir>/podman/<name>-api.sock)
// are found where the CLIs put them. Each place here is a link to the test Podman service's socket,
// so each must answer as Podman.
describe('Podman sockets where Podman puts them', () => {
  let app: TestCore;
  let scratch: string;
  const places: Record<string, string> = {};

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'kiops-podman-places-'));
    const runtimeDir = join(scratch, 'run');
    const dataHome = join(scratch, 'data');
    places['podman-rootless'] = join(runtimeDir, 'podman', 'podman.sock');
    places['podman-machine'] = join(dataHome, 'containers', 'podman', 'machine', 'qemu', 'podman.sock');
    places['podman-machine-5'] = join(runtimeDir, 'podman', 'kiops-test-machine-api.sock');
    for (const path of Object.values(places)) {
      mkdirSync(join(path, '..'), { recursive: true });
      symlinkSync(env.podman.socketPath, path);
    }
    app = await startTestCore({ host: { env: { XDG_RUNTIME_DIR: runtimeDir, XDG_DATA_HOME: dataHome }, homeDir: scratch } });
  });
  afterAll(async () => {
    await app?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it.each([
    ['podman-rootless', 'podman-rootless'],
    ['podman-machine', 'podman-machine'],
    ['podman-machine-5', 'podman-machine'],
  ])('finds %s, answering as Podman', async (place, source) => {
    const candidates = (await app.client.call('environments.detectEngines', {})).candidates;
    expect(candidates.find((c) => c.socketPath === places[place])).toMatchObject({ engine: 'podman', source, answers: true, version: env.podman.engineVersion, alreadyAdded: false });
  });
});
