import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import Docker from 'dockerode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { eventually, Recorded, startCommandsCore, waitUntil, type CommandsCore } from './execution-support.ts';

// Class 6 of issue 10: the 3-session limit belongs to the operator, not to one app process.
// Two app instances share it through the slot folder; a crashed instance's slots are free again.
const env = useTestEnvironment('keyring', 'docker');

const stamp = Date.now().toString(36);
const container = `cmdsl${stamp}`;
const operator = userInfo().username;
const slotsModule = resolve('electron/main/commands/session-slots.ts');
let shared: string;
let docker: Docker;

/** Another app instance, as a separate OS process holding `count` slots until it is killed or told to exit. */
function otherInstance(count: number, exitAfterTaking = false): { child: ChildProcess; holding: Promise<void> } {
  const script = `
    import { SessionSlots } from ${JSON.stringify(slotsModule)};
    const slots = new SessionSlots(${JSON.stringify(shared)}, 3);
    for (let i = 0; i < ${count}; i += 1) if (slots.take(${JSON.stringify(operator)}) === undefined) process.exit(3);
    process.stdout.write('holding\\n');
    if (${exitAfterTaking}) process.exit(0);
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const holding = new Promise<void>((resolveHolding, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => (chunk.toString().includes('holding') ? resolveHolding() : undefined));
    child.once('exit', (code) => reject(new Error(`the other instance exited with ${code}`)));
  });
  holding.catch(() => undefined);
  return { child, holding };
}

const slotFiles = (): string[] => readdirSync(shared).filter((name) => name.endsWith('.slot'));

beforeAll(async () => {
  docker = new Docker({ socketPath: env.docker.socketPath });
  const created = await docker.createContainer({ name: container, Image: env.docker.images.version1.reference, Cmd: ['sleep', '600'], StopSignal: 'SIGKILL', HostConfig: { NetworkMode: 'none' } });
  await created.start();
});

afterAll(async () => {
  await docker?.getContainer(container).remove({ force: true }).catch(() => undefined);
});

describe('the streaming limit across app instances of one operator', () => {
  const apps: CommandsCore[] = [];
  const streams: Recorded<'commands.stream'>[] = [];
  const children: ChildProcess[] = [];
  const serviceOf: Map<CommandsCore, string> = new Map();

  async function instance(): Promise<CommandsCore> {
    const app = await startCommandsCore({ commands: { sessionsDir: shared } });
    apps.push(app);
    const engine = await app.client.call('environments.addEngine', { name: 'local docker', engine: 'docker', socketPath: env.docker.socketPath });
    serviceOf.set(app, `${engine.id}:container:${container}`);
    return app;
  }

  function open(app: CommandsCore): Recorded<'commands.stream'> {
    const stream = new Recorded(app.client, 'commands.stream', { serviceId: serviceOf.get(app) ?? '', line: `docker logs -f ${container}` });
    streams.push(stream);
    return stream;
  }

  const started = (stream: Recorded<'commands.stream'>) => waitUntil(() => stream.events.some((event) => event.kind === 'started'), 15_000, 'started');
  const refused = async (stream: Recorded<'commands.stream'>) => {
    await waitUntil(() => stream.ended, 30_000, 'the refusal');
    expect(stream.ended).toMatchObject({ reason: 'error', error: { code: 'LIMIT_REACHED', details: { running: 3, limit: 3 } } });
  };

  beforeAll(() => {
    shared = mkdtempSync(join(tmpdir(), 'kiops-slots-'));
  });

  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.cancel();
    for (const child of children.splice(0)) child.kill('SIGKILL');
    for (const app of apps.splice(0)) await app.close();
    await eventually(async () => (slotFiles().length === 0 ? true : undefined), 30_000, 'every slot released');
  });

  afterAll(() => rmSync(shared, { recursive: true, force: true }));

  it('two instances get 3 together, not 3 each; a stop in one frees a slot for the other', async () => {
    const [first, second] = [await instance(), await instance()];
    if (first === undefined || second === undefined) throw new Error('two instances');
    const mine = [open(first), open(first)];
    await Promise.all(mine.map(started));
    await started(open(second));
    expect((await second.client.call('commands.context', { serviceId: serviceOf.get(second) ?? '' })).sessions).toEqual({ running: 3, limit: 3 });
    await refused(open(second));
    await refused(open(first));
    expect(await second.newestAudit()).toMatchObject({ outcome: 'refused', details: { decision: 'limit-reached' } });
    mine[0]?.cancel();
    await eventually(async () => ((await second.client.call('commands.context', { serviceId: serviceOf.get(second) ?? '' })).sessions.running === 2 ? true : undefined), 30_000, 'a slot freed');
    await started(open(second));
  });

  it.each([1, 2, 3])('an instance killed with SIGKILL while holding %i slot(s) holds none afterwards', async (held) => {
    const app = await instance();
    const other = otherInstance(held);
    children.push(other.child);
    await other.holding;
    for (let i = held; i < 3; i += 1) await started(open(app));
    await refused(open(app));
    other.child.kill('SIGKILL');
    await new Promise((resolveExit) => other.child.once('exit', resolveExit));
    for (let i = 0; i < held; i += 1) await started(open(app));
    await refused(open(app));
  });

  it('an instance that exits releases its slots', async () => {
    const other = otherInstance(3, true);
    children.push(other.child);
    await other.holding;
    await new Promise((resolveExit) => (other.child.exitCode !== null ? resolveExit(undefined) : other.child.once('exit', resolveExit)));
    expect(slotFiles()).toEqual([]);
  });
});
