import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandStreamEvent } from '../../../shared/contract/commands.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { eventually, outputOf, Recorded, startCommandsCore, waitUntil, type CommandsCore } from './execution-support.ts';
import { addRemoteEngine as sharedAddRemoteEngine, remotePids as sharedRemotePids } from './remote-support.ts';

const env = useTestEnvironment('keyring', 'docker', 'ssh');

// The test sshd runs on this machine; "remote" means: reached over SSH through the app's pooled
// client, the stream going through RuntimeAccess.hostStream rather than a local spawn.
const stamp = Date.now().toString(36);
const ticker = `cmdrs${stamp}ticker`;
const chatty = `cmdrs${stamp}chatty`;
// The policy canonicalizes `logs -f --tail 1 X` to this; pgrep looks for it on the host.
const followTicker = `logs --follow --tail=1 ${ticker}`;
const hostLabel = () => `${env.ssh.user}@${env.ssh.host}:${env.ssh.port}`;
const ended = (events: readonly CommandStreamEvent[]) => events.find((event) => event.kind === 'ended');
const outputEvents = (events: readonly CommandStreamEvent[]) => events.filter((event) => event.kind === 'output').length;

const addRemoteEngine = (app: CommandsCore) => sharedAddRemoteEngine(app, env);
const remotePids = (pattern: string) => sharedRemotePids(env, pattern);

const streamingRow = (app: CommandsCore) =>
  eventually(async () => {
    const newest = await app.newestAudit();
    return newest?.details['mode'] === 'streaming' ? newest : undefined;
  }, 30_000, 'the streaming row');

let docker: Docker;

