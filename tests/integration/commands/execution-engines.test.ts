import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandStreamEvent } from '../../../shared/contract/commands.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { eventually, outputOf, Recorded, runReadingOutput, startCommandsCore, waitUntil, type CommandsCore } from './execution-support.ts';

const env = useTestEnvironment('keyring', 'docker', 'podman');

const label = (project: string, service: string) => ({ 'com.docker.compose.project': project, 'com.docker.compose.service': service });

/** Containers of one Compose project: one idle, one printing a line every 100 ms, one with a large log. */
async function startProject(docker: Docker, image: string, project: string): Promise<string[]> {
  const specs = [
    { name: `${project}-web-1`, cmd: ['sleep', '600'] },
    { name: `${project}-ticker-1`, cmd: ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 0.1; done'] },
    { name: `${project}-chatty-1`, cmd: ['sh', '-c', 'seq 1 20000; sleep 600'] },
  ];
  for (const spec of specs) {
    const container = await docker.createContainer({ name: spec.name, Image: image, Cmd: spec.cmd, Labels: label(project, spec.name.split('-')[1] ?? ''), StopSignal: 'SIGKILL', HostConfig: { NetworkMode: 'none' } });
    await container.start();
  }
  return specs.map((spec) => spec.name);
}

const ended = (events: readonly CommandStreamEvent[]) => events.find((event) => event.kind === 'ended');

describe.each(['docker', 'podman'] as const)('Command Execution in %s mode through the contract, with the real CLI', (kind) => {
  let app: CommandsCore;
  let docker: Docker;
  let names: string[] = [];
  let serviceId = '';
  const project = `cmd${Date.now().toString(36)}${kind}`;

  beforeAll(async () => {
    docker = new Docker({ socketPath: env[kind].socketPath });
    names = await startProject(docker, env[kind].images.version1.reference, project);
    app = await startCommandsCore();
    const environmentId = (await app.client.call('environments.addEngine', { name: `local ${kind}`, engine: kind, socketPath: env[kind].socketPath })).id;
    serviceId = `${environmentId}:compose:${project}`;
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all(names.map((name) => docker.getContainer(name).remove({ force: true }).catch(() => undefined)));
  });

  it('commands.context lists the service’s containers for the optional dropdown', async () => {
    const context = await app.client.call('commands.context', { serviceId });
    expect(context).toMatchObject({ mode: 'engine', engine: kind, remoteHost: null, streamingAvailable: true, production: false });
    expect(context.containers.map((container) => container.name)).toEqual([...names].sort());
    expect(context.examples).toEqual(expect.arrayContaining(['ps aux', 'free -m', 'df -h', 'netstat -tlnp', `${kind} ps`]));
  });

  it('without a container, host commands run on this machine: ps aux and df -h', async () => {
    const ps = await app.client.call('commands.run', { serviceId, line: 'ps aux' });
    expect(ps).toMatchObject({ decision: 'ran', exitCode: 0, argvShown: ['/usr/bin/ps', 'aux'] });
    if (ps.decision === 'ran') expect(ps.stdout).toMatch(/PID/);
    // One filesystem: `df -h` reads every mount, and mounts other tests' containers add and remove
    // meanwhile (a mount gone mid-read makes df exit 1, a stuck one makes it hang).
    const df = await app.client.call('commands.run', { serviceId, line: 'df -h /' });
    expect(df).toMatchObject({ decision: 'ran', exitCode: 0 });
    if (df.decision === 'ran') expect(df.stdout).toContain('Filesystem');
    expect(await app.newestAudit()).toMatchObject({ outcome: 'success', target: `local ${kind}/host/local`, details: { runtime: kind, host: 'local', argv: ['/usr/bin/df', '-h', '/'], exitCode: 0 } });
  });

  it(`${kind} ps runs the ${kind} CLI against this environment’s engine, the endpoint injected by the app`, async () => {
    const result = await app.client.call('commands.run', { serviceId, line: `${kind} ps --format '{{.Names}}'` });
    if (result.decision !== 'ran') throw new Error(`expected ran, got ${JSON.stringify(result)}`);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    for (const name of names) expect(result.stdout).toContain(name);
    expect(result.argvShown.slice(0, 2)).toEqual([kind, kind === 'docker' ? '--host=<engine-endpoint>' : '--url=<engine-endpoint>']);
    expect(app.spawned.at(-1)).toContain(kind === 'docker' ? `--host=unix://${env[kind].socketPath}` : `--url=unix://${env[kind].socketPath}`);
  });

  it('with a container selected the command runs inside it (exec); a container of another service is refused', async () => {
    const web = names[0] ?? '';
    const result = await runReadingOutput(app, { serviceId, line: 'cat /etc/kiops-release', container: web });
    expect(result).toMatchObject({ decision: 'ran', exitCode: 0, argvShown: [kind, kind === 'docker' ? '--host=<engine-endpoint>' : '--url=<engine-endpoint>', 'exec', web, 'cat', '/etc/kiops-release'] });
    if (result.decision === 'ran') expect(result.stdout.trim()).toBe(env[kind].images.version1.release);
    expect(await app.newestAudit()).toMatchObject({ target: `local ${kind}/container/${web}`, details: { container: web, exitCode: 0 } });
    await expect(app.client.call('commands.run', { serviceId, line: 'ps', container: 'somebody-else' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('blocked commands name the rule and what to do instead: exec -it, logs -f in one-shot, -H', async () => {
    const web = names[0] ?? '';
    const before = app.spawned.length;
    expect(await app.client.call('commands.run', { serviceId, line: `${kind} exec -it ${web} sh` })).toMatchObject({ decision: 'blocked', rule: 'interactive' });
    expect(await app.client.call('commands.run', { serviceId, line: `${kind} logs -f ${web}` })).toMatchObject({ decision: 'blocked', rule: 'follow-watch', hint: expect.stringContaining('streaming') });
    expect(await app.client.call('commands.run', { serviceId, line: `${kind} -H tcp://127.0.0.1:1 ps` })).toMatchObject({ decision: 'blocked', rule: 'connection-override' });
    expect(await app.client.call('commands.run', { serviceId, line: 'ps aux | grep x' })).toMatchObject({ decision: 'blocked', rule: 'shell-syntax' });
    expect(app.spawned.length).toBe(before);
    expect(await app.newestAudit()).toMatchObject({ outcome: 'refused', details: { decision: 'blocked', rule: 'shell-syntax' } });
  });

  it('streaming logs -f delivers lines as they are printed; stopping ends it with reason stopped', async () => {
    const ticker = names[1] ?? '';
    const stream = new Recorded(app.client, 'commands.stream', { serviceId, line: `${kind} logs -f --tail 1 ${ticker}` });
    try {
      await waitUntil(() => outputOf(stream.events).includes('tick'), 30_000, 'first tick');
      const first = stream.events.filter((event) => event.kind === 'output').length;
      await waitUntil(() => stream.events.filter((event) => event.kind === 'output').length >= first + 3, 30_000, 'more ticks later');
      expect(stream.events[0]).toMatchObject({ kind: 'started', running: 1, limit: 3 });
    } finally {
      stream.cancel();
    }
    const row = await eventually(async () => {
      const newest = await app.newestAudit();
      return newest?.details['mode'] === 'streaming' ? newest : undefined;
    }, 30_000, 'the streaming row');
    expect(row).toMatchObject({ outcome: 'success', details: { endReason: 'stopped', decision: 'ran' } });
    expect(Number(row.details['bytesOut'])).toBeGreaterThan(0);
  });

  it('a fourth concurrent stream is refused with LIMIT_REACHED (and audited); stopping one frees a slot', async () => {
    const ticker = names[1] ?? '';
    const open = () => new Recorded(app.client, 'commands.stream', { serviceId, line: `${kind} logs -f --tail 1 ${ticker}` });
    const streams = [open(), open(), open()];
    try {
      await waitUntil(() => streams.every((stream) => stream.events.some((event) => event.kind === 'started')), 30_000, 'three streams');
      const fourth = open();
      await waitUntil(() => fourth.ended, 30_000, 'the fourth refused');
      expect(fourth.ended).toMatchObject({ reason: 'error', error: { code: 'LIMIT_REACHED', details: { running: 3, limit: 3 } } });
      expect(await app.newestAudit()).toMatchObject({ outcome: 'refused', details: { decision: 'limit-reached', mode: 'streaming' } });
      streams[0]?.cancel();
      await eventually(async () => ((await app.client.call('commands.context', { serviceId })).sessions.running === 2 ? true : undefined), 30_000, 'a slot freed');
      const again = open();
      streams.push(again);
      await waitUntil(() => again.events.some((event) => event.kind === 'started'), 30_000, 'a stream in the freed slot');
    } finally {
      for (const stream of streams) stream.cancel();
    }
  });
});

describe('Command Execution limits through the contract (small limits injected into the core), on real docker', () => {
  let app: CommandsCore;
  let docker: Docker;
  let names: string[] = [];
  let serviceId = '';
  const project = `cmdlimits${Date.now().toString(36)}`;

  beforeAll(async () => {
    docker = new Docker({ socketPath: env.docker.socketPath });
    names = await startProject(docker, env.docker.images.version1.reference, project);
    app = await startCommandsCore({ commands: { oneShotLimits: { deadlineMs: 1_500 }, streamLimits: { timeLimitMs: 1_500, outputLimitBytes: 4_096 } } });
    const environmentId = (await app.client.call('environments.addEngine', { name: 'limits docker', engine: 'docker', socketPath: env.docker.socketPath })).id;
    serviceId = `${environmentId}:compose:${project}`;
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all(names.map((name) => docker.getContainer(name).remove({ force: true }).catch(() => undefined)));
  });

  it('a one-shot past its deadline is killed and reported as timeout, with an audit row', async () => {
    const result = await app.client.call('commands.run', { serviceId, line: 'sleep 30', container: names[0] ?? '' });
    expect(result).toMatchObject({ decision: 'ran', endReason: 'timeout', exitCode: null });
    expect(await app.newestAudit()).toMatchObject({ outcome: 'failure', details: { endReason: 'timeout', exitCode: null, mode: 'one-shot' } });
  });

  it('a stream ends at its time limit and at its output limit, each with a visible reason', async () => {
    const timed = new Recorded(app.client, 'commands.stream', { serviceId, line: `docker logs -f --tail 1 ${names[1] ?? ''}` });
    await waitUntil(() => ended(timed.events), 30_000, 'the time limit');
    expect(ended(timed.events)).toMatchObject({ endReason: 'time-limit' });
    const big = new Recorded(app.client, 'commands.stream', { serviceId, line: `docker logs -f ${names[2] ?? ''}` });
    await waitUntil(() => ended(big.events), 30_000, 'the output limit');
    expect(ended(big.events)).toMatchObject({ endReason: 'output-limit', bytes: 4_096 });
    expect(Buffer.byteLength(outputOf(big.events))).toBe(4_096);
    expect(await app.newestAudit()).toMatchObject({ outcome: 'failure', details: { endReason: 'output-limit', bytesOut: 4_096, mode: 'streaming' } });
  });
});
