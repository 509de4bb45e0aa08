import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandStreamEvent } from '../../../shared/contract/commands.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { outputOf, Recorded, startCommandsCore, waitUntil, type CommandsCore } from './execution-support.ts';
import { addRemoteEngine } from './remote-support.ts';

// Class 6 of issue 10: the streaming cut is on what the UI receives. Binary output decodes to
// U+FFFD (3 bytes per invalid byte), so counting raw bytes let the screen get up to 3× the limit.
const env = useTestEnvironment('keyring', 'docker', 'ssh');

const limit = 64 * 1024;
const stamp = Date.now().toString(36);
const container = `cmddb${stamp}`;
const ended = (events: readonly CommandStreamEvent[]) => events.find((event) => event.kind === 'ended');
const delivered = (events: readonly CommandStreamEvent[]) => Buffer.byteLength(outputOf(events)) + Buffer.byteLength(outputOf(events, 'stderr'));

let docker: Docker;
let app: CommandsCore;
const services: Record<string, string> = {};

beforeAll(async () => {
  docker = new Docker({ socketPath: env.docker.socketPath });
  const created = await docker.createContainer({ name: container, Image: env.docker.images.version1.reference, Cmd: ['sleep', '600'], StopSignal: 'SIGKILL', HostConfig: { NetworkMode: 'none' } });
  await created.start();
  app = await startCommandsCore({ commands: { streamLimits: { outputLimitBytes: limit }, oneShotLimits: { outputLimitBytes: limit } } });
  const local = await app.client.call('environments.addEngine', { name: 'local docker', engine: 'docker', socketPath: env.docker.socketPath });
  services['this machine'] = `${local.id}:container:${container}`;
  services['SSH host'] = (await addRemoteEngine(app, env)).service(container);
});

afterAll(async () => {
  await app?.close();
  await docker?.getContainer(container).remove({ force: true }).catch(() => undefined);
});

// Each source is binary in its own way: random bytes, an executable, and bytes inside a container.
const sources = [
  { name: 'random bytes', line: 'head -c 400000 /dev/urandom', inContainer: false },
  { name: 'an executable file', line: 'cat /bin/ls', inContainer: false },
  { name: 'busybox inside the container', line: 'cat /bin/busybox', inContainer: true },
];

describe.each(['this machine', 'SSH host'])('binary output streamed on %s', (where) => {
  it.each(sources)('$name: the UI receives at most the limit, and the row counts the same bytes', async ({ line, inContainer }) => {
    const request = { serviceId: services[where] ?? '', line, ...(inContainer ? { container } : {}) };
    const stream = new Recorded(app.client, 'commands.stream', request);
    await waitUntil(() => ended(stream.events), 20_000, 'the output limit');
    const end = ended(stream.events);
    expect(end).toMatchObject({ endReason: 'output-limit' });
    expect(outputOf(stream.events)).toContain('\uFFFD');
    expect(delivered(stream.events)).toBeLessThanOrEqual(limit);
    expect(delivered(stream.events)).toBeGreaterThan(limit - 4);
    expect(end?.kind === 'ended' ? end.bytes : -1).toBe(delivered(stream.events));
    const row = await app.newestAudit();
    expect(row).toMatchObject({ details: { mode: 'streaming', endReason: 'output-limit', bytesOut: delivered(stream.events) } });
  });

  it.each(sources)('one-shot, $name: the returned output is at most the limit', async ({ line, inContainer }) => {
    const result = await app.client.call('commands.run', { serviceId: services[where] ?? '', line, ...(inContainer ? { container } : {}) });
    if (result.decision !== 'ran') throw new Error(`expected ran, got ${JSON.stringify(result)}`);
    const bytes = Buffer.byteLength(result.stdout) + Buffer.byteLength(result.stderr);
    expect(result.stdout).toContain('\uFFFD');
    expect(result.truncated).toBe(true);
    expect(bytes).toBeLessThanOrEqual(limit);
    expect(bytes).toBeGreaterThan(limit - 4);
  });
});