beforeAll(async () => {
  docker = new Docker({ socketPath: env.docker.socketPath });
  const specs = [
    { name: ticker, cmd: ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 0.1; done'] },
    { name: chatty, cmd: ['sh', '-c', 'seq 1 20000; sleep 600'] },
  ];
  for (const spec of specs) {
    const container = await docker.createContainer({ name: spec.name, Image: env.docker.images.version1.reference, Cmd: spec.cmd, StopSignal: 'SIGKILL', HostConfig: { NetworkMode: 'none' } });
    await container.start();
  }
});

afterAll(async () => {
  await Promise.all([ticker, chatty].map((name) => docker?.getContainer(name).remove({ force: true }).catch(() => undefined)));
});

describe('Streaming commands on a Docker host reached over SSH', () => {
  let app: CommandsCore;
  let remote: Awaited<ReturnType<typeof addRemoteEngine>>;
  let localTicker = '';

  beforeAll(async () => {
    app = await startCommandsCore();
    remote = await addRemoteEngine(app);
    const local = await app.client.call('environments.addEngine', { name: 'local docker', engine: 'docker', socketPath: env.docker.socketPath });
    localTicker = `${local.id}:container:${ticker}`;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('commands.context offers streaming for the SSH host', async () => {
    expect(await app.client.call('commands.context', { serviceId: remote.service(ticker) })).toMatchObject({ remoteHost: hostLabel(), streamingAvailable: true });
  });

  it('docker logs -f on the host delivers output incrementally; Stop kills the remote process and the row is audited', async () => {
    const before = app.spawned.length;
    const line = `docker logs -f --tail 1 ${ticker}`;
    const stream = new Recorded(app.client, 'commands.stream', { serviceId: remote.service(ticker), line });
    try {
      await waitUntil(() => outputOf(stream.events).includes('tick'), 15_000, 'first tick');
      const first = outputEvents(stream.events);
      await waitUntil(() => outputEvents(stream.events) >= first + 3, 30_000, 'more ticks later');
      expect(stream.events[0]).toMatchObject({ kind: 'started', running: 1, limit: 3, argvShown: ['docker', '--host=<engine-endpoint>', 'logs', '--follow', '--tail=1', ticker] });
      // The command and its watchdog wrapper (whose argv repeats the command's words).
      expect(await remotePids(followTicker)).not.toEqual([]);
    } finally {
      stream.cancel();
    }
    const row = await streamingRow(app);
    expect(app.spawned.length).toBe(before);
    expect(row).toMatchObject({
      outcome: 'success',
      target: `remote docker/host/${hostLabel()}`,
      details: { decision: 'ran', mode: 'streaming', endReason: 'stopped', host: hostLabel(), argv: ['docker', '--host=<engine-endpoint>', 'logs', '--follow', '--tail=1', ticker] },
    });
    expect(Number(row.details['bytesOut'])).toBeGreaterThan(0);
    expect(Number(row.details['durationMs'])).toBeGreaterThan(0);
    // the kill runs over a second SSH channel, which the stream waits for only up to 2 s
    await eventually(async () => ((await remotePids(followTicker)).length === 0 ? true : undefined), 30_000, 'no remote process left');
  });

  it('a host command that exits on its own ends with exited and its exit code', async () => {
    const stream = new Recorded(app.client, 'commands.stream', { serviceId: remote.service(ticker), line: 'uname -n' });
    await waitUntil(() => ended(stream.events), 15_000, 'the end');
    expect(ended(stream.events)).toMatchObject({ endReason: 'exited', exitCode: 0 });
    expect(outputOf(stream.events).trim().length).toBeGreaterThan(0);
    expect(await streamingRow(app)).toMatchObject({ outcome: 'success', details: { endReason: 'exited', exitCode: 0, argv: ['/usr/bin/uname', '-n'] } });
  });

  it('the 3-session limit counts local and remote streams together; the 4th is refused and audited', async () => {
    const open = (serviceId: string) => new Recorded(app.client, 'commands.stream', { serviceId, line: `docker logs -f --tail 1 ${ticker}` });
    const streams = [open(remote.service(ticker)), open(localTicker), open(remote.service(ticker))];
    try {
      await waitUntil(() => streams.every((stream) => stream.events.some((event) => event.kind === 'started')), 15_000, 'three streams');
      for (const serviceId of [remote.service(ticker), localTicker]) {
        const fourth = open(serviceId);
        await waitUntil(() => fourth.ended, 30_000, 'the fourth refused');
        expect(fourth.ended).toMatchObject({ reason: 'error', error: { code: 'LIMIT_REACHED', details: { running: 3, limit: 3 } } });
        expect(await app.newestAudit()).toMatchObject({ outcome: 'refused', details: { decision: 'limit-reached', mode: 'streaming' } });
      }
      streams[0]?.cancel();
      await eventually(async () => ((await app.client.call('commands.context', { serviceId: localTicker })).sessions.running === 2 ? true : undefined), 30_000, 'a slot freed');
      const again = open(remote.service(ticker));
      streams.push(again);
      await waitUntil(() => again.events.some((event) => event.kind === 'started'), 15_000, 'a remote stream in the freed slot');
    } finally {
      for (const stream of streams) stream.cancel();
    }
    await eventually(async () => ((await app.client.call('commands.context', { serviceId: localTicker })).sessions.running === 0 ? true : undefined), 30_000, 'all slots freed');
    await eventually(async () => ((await remotePids(followTicker)).length === 0 ? true : undefined), 30_000, 'no remote process left');
  });
});

describe('Remote streaming limits (small limits injected into the core)', () => {
  let app: CommandsCore;
  let remote: Awaited<ReturnType<typeof addRemoteEngine>>;

  beforeAll(async () => {
    app = await startCommandsCore({ commands: { streamLimits: { timeLimitMs: 3_000, outputLimitBytes: 4_096 } } });
    remote = await addRemoteEngine(app);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('a remote stream ends at its time limit with time-limit, and the remote process is gone', async () => {
    const line = `docker logs -f --tail 1 ${ticker}`;
    const timed = new Recorded(app.client, 'commands.stream', { serviceId: remote.service(ticker), line });
    await waitUntil(() => outputOf(timed.events).includes('tick'), 15_000, 'first tick');
    // no check that the process runs here: on a loaded machine the short limit may already have
    // ended it (the Stop test above shows the remote process while it streams)
    await waitUntil(() => ended(timed.events), 30_000, 'the time limit');
    expect(ended(timed.events)).toMatchObject({ endReason: 'time-limit', exitCode: null });
    expect(outputOf(timed.events)).toContain('tick');
    expect(await streamingRow(app)).toMatchObject({ outcome: 'failure', details: { endReason: 'time-limit', mode: 'streaming', host: hostLabel() } });
    // the kill runs over a second SSH channel, which the stream waits for only up to 2 s
    await eventually(async () => ((await remotePids(followTicker)).length === 0 ? true : undefined), 30_000, 'no remote process left');
  });

  it('a remote stream is cut exactly at its output limit, and the remote process is gone', async () => {
    const big = new Recorded(app.client, 'commands.stream', { serviceId: remote.service(chatty), line: `docker logs -f ${chatty}` });
    await waitUntil(() => ended(big.events), 15_000, 'the output limit');
    expect(ended(big.events)).toMatchObject({ endReason: 'output-limit', bytes: 4_096 });
    expect(Buffer.byteLength(outputOf(big.events))).toBe(4_096);
    expect(outputOf(big.events).startsWith('1\n2\n3\n')).toBe(true);
    expect(await streamingRow(app)).toMatchObject({ outcome: 'failure', details: { endReason: 'output-limit', bytesOut: 4_096, mode: 'streaming' } });
    await eventually(async () => ((await remotePids(`logs --follow ${chatty}`)).length === 0 ? true : undefined), 30_000, 'no remote process left');
  });
});
