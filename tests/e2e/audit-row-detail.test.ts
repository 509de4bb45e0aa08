import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type KiopsClient } from '../../shared/contract/client.ts';
import type { AuditRow } from '../../electron/main/audit/audit-row.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { type BrowserApp, startBrowserApp, trustedClient } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { AuditLogPage } from './pages/audit-log-page.ts';

// "Who ran what, where": a row opens a drawer with the command as run, the environment and place,
// the before/after of a change, how it ended and the row's place in the chain; started and outcome
// rows link each other; the filters apply as the user types, in main.

const env = useTestEnvironment('keyring', 'docker');

describe('Audit Log row detail and live filters', () => {
  let app: BrowserApp;
  let shell: AppShellPage;
  let audit: AuditLogPage;
  const tag = randomUUID().slice(0, 6);
  const names = { laptop: `laptop docker ${tag}`, buildHost: `build-host ${tag}` };
  const ids = { laptop: '', buildHost: '' };
  const rows: Record<'laptopRestart' | 'hostRestart' | 'started' | 'outcome' | 'scale', AuditRow> = {} as never;

  beforeAll(async () => {
    app = await startBrowserApp();
    const client: KiopsClient = trustedClient(app.server.core, 'audit-detail-e2e');
    ids.laptop = (await client.call('environments.addEngine', { name: names.laptop, engine: 'docker', socketPath: env.docker.socketPath })).id;
    ids.buildHost = (await client.call('environments.addEngine', { name: names.buildHost, engine: 'docker', socketPath: env.docker.socketPath })).id;
    const trail = app.server.core.audit;
    const container = { engine: 'docker', container: `web-${tag}` };
    rows.laptopRestart = trail.record({ action: 'container.restart', target: `docker/container/web-${tag}`, outcome: 'success', environmentId: ids.laptop, details: container });
    rows.hostRestart = trail.record({ action: 'container.restart', target: `docker/container/web-${tag}`, outcome: 'success', environmentId: ids.buildHost, details: container });
    // a command as the command runner records it: a started row, then its outcome naming it
    const command = trail.begin({
      action: 'command.run',
      target: `docker/build.example/web-${tag}`,
      environmentId: ids.buildHost,
      actorIdentity: 'deploy',
      details: { argv: ['docker', '--host=ssh://deploy@build.example', 'exec', `web-${tag}`, 'sh', '-c', 'cat /etc/hostname'], runtime: 'docker', host: 'build.example', container: `web-${tag}` },
    });
    rows.started = command.started;
    rows.outcome = await command.finish('failure', { error: 'The command exited with code 2.', details: { exitCode: 2, durationMs: 1840, endReason: 'exited' } });
    rows.scale = trail.record({ action: 'deployment.scale', target: `shop/deployment/api-${tag}`, outcome: 'success', details: { namespace: 'shop', before: 3, after: 2 } });
    shell = new AppShellPage(app.page);
    audit = new AuditLogPage(app.page);
    await shell.waitUntilReady();
    await shell.navigate('audit');
    await audit.row(rows.scale.seq).waitFor();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  test('rows name their environment: the same container on the laptop and on the build host read apart', async () => {
    expect(await audit.row(rows.laptopRestart.seq).getByTestId('audit-row-environment').textContent()).toBe(names.laptop);
    expect(await audit.row(rows.hostRestart.seq).getByTestId('audit-row-environment').textContent()).toBe(names.buildHost);
  });

  test('a command outcome row shows the argv as run, where it ran, how it ended, its chain position and its started row', async () => {
    await audit.openRow(rows.outcome.seq);
    expect(await audit.detailField('argv').textContent()).toContain(`docker --host=ssh://deploy@build.example exec web-${tag} sh -c 'cat /etc/hostname'`);
    expect(await audit.detailField('environment').textContent()).toContain(names.buildHost);
    expect(await audit.detailField('environment').textContent()).toContain(ids.buildHost);
    expect(await audit.detailField('host').textContent()).toBe('build.example');
    expect(await audit.detailField('container').textContent()).toBe(`web-${tag}`);
    expect(await audit.detailField('actor').textContent()).toContain('as deploy');
    expect(await audit.detailField('ending').textContent()).toContain('exit code 2');
    expect(await audit.detailField('ending').textContent()).toContain('reason: exited');
    expect(await audit.detailField('duration').textContent()).toBe('1.8 s');
    expect(await audit.detailField('error').textContent()).toBe('The command exited with code 2.');
    expect(await audit.detailField('chain').textContent()).toContain(`seq ${rows.outcome.seq} · hash ${rows.outcome.hash.slice(0, 12)}… · follows ${rows.outcome.prevHash.slice(0, 12)}…`);
    await shell.screenshot('audit-row-detail-en');

    // the started row, and back again to its outcome
    await audit.detailField('started-link').click();
    await expect.poll(() => audit.detailField('chain').textContent()).toContain(`seq ${rows.started.seq} `);
    expect(await audit.detailField('outcome').textContent()).toBe('Started');
    await audit.detailField('outcome-link').click();
    await expect.poll(() => audit.detailField('chain').textContent()).toContain(`seq ${rows.outcome.seq} `);
    await audit.closeDetail();
  });

  test('a change row shows before and after', async () => {
    await audit.openRow(rows.scale.seq);
    expect(await audit.detailField('before').textContent()).toBe('3');
    expect(await audit.detailField('after').textContent()).toBe('2');
    expect(await audit.detailField('namespace').textContent()).toBe('shop');
    await audit.closeDetail();
  });

  /** The seqs shown that belong to this test's own rows (adding the environments recorded rows too). */
  const ownShown = async () => {
    const own = new Set(Object.values(rows).map((row) => row.seq));
    return (await audit.shownSeqs()).filter((seq) => own.has(seq));
  };

  test('filters apply as the user types, ignoring case, and combine with the environment', async () => {
    await audit.typeText(`WEB-${tag}`);
    await expect.poll(() => audit.shownSeqs()).toEqual([rows.outcome.seq, rows.started.seq, rows.hostRestart.seq, rows.laptopRestart.seq]);
    await audit.typeText(`etc/HOSTNAME`);
    await expect.poll(() => audit.shownSeqs()).toEqual([rows.outcome.seq, rows.started.seq]);
    // the environment's name finds its rows (and the rows that added it)
    await audit.typeText(`build-host ${tag}`);
    await expect.poll(() => ownShown()).toEqual([rows.outcome.seq, rows.started.seq, rows.hostRestart.seq]);
    expect(await audit.shownSeqs()).not.toContain(rows.laptopRestart.seq);

    await audit.typeText(`web-${tag}`);
    await audit.filterByEnvironment(ids.laptop);
    await expect.poll(() => audit.shownSeqs()).toEqual([rows.laptopRestart.seq]);
    // a row recorded while the filters are set shows only if it matches them
    const skipped = app.server.core.audit.record({ action: 'container.restart', target: `docker/container/web-${tag}`, outcome: 'success', environmentId: ids.buildHost });
    const shown = app.server.core.audit.record({ action: 'container.restart', target: `docker/container/WEB-${tag}`, outcome: 'failure', error: 'gone', environmentId: ids.laptop });
    await audit.row(shown.seq).waitFor();
    expect(await audit.shownSeqs()).toEqual([shown.seq, rows.laptopRestart.seq]);
    expect(skipped.seq).toBeLessThan(shown.seq);

    await audit.clearEnvironmentFilter();
    await audit.filterByActor('DEPLOY');
    await expect.poll(() => ownShown()).toEqual([rows.outcome.seq, rows.started.seq]);
    await audit.filterByActor('');
    await audit.typeText('');
    await expect.poll(() => audit.shownSeqs().then((seqs) => seqs[0])).toBe(shown.seq);
  });

  test('nothing failed in the page along the way', () => {
    expect(app.pageErrors).toEqual([]);
  });
});
