import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerRowView, ContainerWatchEvent } from '../../../shared/contract/containers.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { compose, EngineContainers } from '../catalog/support.ts';
import { Recorded, startTabsCore, waitUntil, type TabsCore } from './tabs-support.ts';

const env = useTestEnvironment('keyring', 'docker', 'podman');

const rowsOf = (events: readonly ContainerWatchEvent[]): ContainerRowView[] => {
  const last = events.filter((event) => event.kind === 'rows').at(-1);
  return last?.kind === 'rows' ? last.rows : [];
};
const statsCount = (events: readonly ContainerWatchEvent[]) => events.filter((event) => event.kind === 'stats').length;

describe.each(['docker', 'podman'] as const)('Container List and Overview tabs through the contract on real %s', (kind) => {
  // A short auto-refresh period so "off stops periodic stats" is observable in a test.
  const refreshMs = 700;
  let app: TabsCore;
  let containers: EngineContainers;
  let environmentId = '';
  const project = `tabs${Date.now().toString(36)}${kind}`;
  const serviceId = () => `${environmentId}:compose:${project}`;
  let sessionCount = 0;
  const session = () => `tabs-test-${kind}-${(sessionCount += 1)}`;

  beforeAll(async () => {
    app = await startTabsCore({ containerRefreshMs: refreshMs });
    environmentId = (await app.client.call('environments.addEngine', { name: `local ${kind}`, engine: kind, socketPath: env[kind].socketPath })).id;
    containers = new EngineContainers(env[kind].socketPath, env[kind].images.version1.reference);
    await containers.run(`${project}-web-1`, compose(project, 'web'));
    await containers.run(`${project}-db-1`, compose(project, 'db'), false);
  });

  afterAll(async () => {
    await containers?.removeAll();
    await app?.close();
  });

  it('containers.watch sends the service rows with the spec state rules, then stats', async () => {
    const watch = new Recorded(app.client, 'containers.watch', { serviceId: serviceId(), sessionId: session() });
    try {
      await waitUntil(() => rowsOf(watch.events).length === 2, 20_000, 'rows');
      expect(rowsOf(watch.events).map((row) => [row.name, row.stateTone, row.actionsAvailable])).toEqual([
        [`${project}-db-1`, 'created', []],
        [`${project}-web-1`, 'running', ['restart']],
      ]);
      expect(watch.events.find((event) => event.kind === 'auto-refresh')).toEqual({ kind: 'auto-refresh', enabled: true, intervalMs: refreshMs });
      const web = rowsOf(watch.events)[1];
      const sample = await waitUntil(() => {
        for (const event of watch.events) if (event.kind === 'stats') for (const candidate of event.samples) if (candidate.containerId === web?.id && candidate.cpuPercent !== null) return candidate;
        return undefined;
      }, 20_000, 'a CPU sample of the running container');
      expect(sample.memory?.usageBytes).toBeGreaterThan(0);
    } finally {
      watch.cancel();
    }
  });

  it('setAutoRefresh off stops the periodic stats of that list only; on brings them back', async () => {
    const sessionId = session();
    const watch = new Recorded(app.client, 'containers.watch', { serviceId: serviceId(), sessionId });
    const otherWindow = new Recorded(app.client, 'containers.watch', { serviceId: serviceId(), sessionId: session() });
    try {
      await waitUntil(() => statsCount(watch.events) >= 2, 20_000, 'periodic stats');
      expect(await app.client.call('containers.setAutoRefresh', { serviceId: serviceId(), sessionId, enabled: false })).toEqual({ enabled: false });
      await waitUntil(() => watch.events.some((event) => event.kind === 'auto-refresh' && !event.enabled), 20_000, 'toggle announced');
      // A refresh already under way may still land: a manual refresh waits for it and samples once more.
      const beforeRefresh = statsCount(watch.events);
      await app.client.call('containers.refresh', { serviceId: serviceId(), sessionId });
      expect(statsCount(watch.events)).toBeGreaterThan(beforeRefresh);
      const frozen = statsCount(watch.events);
      // the other list refreshing three more times is three periods in which this one stayed quiet
      const otherBefore = statsCount(otherWindow.events);
      await waitUntil(() => statsCount(otherWindow.events) >= otherBefore + 3, 30_000, 'the other list still refreshing');
      expect(statsCount(watch.events)).toBe(frozen);
      await app.client.call('containers.setAutoRefresh', { serviceId: serviceId(), sessionId, enabled: true });
      await waitUntil(() => statsCount(watch.events) > frozen, 20_000, 'stats again');
    } finally {
      watch.cancel();
      otherWindow.cancel();
    }
    // A closed list's session is gone.
    await expect(app.client.call('containers.setAutoRefresh', { serviceId: serviceId(), sessionId, enabled: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('containers.restart changes the start time, the open list sees it, and it is audited', async () => {
    const watch = new Recorded(app.client, 'containers.watch', { serviceId: serviceId(), sessionId: session() });
    try {
      const web = await waitUntil(() => rowsOf(watch.events).find((row) => row.composeService === 'web'), 20_000, 'web row');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const result = await app.client.call('containers.restart', { serviceId: serviceId(), containerId: web.id, stopTimeoutSeconds: 2 });
      expect(Date.parse(result.startedAt ?? '')).toBeGreaterThan(Date.parse(web.startedAt ?? ''));
      await waitUntil(() => rowsOf(watch.events).find((row) => row.id === web.id && row.startedAt === result.startedAt), 20_000, 'the new start time in the list');
      const audit = (await app.client.call('audit.list', { limit: 1, action: 'container.restart' })).rows[0];
      expect(audit).toMatchObject({ outcome: 'success', environmentId, details: { container: `${project}-web-1`, stopTimeoutSeconds: 2 } });
    } finally {
      watch.cancel();
    }
  });

  it('a container of another service is refused before anything happens', async () => {
    const stranger = `${project}-stranger`;
    await containers.run(stranger);
    const info = await containers.docker.getContainer(stranger).inspect();
    const auditBefore = (await app.client.call('audit.list', { action: 'container.restart' })).rows.length;
    await expect(app.client.call('containers.restart', { serviceId: serviceId(), containerId: info.Id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // nothing happened: the container kept its start, and no restart was recorded
    const after = await containers.docker.getContainer(stranger).inspect();
    expect([after.State.StartedAt, after.RestartCount, after.State.Running]).toEqual([info.State.StartedAt, info.RestartCount, info.State.Running]);
    expect((await app.client.call('audit.list', { action: 'container.restart' })).rows).toHaveLength(auditBefore);
  });

  it('overview.get lists the service containers', async () => {
    const overview = await app.client.call('overview.get', { serviceId: serviceId() });
    expect(overview.runtime).toBe(kind);
    if (overview.runtime === 'kubernetes') return;
    expect(overview.containers.map((container) => [container.name, container.stateTone, container.composeService])).toEqual([
      [`${project}-db-1`, 'created', 'db'],
      [`${project}-web-1`, 'running', 'web'],
    ]);
    expect(overview.containers[1]?.uptimeSeconds).not.toBeNull();
  });

  it('the audit trail verifies', async () => {
    expect(await app.client.call('audit.verify', {})).toMatchObject({ ok: true });
  });
});
