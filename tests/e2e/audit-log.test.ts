import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useTestEnvironment } from '../support/test-environment.ts';
import { startBrowserApp, type BrowserApp } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { AuditLogPage } from './pages/audit-log-page.ts';
import { ConnectionProblemPage } from './pages/connection-problem-page.ts';
import { SecurityAnalysisPage } from './pages/security-analysis-page.ts';

// naive-ui's light-theme colours for the outcome tags, as the user sees them
// naive-ui's light theme: success #18a058, error #d03050, warning #f0a020
const tagTextColours = { success: 'rgb(24, 160, 88)', failure: 'rgb(208, 48, 80)', refused: 'rgb(240, 160, 32)' } as const;

describe('Audit Log page when the app cannot be reached', () => {
  test('a lost connection replaces the window with the explanation and Retry; the window asks again by itself and loads the page once the server is back', async () => {
    const app = await startBrowserApp();
    try {
      const shell = new AppShellPage(app.page);
      const audit = new AuditLogPage(app.page);
      const problem = new ConnectionProblemPage(app.page);
      await shell.waitUntilReady();
      await shell.navigate('audit');
      await audit.table.waitFor();

      await app.server.stopServing();
      await problem.root.waitFor();
      expect(await problem.root.textContent()).toContain('npm run web');
      await shell.screenshot('connection-lost-en');

      // it asks again by itself, counting down, and Retry asks at once (still away: still shown)
      expect(await problem.retryIn.textContent()).toMatch(/^\s*Trying again in \d+ s\.\s*$/);
      await problem.retry();
      await problem.retryIn.waitFor();
      expect(await problem.root.count()).toBe(1);

      // back: the window finds it by itself, with no click
      await app.server.resumeServing();
      await problem.root.waitFor({ state: 'detached' });
      await shell.navigate('audit');
      await audit.table.waitFor();
      expect(await audit.errorState.count()).toBe(0);
      await audit.liveIndicator.waitFor();
      // a page never opened before the outage opens after it: code it could not fetch is fetched now
      await shell.navigate('security');
      await new SecurityAnalysisPage(app.page).form.waitFor();
      // the browser logs each request it could not send while the server was away; those are its
      // words about the network, not the app's errors
      const appErrors = app.pageErrors.filter((text) => !text.includes('WebSocket') && !text.startsWith('Failed to load resource: net::'));
      expect(appErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe('Audit Log page over the real trail', () => {
  useTestEnvironment('keyring');
  let app: BrowserApp;
  let shell: AppShellPage;
  let audit: AuditLogPage;

  const record = (action: string, target: string, outcome: 'success' | 'failure' | 'refused', error?: string) =>
    app.server.core.audit.record({ action, target, outcome, ...(error ? { error } : {}), details: { namespace: 'shop' } });

  beforeAll(async () => {
    app = await startBrowserApp();
    shell = new AppShellPage(app.page);
    audit = new AuditLogPage(app.page);
    await shell.waitUntilReady();
    record('pod.delete', 'shop/pod/web-1', 'success');
    record('deployment.scale', 'shop/deployment/web', 'failure', 'replicas must be at most 50');
    record('command.run', 'shop/kubectl exec -it web-1', 'refused', 'exec -it is blocked');
  });

  afterAll(async () => {
    await app?.close();
  });

  test('shows recorded rows newest first, with coloured outcome tags and the error', async () => {
    await shell.navigate('audit');
    await audit.row(3).waitFor();
    expect(await audit.rows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-seq')))).toEqual(['3', '2', '1']);
    expect(await audit.row(2).textContent()).toContain('deployment.scale');
    expect(await audit.row(2).textContent()).toContain('replicas must be at most 50');
    for (const [seq, outcome] of [[1, 'success'], [2, 'failure'], [3, 'refused']] as const) {
      const tag = audit.outcomeTag(seq);
      expect(await tag.textContent()).toBe({ success: 'Success', failure: 'Failure', refused: 'Refused' }[outcome]);
      expect(await audit.outcomeColour(seq)).toBe(tagTextColours[outcome]);
    }
    await shell.screenshot('audit-rows-light-en');
  });

  test('shows a row recorded while the page is open without a reload', async () => {
    record('pod.restart', 'shop/pod/web-2', 'success');
    await audit.row(4).waitFor();
    expect(await audit.rows.first().getAttribute('data-seq')).toBe('4');
  });

  test('filters by outcome and by action', async () => {
    await audit.filterByOutcome('failure');
    await expect.poll(() => audit.rows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-seq')))).toEqual(['2']);
    // a live row that does not match the filter stays out: once the matching row recorded after
    // it shows, the page has seen both (live rows arrive in order)
    record('pod.delete', 'shop/pod/web-3', 'success');
    record('pod.restart', 'shop/pod/web-4', 'failure', 'the pod is gone');
    await audit.row(6).waitFor();
    expect(await audit.rows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-seq')))).toEqual(['6', '2']);

    await audit.clearOutcomeFilter();
    await audit.filterByAction('pod.delete');
    await expect.poll(() => audit.rows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-seq')))).toEqual(['5', '1']);
    await audit.filterByAction('');
    await expect.poll(() => audit.rows.count()).toBe(6);
  });

  test('pages older rows with Load more', async () => {
    for (let index = 0; index < 120; index += 1) record('pod.delete', `shop/pod/batch-${index}`, 'success');
    await shell.navigate('services');
    await shell.navigate('audit');
    await audit.row(126).waitFor();
    await audit.loadMoreButton.waitFor();
    await audit.loadMoreButton.click();
    await audit.loadMoreButton.waitFor({ state: 'detached' });
    await audit.scrollTableToEnd();
    await audit.row(1).waitFor();
  });

  test('verifies the chain: intact, with the row count', async () => {
    await audit.verifyChain();
    expect(await audit.verification.textContent()).toContain('The chain is intact: 126 rows verified.');
  });

  test('exports the trail as JSON lines', async () => {
    const download = await audit.exportTrail();
    expect(download.suggestedFilename()).toMatch(/^kiops-audit-.+\.jsonl$/);
    const path = await download.path();
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(126);
    expect(JSON.parse(lines[1] ?? '{}')).toMatchObject({ seq: 2, action: 'deployment.scale', outcome: 'failure' });
  });

  test('names the problem and the seq when a row was edited behind the app', async () => {
    // what someone with file access would do: drop the append-only triggers and edit a row
    const database = new Database(join(app.server.dataDir, 'kiops.db'));
    try {
      database.exec('DROP TRIGGER audit_trail_append_only_update');
      database.prepare('UPDATE audit_trail SET target = ? WHERE seq = 2').run('shop/deployment/something-else');
    } finally {
      database.close();
    }
    await audit.verifyChain();
    await expect.poll(() => audit.verification.textContent()).toContain('The chain is broken at seq 2');
    expect(await audit.verification.textContent()).toContain('Row 2 was changed after it was recorded.');
    // the status bar turns red, on every page, until the finding is acknowledged
    await expect.poll(() => shell.statusBar.getAttribute('data-audit')).toBe('broken');
    expect(await shell.auditStatus.getAttribute('data-level')).toBe('error');
    expect(await shell.auditStatus.textContent()).toContain('Audit trail damaged');
    await shell.navigate('services');
    expect(await shell.statusBar.getAttribute('data-audit')).toBe('broken');
    await shell.navigate('audit');
    await audit.verifyChain();
    await expect.poll(() => audit.verification.textContent()).toContain('The chain is broken at seq 2');
    await shell.screenshot('audit-verify-broken-en');
  });

  test('refuses to record while the finding stands; Acknowledge with a reason records it and recording resumes', async () => {
    expect(() => record('pod.delete', 'shop/pod/web-9', 'success')).toThrow(/integrity check/);
    await audit.acknowledge('Row 2 edit reviewed with the security team');
    await expect.poll(() => audit.verification.textContent()).toContain('The chain is intact');
    expect(await audit.verification.textContent()).toContain('edited at row 2');
    expect(app.server.core.audit.list({ limit: 1 })[0]).toMatchObject({
      action: 'audit.reseal',
      outcome: 'success',
      details: { problem: 'edited', atSeq: 2, reason: 'Row 2 edit reviewed with the security team' },
    });
    expect(app.server.core.audit.status()).toEqual({ writable: true });
    expect(record('pod.delete', 'shop/pod/web-9', 'success')).toMatchObject({ outcome: 'success' });
    await expect.poll(() => shell.statusBar.getAttribute('data-audit')).toBe('ok');
    expect(await shell.auditStatus.getAttribute('data-level')).toBe('ok');
    await shell.screenshot('audit-acknowledged-en');
  });

  test('a target cut short shows whole in the tooltip, and a row opens from the keyboard', async () => {
    const target = `shop/pod/${'very-long-name-'.repeat(20)}end`;
    const row = record('pod.delete', target, 'failure', 'the pod is gone');
    await audit.row(row.seq).waitFor();
    const tooltip = await audit.hoverCell(row.seq, 5);
    expect((await tooltip.textContent())?.trim()).toBe(target);
    // a short text is whole in its cell: no tooltip
    await audit.row(row.seq).locator('td').nth(4).locator('span').hover();
    await tooltip.waitFor({ state: 'detached' });

    await audit.row(row.seq).focus();
    await app.page.keyboard.press('Enter');
    await audit.detail.waitFor();
    expect(await audit.detailField('chain').textContent()).toContain(`seq ${row.seq} `);
    await audit.closeDetail();
  });

  test('nothing failed in the page along the way', () => {
    expect(app.pageErrors).toEqual([]);
  });
});
