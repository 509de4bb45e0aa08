import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandStreamEvent } from '../../../shared/contract/commands.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { LinkRelay } from '../../support/link-relay.ts';
import { eventually, Recorded, startCommandsCore, waitUntil, type AuditRowLike, type CommandsCore } from './execution-support.ts';
import { addRemoteEngine, remotePids, type RemoteEngine } from './remote-support.ts';

// Issue 16: a command started over SSH dies with its channel. The app reaches sshd through a
// relay the test cuts (every connection dropped, new ones refused) and brings back; the host's
// process table must hold none of the command's processes 5 s after the link returns, and the
// audit row must say "link lost" without a made-up exit code or signal.
const env = useTestEnvironment('keyring', 'docker', 'ssh');

const stamp = Date.now().toString(36);
// Numbers unique to this run, so a process of another run can never match the host checks.
const base = 1_000 + Math.floor(Math.random() * 8_000) * 10;
const idle = `cmdll${stamp}idle`;
const ended = (events: readonly CommandStreamEvent[]) => events.find((event) => event.kind === 'ended');

let docker: Docker;

beforeAll(async () => {
  docker = new Docker({ socketPath: env.docker.socketPath });
  // PID 1 reaps orphans, so killed processes leave the process table instead of lingering as zombies.
  const container = await docker.createContainer({ name: idle, Image: env.docker.images.version1.reference, Cmd: ['sh', '-c', 'while :; do sleep 1; done'], StopSignal: 'SIGKILL', HostConfig: { NetworkMode: 'none' } });
  await container.start();
});

afterAll(async () => {
  await docker?.getContainer(idle).remove({ force: true }).catch(() => undefined);
});

async function linkLostRows(app: CommandsCore, mode: 'one-shot' | 'streaming'): Promise<AuditRowLike[]> {
  const { rows } = await app.client.call('audit.list', { limit: 20, action: 'command.run' });
  return rows.filter((row) => row.details['mode'] === mode && row.details['endReason'] === 'link-lost');
}

describe('SSH commands cut by a dropped link', () => {
  let app: CommandsCore;
  let relay: LinkRelay;
  let remote: RemoteEngine;

  beforeAll(async () => {
    relay = await LinkRelay.start({ port: env.ssh.port });
    app = await startCommandsCore();
    remote = await addRemoteEngine(app, env, { host: '127.0.0.1', port: relay.port });
  });

  afterAll(async () => {
    await app?.close();
    await relay?.close();
  });

  // Each case is a different way a command lives on the host: an exec whose program lives inside
  // a container, a host program that stays silent (vmstat N writes once per N s, so nothing but
  // the watchdog ends it), and a follow (GNU tail also notices a closed pipe by itself).
  const cases = [
    { name: 'one-shot exec in a container', mode: 'one-shot' as const, line: (n: number) => `docker exec ${idle} sleep ${n}`, pattern: (n: number) => `sleep ${n}` },
    { name: 'streaming exec in a container', mode: 'streaming' as const, line: (n: number) => `docker exec ${idle} sleep ${n}`, pattern: (n: number) => `sleep ${n}` },
    { name: 'one-shot host program', mode: 'one-shot' as const, line: (n: number) => `vmstat ${n}`, pattern: (n: number) => `vmstat ${n}` },
    { name: 'streaming host program', mode: 'streaming' as const, line: (n: number) => `vmstat ${n}`, pattern: (n: number) => `vmstat ${n}` },
    { name: 'streaming host follow', mode: 'streaming' as const, line: (n: number) => `tail -f -n ${n} /etc/hostname`, pattern: (n: number) => `-n ${n} /etc/hostname` },
  ];

  it.each(cases.map((c, index) => ({ ...c, n: base + index })))('$name: gone from the host after the link returns; the row says link lost', async ({ mode, line, pattern, n }) => {
    const request = { serviceId: remote.service(idle), line: line(n) };
    let outcome: Promise<unknown>;
    let stream: Recorded<'commands.stream'> | undefined;
    if (mode === 'one-shot') {
      outcome = app.client.call('commands.run', request);
    } else {
      stream = new Recorded(app.client, 'commands.stream', request);
      const started = stream;
      outcome = waitUntil(() => ended(started.events) ?? (started.ended !== null ? started.ended : undefined), 30_000, 'the stream to end');
      await waitUntil(() => started.events.some((event) => event.kind === 'started'), 15_000, 'started');
    }
    outcome.catch(() => undefined);
    await eventually(async () => ((await remotePids(env, pattern(n))).length > 0 ? true : undefined), 30_000, `${pattern(n)} running on the host`);

    relay.down();
    try {
      const result = await outcome;
      if (mode === 'one-shot') expect(result).toMatchObject({ decision: 'ran', endReason: 'link-lost', exitCode: null, signal: null });
      else expect(result).toMatchObject({ kind: 'ended', endReason: 'link-lost', exitCode: null, signal: null });
    } finally {
      relay.resume();
      stream?.cancel();
    }
    const [row] = await eventually(async () => {
      const rows = (await linkLostRows(app, mode)).filter((candidate) => (candidate.details['argv'] as string[]).join(' ').includes(pattern(n)));
      return rows.length > 0 ? rows : undefined;
    }, 30_000, 'the link-lost row');
    expect(row).toMatchObject({ outcome: 'failure', details: { decision: 'ran', endReason: 'link-lost', exitCode: null, signal: null } });
    expect(row?.error).toMatch(/^Link lost: the SSH link to .* dropped before the command ended/);
    // The link is back: 5 s later nothing of the command is left on the host (nor in the container).
    await eventually(async () => ((await remotePids(env, pattern(n))).length === 0 ? true : undefined), 30_000, `${pattern(n)} gone from the host`);
  });
});
