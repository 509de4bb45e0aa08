// The Container List over a link the test controls, for local Docker, Podman and Docker over
// SSH: after a cut or a freeze, the rows equal the engine's truth after the link's return
// without user action, and a frozen link is shown (how soon: bench/link-heal.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SshConnectionPool } from '../../../../electron/main/connections/ssh/connection-pool.ts';
import { createRemoteEngine } from '../../../../electron/main/connections/ssh/remote-engine.ts';
import { withRequestDeadlines } from '../../../../electron/main/connections/request-deadlines.ts';
import { ContainerListRefresher, type ContainerListUpdate } from '../../../../electron/main/operations/containers/container-refresh.ts';
import type { EngineConnection } from '../../../../electron/main/operations/containers/engine.ts';
import { healWaitMs, LinkRelay, silentWaitMs } from '../../../support/link-relay.ts';
import { useTestEnvironment } from '../../../support/test-environment.ts';
import { MemoryHostKeyStore } from '../../../integration/connections/support/sshd.ts';
import { composeLabels, ContainerKit, ManualIntervals, waitFor } from './engine-kit.ts';

const env = useTestEnvironment('docker', 'podman', 'ssh');

type Route = 'docker' | 'podman' | 'docker over ssh';
interface Link {
  readonly relay: LinkRelay;
  readonly engine: EngineConnection;
  close(): Promise<void>;
}

const folder = mkdtempSync(join(tmpdir(), 'kiops-links-'));
const pools: SshConnectionPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.close()));
  rmSync(folder, { recursive: true, force: true });
});

/** The app's engine client for one route, through a relay the test can cut and freeze. */
async function linkFor(route: Route, index: number): Promise<Link> {
  if (route === 'docker over ssh') {
    const relay = await LinkRelay.start({ port: env.ssh.port, host: env.ssh.host });
    const pool = new SshConnectionPool();
    pools.push(pool);
    const connection = pool.connection({
      target: { host: '127.0.0.1', port: relay.port, username: env.ssh.user },
      identity: async () => ({ kind: 'private-key', privateKey: await readFile(env.ssh.keys.ed25519.privateKeyPath, 'utf8') }),
      hostKeys: new MemoryHostKeyStore(),
      unknownHostKey: { kind: 'accept', fingerprint: env.ssh.hostKey.fingerprint },
    });
    const remote = createRemoteEngine(connection, { engine: 'docker', socketPath: env.docker.socketPath, hostLabel: 'the test host' });
    return { relay, engine: { docker: withRequestDeadlines(remote.docker), kind: 'docker', identity: 'docker@test-host' }, close: async () => (remote.close(), relay.close()) };
  }
  const kind = route;
  const relay = await LinkRelay.start({ path: env[kind].socketPath }, { path: join(folder, `${kind}-${index}.sock`) });
  const kit = new ContainerKit(kind, join(folder, `${kind}-${index}.sock`), env[kind].images.version1.reference);
  return { relay, engine: { ...kit.engine, docker: withRequestDeadlines(kit.engine.docker) }, close: () => relay.close() };
}

