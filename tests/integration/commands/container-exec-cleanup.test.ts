import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandStreamEvent } from '../../../shared/contract/commands.ts';
import { againWhenPodmanLostOutput } from '../../support/podman-lost-output.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { eventually, outputOf, Recorded, startCommandsCore, waitUntil, type CommandsCore } from './execution-support.ts';
import { addRemoteEngine } from './remote-support.ts';

// Class 5 of issue 10: when a run is cut short (one-shot deadline, streaming byte limit, Stop),
// what `ENGINE exec` started INSIDE the container must be gone too, not just the CLI.
// Checked with the engine's own `top` of the container, the way an operator would look.
const env = useTestEnvironment('keyring', 'docker', 'podman', 'ssh');

const stamp = Date.now().toString(36);
const ended = (events: readonly CommandStreamEvent[]) => events.find((event) => event.kind === 'ended');

// PID 1 is a shell that reaps orphans (busybox ash waits on any child), so killed processes
// leave `top` instead of lingering as zombies of a non-reaping init.
async function startIdle(docker: Docker, image: string, name: string): Promise<void> {
  const container = await docker.createContainer({ name, Image: image, Cmd: ['sh', '-c', 'while :; do sleep 1; done'], StopSignal: 'SIGKILL', HostConfig: { NetworkMode: 'none' } });
  await container.start();
}

/** The command lines of the processes running in the container, per the engine's top. */
async function processesIn(docker: Docker, name: string): Promise<string[]> {
  const top = (await docker.getContainer(name).top()) as { Titles: string[]; Processes: string[][] };
  // Podman's compatible API gives each row as one string; Docker gives columns.
  return top.Processes.map((row) => row.join(' '));
}

const running = (docker: Docker, name: string, needle: string) => async () => ((await processesIn(docker, name)).some((cmd) => cmd.includes(needle)) ? true : undefined);
const gone = (docker: Docker, name: string, needle: string) => async () => ((await processesIn(docker, name)).some((cmd) => cmd.includes(needle)) ? undefined : true);

// Distinct sleep lengths per case so one case's leftovers can never satisfy another's check.
let seconds = 300;
const nextSleep = (): string => String((seconds += 1));

interface Place {
  readonly label: string;
  readonly docker: () => Docker;
  readonly container: string;
  /** The service id the run goes through, and how to spell an exec typed without a selection. */
  readonly serviceId: () => string;
  readonly engine: 'docker' | 'podman';
}

describe('Commands cut short leave nothing running inside the container', () => {
  let app: CommandsCore;
  const clients: Partial<Record<'docker' | 'podman', Docker>> = {};
  const ids: Record<string, string> = {};
  const names = { docker: `cmdx${stamp}d`, podman: `cmdx${stamp}p`, remote: `cmdx${stamp}r` };

  beforeAll(async () => {
    clients.docker = new Docker({ socketPath: env.docker.socketPath });
    clients.podman = new Docker({ socketPath: env.podman.socketPath });
    await startIdle(clients.docker, env.docker.images.version1.reference, names.docker);
    await startIdle(clients.docker, env.docker.images.version1.reference, names.remote);
    await startIdle(clients.podman, env.podman.images.version1.reference, names.podman);
    app = await startCommandsCore({ commands: { oneShotLimits: { deadlineMs: 1_500 }, streamLimits: { outputLimitBytes: 256 * 1024 } } });
    for (const kind of ['docker', 'podman'] as const) {
      ids[kind] = (await app.client.call('environments.addEngine', { name: `local ${kind}`, engine: kind, socketPath: env[kind].socketPath })).id;
    }
    ids['remote'] = (await addRemoteEngine(app, env)).environmentId;
  });

  afterAll(async () => {
    await app?.close();
    await clients.docker?.getContainer(names.docker).remove({ force: true }).catch(() => undefined);
    await clients.docker?.getContainer(names.remote).remove({ force: true }).catch(() => undefined);
    await clients.podman?.getContainer(names.podman).remove({ force: true }).catch(() => undefined);
  });

  const places: Place[] = [
    { label: 'local Docker', docker: () => clients.docker as Docker, container: names.docker, serviceId: () => `${ids['docker']}:container:${names.docker}`, engine: 'docker' },
    { label: 'local Podman', docker: () => clients.podman as Docker, container: names.podman, serviceId: () => `${ids['podman']}:container:${names.podman}`, engine: 'podman' },
    { label: 'Docker over SSH', docker: () => clients.docker as Docker, container: names.remote, serviceId: () => `${ids['remote']}:container:${names.remote}`, engine: 'docker' },
  ];

  // Each spelling reaches the container through exec: the dropdown's container, or a typed exec.
  const spellings = [
    { how: 'selected container', request: (place: Place, words: string) => ({ serviceId: place.serviceId(), container: place.container, line: words }) },
    { how: 'typed exec', request: (place: Place, words: string) => ({ serviceId: place.serviceId(), line: `${place.engine} exec ${place.container} ${words}` }) },
  ];

  describe.each(places)('$label', (place) => {
    it.each(spellings)('one-shot deadline ($how): a sleep and the tree it started are gone from top', async ({ request }) => {
      const child = nextSleep();
      const leader = nextSleep();
      const run = app.client.call('commands.run', request(place, `sh -c "sleep ${child} & sleep ${leader}"`));
      await eventually(running(place.docker(), place.container, `sleep ${child}`), 30_000, `sleep ${child} running`);
      expect(await run).toMatchObject({ decision: 'ran', endReason: 'timeout' });
      await eventually(gone(place.docker(), place.container, `sleep ${leader}`), 30_000, `sleep ${leader} gone from top`);
      await eventually(gone(place.docker(), place.container, `sleep ${child}`), 30_000, `sleep ${child} gone from top`);
    });

    it.each(spellings)('Stop ($how): the streamed sleep is gone from top', async ({ request }) => {
      const length = nextSleep();
      const stream = new Recorded(app.client, 'commands.stream', request(place, `sleep ${length}`));
      try {
        await waitUntil(() => stream.events.some((event) => event.kind === 'started'), 15_000, 'started');
        await eventually(running(place.docker(), place.container, `sleep ${length}`), 30_000, `sleep ${length} running`);
      } finally {
        stream.cancel();
      }
      await eventually(async () => ((await app.newestAudit())?.details['endReason'] === 'stopped' ? true : undefined), 30_000, 'the stopped row');
      await eventually(gone(place.docker(), place.container, `sleep ${length}`), 30_000, `sleep ${length} gone from top`);
    });
  });

  describe.each(places)('$label: a streamed yes cut at the byte limit', (place) => {
    it.each(spellings)('leaves no yes in the container ($how)', async ({ request }) => {
      // When Podman closes the exec's output early, yes exits on a closed pipe long before the limit
      // and the app shows it ended so: the cut this test is about did not happen, so it runs again.
      const run = async () => {
        const recorded = new Recorded(app.client, 'commands.stream', request(place, 'yes kiops-cut'));
        await waitUntil(() => ended(recorded.events), 20_000, 'the output limit');
        return recorded;
      };
      const stream = await againWhenPodmanLostOutput(run, (recorded) => place.engine === 'podman' && ended(recorded.events)?.endReason === 'exited');
      expect(ended(stream.events)).toMatchObject({ endReason: 'output-limit', bytes: 256 * 1024 });
      // The output proves yes ran in the container; it is too fast to catch in top before the cut.
      expect(outputOf(stream.events).startsWith('kiops-cut\nkiops-cut\n')).toBe(true);
      await eventually(gone(place.docker(), place.container, 'yes kiops-cut'), 30_000, 'yes gone from top');
    });
  });
});
