import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { startTestCore, type TestCore } from './support/core.ts';

const run = promisify(execFile);
const env = useTestEnvironment('keyring', 'docker');

// environments.detectEngines reads the app's own environment (process.env) at the time it is
// asked, as the docker CLI would: DOCKER_HOST is set here per test and restored afterwards.
describe('environments.detectEngines', () => {
  let app: TestCore;
  let scratch: string;
  const savedDockerHost = process.env.DOCKER_HOST;

  beforeAll(async () => {
    app = await startTestCore();
    scratch = await mkdtemp(join(tmpdir(), 'kiops-detect-'));
  });
  afterEach(() => {
    if (savedDockerHost === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = savedDockerHost;
  });
  afterAll(async () => {
    await app?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  const detect = async () => (await app.client.call('environments.detectEngines', {})).candidates;

  it('finds the test dockerd through DOCKER_HOST, answering, with its version', async () => {
    process.env.DOCKER_HOST = env.docker.host;
    const found = (await detect()).find((c) => c.socketPath === env.docker.socketPath);
    expect(found).toMatchObject({ engine: 'docker', source: 'DOCKER_HOST', answers: true, version: env.docker.engineVersion, alreadyAdded: false });
    expect(found?.problem).toBeUndefined();

    // Once added, the same socket is marked as such.
    await app.client.call('environments.addEngine', { name: 'test dockerd', engine: 'docker', socketPath: env.docker.socketPath });
    expect((await detect()).find((c) => c.socketPath === env.docker.socketPath)).toMatchObject({ answers: true, alreadyAdded: true });
  });

  it('lists a DOCKER_HOST whose socket does not exist, saying so', async () => {
    const missing = join(scratch, 'missing.sock');
    process.env.DOCKER_HOST = `unix://${missing}`;
    const found = (await detect()).find((c) => c.socketPath === missing);
    expect(found).toMatchObject({ engine: 'docker', source: 'DOCKER_HOST', answers: false, problem: `No socket at ${missing}.` });
    expect(found?.version).toBeUndefined();
  });

  it('lists a dead socket (a socket file nobody listens on) with a readable problem', async () => {
    const dead = join(scratch, 'dead.sock');
    // bind() without listen(), then exit: the socket file stays and connecting is refused.
    await run('python3', ['-c', 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', dead]);
    expect((await stat(dead)).isSocket()).toBe(true);
    process.env.DOCKER_HOST = `unix://${dead}`;
    const found = (await detect()).find((c) => c.socketPath === dead);
    expect(found).toMatchObject({ engine: 'docker', source: 'DOCKER_HOST', answers: false, problem: 'The socket does not answer _ping (is the engine running?).' });
  });

  it('does not list DOCKER_HOST when it is not a local unix socket', async () => {
    process.env.DOCKER_HOST = 'tcp://127.0.0.1:1';
    expect((await detect()).filter((c) => c.source === 'DOCKER_HOST')).toEqual([]);
  });
});