describe.each(['docker', 'podman', 'docker over ssh'] as const)('Container List over a breaking link: %s', (route) => {
  const kind = route === 'podman' ? 'podman' : 'docker';
  const direct = new ContainerKit(kind, env[kind].socketPath, env[kind].images.version1.reference);
  let links = 0;
  afterAll(() => direct.removeAll());

  /** The engine's truth for the test's own compose project: name → state, as `docker ps -a` shows. */
  const truth = async (project: string): Promise<string> => {
    const listed = await direct.engine.docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${project}`] } });
    return JSON.stringify(listed.map((info) => [(info.Names[0] ?? '').replace(/^\//, ''), info.State]).sort());
  };
  const shown = (refresher: ContainerListRefresher): string => JSON.stringify(refresher.rows.map((row) => [row.name, row.state]).sort());

  const openList = async (project: string) => {
    const link = await linkFor(route, (links += 1));
    const updates: ContainerListUpdate[] = [];
    const refresher = new ContainerListRefresher({ engine: link.engine, selector: { kind: 'compose', project }, onUpdate: (update) => updates.push(update), timers: new ManualIntervals() });
    await refresher.start();
    await waitFor(() => updates.some((update) => update.kind === 'events' && update.state === 'following'), 15_000, 'following events');
    const reconnecting = () => updates.filter((update): update is Extract<ContainerListUpdate, { kind: 'events' }> => update.kind === 'events' && update.state === 'reconnecting');
    return { link, refresher, updates, reconnecting };
  };

  it('a frozen link is shown, and the rows are true again after its return', async () => {
    const project = direct.uniqueName('frozen');
    const web = await direct.run(`${project}-web`, { labels: composeLabels(project, 'web') });
    await direct.run(`${project}-db`, { labels: composeLabels(project, 'db') });
    const { link, refresher, reconnecting } = await openList(project);
    try {
      await waitFor(async () => shown(refresher) === (await truth(project)), 30_000, 'first rows');
      link.relay.freeze();
      await waitFor(() => reconnecting().length > 0, silentWaitMs, 'the silent link shown');
      // Found by the idle check ("silent"), or first by the SSH keepalive tearing the stream down.
      expect(reconnecting()[0]?.message).toMatch(/the link is silent|the link to the engine was lost/);
      await web.stop({ t: 0 });
      expect(shown(refresher)).not.toBe(await truth(project));
      link.relay.resume();
      await waitFor(async () => shown(refresher) === (await truth(project)), healWaitMs, 'rows equal the engine after the link returned');
    } finally {
      refresher.stop();
      await link.close();
    }
  });

  it('after a cut long enough for the backoff to grow, the rows are true again after the link returns', async () => {
    const project = direct.uniqueName('cut');
    const api = await direct.run(`${project}-api`, { labels: composeLabels(project, 'api') });
    const { link, refresher, reconnecting } = await openList(project);
    try {
      await waitFor(async () => shown(refresher) === (await truth(project)), 30_000, 'first rows');
      link.relay.down();
      await waitFor(() => reconnecting().some((update) => (update.retryInMs ?? 0) >= 4_000), 30_000, 'backoff grown to seconds');
      await api.stop({ t: 0 });
      await direct.run(`${project}-worker`, { labels: composeLabels(project, 'worker') });
      link.relay.resume();
      await waitFor(async () => shown(refresher) === (await truth(project)), healWaitMs, 'rows equal the engine after the link returned');
    } finally {
      refresher.stop();
      await link.close();
    }
  });
});

describe('a manual Refresh on a frozen local Docker link', () => {
  const direct = new ContainerKit('docker', env.docker.socketPath, env.docker.images.version1.reference);
  afterAll(() => direct.removeAll());

  it('ends at the request deadline with the problem shown, and a Refresh after the return shows the truth', async () => {
    const project = direct.uniqueName('hung');
    const web = await direct.run(`${project}-web`, { labels: composeLabels(project, 'web') });
    const socket = join(folder, 'hung.sock');
    const relay = await LinkRelay.start({ path: env.docker.socketPath }, { path: socket });
    const kit = new ContainerKit('docker', socket, env.docker.images.version1.reference);
    const updates: ContainerListUpdate[] = [];
    const refresher = new ContainerListRefresher({
      engine: { ...kit.engine, docker: withRequestDeadlines(kit.engine.docker, 2_000) },
      selector: { kind: 'compose', project },
      onUpdate: (update) => updates.push(update),
      timers: new ManualIntervals(),
    });
    try {
      await refresher.start();
      expect(refresher.rows.map((row) => row.state)).toEqual(['running']);
      relay.freeze();
      await web.stop({ t: 0 });
      await refresher.refresh();
      const problem = updates.findLast((update) => update.kind === 'problem');
      expect(problem?.kind === 'problem' && problem.message).toMatch(/did not answer \/containers\/json within 2 s/);
      relay.resume();
      await refresher.refresh();
      expect(refresher.rows.map((row) => row.state)).toEqual(['exited']);
    } finally {
      refresher.stop();
      await relay.close();
    }
  });
});
