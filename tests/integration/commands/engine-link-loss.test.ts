import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { eventually, outputOf, Recorded, startCommandsCore, waitUntil, type CommandsCore } from './execution-support.ts';

// Issue 16: a local `logs --follow` whose link to the engine is cut exits 0, as it does when its
// container stops. The app asks the engine afterwards and records the cut as link lost.
const env = useTestEnvironment('keyring', 'docker', 'podman');

/** A unix-socket relay in front of the engine whose open connections the test can cut. */
async function startUnixRelay(folder: string, target: string): Promise<{ path: string; cut(): void; close(): Promise<void> }> {
  const path = join(folder, 'engine.sock');
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const cut = (): void => {
    for (const socket of [...sockets]) socket.destroy();
  };
  return { path, cut, close: () => new Promise<void>((resolve) => (cut(), server.close(() => resolve()))) };
}

describe.each(['docker', 'podman'] as const)('local %s logs --follow', (kind) => {
  const stamp = Date.now().toString(36);
  const ticker = `cmdel${stamp}${kind}`;
  let folder: string;
  let relay: Awaited<ReturnType<typeof startUnixRelay>>;
  let app: CommandsCore;
  let docker: Docker;
  let serviceId = '';

  beforeAll(async () => {
    docker = new Docker({ socketPath: env[kind].socketPath });
    const created = await docker.createContainer({ name: ticker, Image: env[kind].images.version1.reference, Cmd: ['sh', '-c', 'i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.2; done'], StopSignal: 'SIGKILL', HostConfig: { NetworkMode: 'none' } });
    await created.start();
    folder = mkdtempSync(join(tmpdir(), 'kiops-engine-relay-'));
    relay = await startUnixRelay(folder, env[kind].socketPath);
    app = await startCommandsCore();
    const engine = await app.client.call('environments.addEngine', { name: `relayed ${kind}`, engine: kind, socketPath: relay.path });
    serviceId = `${engine.id}:container:${ticker}`;
  });

  afterAll(async () => {
    await app?.close();
    await relay?.close();
    await docker?.getContainer(ticker).remove({ force: true }).catch(() => undefined);
    rmSync(folder, { recursive: true, force: true });
  });

  const streamRow = () =>
    eventually(async () => {
      const newest = await app.newestAudit();
      return newest?.details['mode'] === 'streaming' ? newest : undefined;
    }, 30_000, 'the streaming row');

  it('cut while the container runs: ends as link lost, audited as a failure', async () => {
    const stream = new Recorded(app.client, 'commands.stream', { serviceId, line: `${kind} logs -f --tail 1 ${ticker}` });
    await waitUntil(() => outputOf(stream.events).includes('tick'), 15_000, 'a tick');
    relay.cut();
    const end = await waitUntil(() => stream.events.find((event) => event.kind === 'ended'), 15_000, 'the end');
    expect(end).toMatchObject({ endReason: 'link-lost' });
    expect(await streamRow()).toMatchObject({ outcome: 'failure', details: { endReason: 'link-lost' }, error: expect.stringMatching(/^Link lost: /) });
  });

  it('the container stopping still ends the follow as exited', async () => {
    const stream = new Recorded(app.client, 'commands.stream', { serviceId, line: `${kind} logs -f --tail 1 ${ticker}` });
    await waitUntil(() => outputOf(stream.events).includes('tick'), 15_000, 'a tick');
    await docker.getContainer(ticker).kill();
    const end = await waitUntil(() => stream.events.find((event) => event.kind === 'ended'), 15_000, 'the end');
    expect(end).toMatchObject({ endReason: 'exited' });
    expect(await streamRow()).toMatchObject({ details: { endReason: 'exited' } });
  });
});
