import { afterAll, describe, expect, it } from 'vitest';
import { openAuditTestBench, type AuditTestBench } from '../../../../electron/main/audit/audit-test-kit.ts';
import { ContainerActions } from '../../../../electron/main/operations/containers/container-actions.ts';
import { ContainerOverviewReader } from '../../../../electron/main/operations/containers/container-overview.ts';
import { ContainerListRefresher, type ContainerListUpdate } from '../../../../electron/main/operations/containers/container-refresh.ts';
import { ContainerRowReader } from '../../../../electron/main/operations/containers/container-rows.ts';
import { ServiceDiscovery } from '../../../../electron/main/operations/containers/service-discovery.ts';
import type { PermissionTarget } from '../../../../electron/main/permissions/permission-types.ts';
import { useTestEnvironment } from '../../../support/test-environment.ts';
import { composeLabels, ContainerKit, FixedGate, ManualIntervals, waitFor } from './engine-kit.ts';

const env = useTestEnvironment('docker', 'podman');

describe.each(['docker', 'podman'] as const)('Container List backend on real %s', (kind) => {
  const kit = new ContainerKit(kind, env[kind].socketPath, env[kind].images.version1.reference);
  const target: PermissionTarget = { environment: { id: `env-${kind}`, name: `local ${kind}`, kind, production: false } };
  const benches: AuditTestBench[] = [];

  afterAll(async () => {
    await kit.removeAll();
    for (const bench of benches) bench.dispose();
  });

  it('groups containers by compose project and keeps lone containers as services', async () => {
    const project = kit.uniqueName('shop');
    const lone = kit.uniqueName('lone');
    await kit.run(`${project}-web-1`, { labels: composeLabels(project, 'web') });
    await kit.run(`${project}-db-1`, { labels: composeLabels(project, 'db'), start: false });
    await kit.run(lone);
    const discovery = new ServiceDiscovery(kit.engine);
    const services = await discovery.services();
    const shop = services.find((service) => service.key === `compose:${project}`);
    expect(shop).toMatchObject({ name: project, containerCount: 2, runningCount: 1 });
    expect(shop?.members.map((member) => [member.name, member.composeService])).toEqual([
      [`${project}-db-1`, 'db'],
      [`${project}-web-1`, 'web'],
    ]);
    expect(services.find((service) => service.key === `container:${lone}`)).toMatchObject({ containerCount: 1, runningCount: 1 });

    const rows = await new ContainerRowReader(kit.engine).rows(await discovery.containersOf({ kind: 'compose', project }));
    expect(rows.map((row) => [row.name, row.stateTone, row.actionsAvailable, row.composeService])).toEqual([
      [`${project}-db-1`, 'created', [], 'db'],
      [`${project}-web-1`, 'running', ['restart'], 'web'],
    ]);
    expect(rows[1]?.startedAt).not.toBeNull();
    expect(rows[0]?.startedAt).toBeNull();
  });

  it('restarts with an explicit timeout: the start time changes, the row is audited and the trail verifies', async () => {
    const bench = await openAuditTestBench();
    benches.push(bench);
    const name = kit.uniqueName('restart');
    await kit.run(name);
    const before = await kit.startedAt(name);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const actions = new ContainerActions({ engine: kit.engine, trail: bench.trail, gate: new FixedGate(true), target });
    const result = await actions.restart(name, { stopTimeoutSeconds: 3 });
    const after = await kit.startedAt(name);
    expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));
    expect(result).toMatchObject({ name, startedAt: after });
    const [row] = bench.trail.list({ limit: 1 });
    expect(row).toMatchObject({ action: 'container.restart', target: `${kind}/container/${name}`, outcome: 'success', actorIdentity: `${kind}@test-host`, environmentId: `env-${kind}` });
    expect(row?.details).toMatchObject({ engine: kind, container: name, stopTimeoutSeconds: 3, startedAt: after });
    expect(bench.trail.verify()).toMatchObject({ ok: true });

    const overview = await new ContainerOverviewReader(kit.engine).overview(name);
    expect(overview).toMatchObject({ name, stateTone: 'running', startedAt: after, restartPolicy: { name: expect.any(String) }, command: ['sleep', '600'] });
    expect(overview.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it('refuses (and audits) a restart without management permission, and a restart of a paused container', async () => {
    const bench = await openAuditTestBench();
    benches.push(bench);
    const name = kit.uniqueName('guarded');
    const container = await kit.run(name);
    const before = await kit.startedAt(name);
    const gate = new FixedGate(false);
    const actions = new ContainerActions({ engine: kit.engine, trail: bench.trail, gate, target });
    await expect(actions.restart(name)).rejects.toMatchObject({ code: 'PERMISSION_DENIED', message: expect.stringContaining('request permission from your organization manager') });
    expect(bench.trail.list({ limit: 1 })[0]).toMatchObject({ action: 'container.restart', outcome: 'refused' });

    gate.management = true;
    await container.pause();
    await expect(actions.restart(name)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('paused') });
    expect(bench.trail.list({ limit: 1 })[0]).toMatchObject({ action: 'container.restart', outcome: 'failure' });
    await container.unpause();
    expect(await kit.startedAt(name)).toBe(before);
    expect(bench.trail.verify()).toMatchObject({ ok: true, rows: 4 }); // started + outcome, twice
  });

  it('follows the event stream: a stopped container shows as exited without waiting for a refresh', async () => {
    const project = kit.uniqueName('events');
    await kit.run(`${project}-a`, { labels: composeLabels(project, 'a') });
    const b = await kit.run(`${project}-b`, { labels: composeLabels(project, 'b') });
    const timers = new ManualIntervals();
    const updates: ContainerListUpdate[] = [];
    const refresher = new ContainerListRefresher({ engine: kit.engine, selector: { kind: 'compose', project }, onUpdate: (update) => updates.push(update), timers, eventDebounceMs: 100 });
    try {
      await refresher.start();
      await waitFor(() => updates.some((update) => update.kind === 'events' && update.state === 'following'), 20_000, 'event stream');
      expect(refresher.rows.map((row) => row.stateTone)).toEqual(['running', 'running']);
      await b.stop({ t: 0 });
      await waitFor(() => refresher.rows.find((row) => row.name === `${project}-b`)?.stateTone === 'exited', 20_000, 'row b exited');
      const eventRows = updates.filter((update) => update.kind === 'rows' && update.reason === 'event');
      expect(eventRows.length).toBeGreaterThan(0);
      // No periodic tick ran: the change came from the event stream.
      expect(updates.filter((update) => update.kind === 'rows' && update.reason === 'auto-refresh')).toHaveLength(0);
    } finally {
      refresher.stop();
    }
  });

  it('the 30 s auto-refresh toggle really stops and restarts periodic sampling', async () => {
    const name = kit.uniqueName('toggle');
    await kit.run(name);
    const timers = new ManualIntervals();
    const updates: ContainerListUpdate[] = [];
    const refresher = new ContainerListRefresher({ engine: kit.engine, selector: { kind: 'standalone', containerName: name }, onUpdate: (update) => updates.push(update), timers });
    const ticks = () => updates.filter((update) => update.kind === 'stats').length;
    try {
      await refresher.start();
      expect(timers.periods()).toEqual([30_000]);
      expect(ticks()).toBe(1);
      timers.elapse();
      await waitFor(() => ticks() === 2, 20_000, 'auto-refresh sample');
      const stats = updates.filter((update) => update.kind === 'stats').at(-1);
      expect(stats?.kind === 'stats' && stats.samples[0]?.memory?.usageBytes).toBeGreaterThan(0);

      refresher.setAutoRefresh(false);
      expect(timers.active).toBe(0);
      // the clock is manual: with no timer left, elapsing runs nothing, so no sample can follow
      expect(timers.elapse()).toBe(0);
      expect(ticks()).toBe(2);
      expect(updates).toContainEqual({ kind: 'auto-refresh', enabled: false, intervalMs: 30_000 });

      refresher.setAutoRefresh(true);
      expect(timers.periods()).toEqual([30_000]);
      timers.elapse();
      await waitFor(() => ticks() === 3, 20_000, 'sampling again');
    } finally {
      refresher.stop();
    }
    expect(timers.active).toBe(0);
  });
});
