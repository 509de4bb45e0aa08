import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRowView } from '../../../shared/contract/audit.ts';
import type { AuditEntry, AuditRow } from '../../../electron/main/audit/audit-row.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { startCatalogCore, type CatalogCore } from '../catalog/support.ts';

// The Audit Log's filters through the contract: main selects the rows in SQL (text contained,
// case-insensitive; actor; environment; action; outcome; time range), the export honours the same
// filters, and every row names its environment, so the same container on two engines reads apart.

const env = useTestEnvironment('keyring', 'docker');

describe('Audit Log filters through the contract', () => {
  let app: CatalogCore;
  const tag = randomUUID().slice(0, 8);
  const names = { laptop: `laptop-${tag}`, buildHost: `Build-Host-${tag}` };
  const ids = { laptop: '', buildHost: '' };
  const rows: AuditRow[] = [];

  /** Records a row and waits until the clock has moved on, so the next row has a later time. */
  async function record(entry: Omit<AuditEntry, 'outcome'> & { outcome?: AuditEntry['outcome'] }): Promise<AuditRow> {
    const row = app.core.audit.record({ outcome: 'success', ...entry });
    rows.push(row);
    while (Date.now() <= Date.parse(row.at)) await new Promise((resolve) => setTimeout(resolve, 2));
    return row;
  }
  const seqs = (list: readonly AuditRowView[]) => list.map((row) => row.seq);
  const mine = (list: readonly AuditRowView[]) => seqs(list.filter((row) => rows.some((own) => own.seq === row.seq)));

  beforeAll(async () => {
    app = await startCatalogCore();
    ids.laptop = (await app.client.call('environments.addEngine', { name: names.laptop, engine: 'docker', socketPath: env.docker.socketPath })).id;
    ids.buildHost = (await app.client.call('environments.addEngine', { name: names.buildHost, engine: 'docker', socketPath: env.docker.socketPath })).id;
    await record({ action: 'container.restart', target: `docker/container/web-${tag}`, environmentId: ids.laptop, details: { container: `web-${tag}` } });
    await record({ action: 'container.restart', target: `docker/container/web-${tag}`, environmentId: ids.buildHost, actorIdentity: `deploy-${tag}`, details: { container: `web-${tag}` } });
    await record({ action: 'command.run', target: `docker/${tag}`, environmentId: ids.buildHost, outcome: 'failure', error: `Exit 3 from Printenv-${tag}`, details: { argv: ['docker', 'exec', `web-${tag}`, 'printenv'], exitCode: 3 } });
    await record({ action: 'deployment.scale', target: `shop/deployment/api-${tag}`, outcome: 'refused', error: 'production needs typed confirmation', details: { before: 3, after: 2 } });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('names the environment in every row that has one: the same container on two engines reads apart', async () => {
    const { rows: listed } = await app.client.call('audit.list', { limit: 500, text: `web-${tag}`, action: 'container.restart' });
    expect(listed.map((row) => [row.target, row.environmentName])).toEqual([
      [`docker/container/web-${tag}`, names.buildHost],
      [`docker/container/web-${tag}`, names.laptop],
    ]);
    expect(listed[0]).toMatchObject({ seq: rows[1]!.seq, prevHash: rows[0]!.hash, hash: rows[1]!.hash });
  });

  it('text matches when contained anywhere in the row, ignoring case: target, error, argv, identity, environment name', async () => {
    const text = async (value: string) => mine((await app.client.call('audit.list', { limit: 500, text: value })).rows);
    expect(await text(`WEB-${tag}`)).toEqual([rows[2]!.seq, rows[1]!.seq, rows[0]!.seq]);
    expect(await text(`printenv-${tag}`.toUpperCase())).toEqual([rows[2]!.seq]);
    expect(await text(`DEPLOY-${tag}`)).toEqual([rows[1]!.seq]);
    expect(await text(`api-${tag}`)).toEqual([rows[3]!.seq]);
    expect(await text(`build-host-${tag}`)).toEqual([rows[2]!.seq, rows[1]!.seq]);
    // what the user types is never a wildcard
    expect(await text(`%-${tag}`)).toEqual([]);
    expect(await text(`w_b-${tag}`)).toEqual([]);
  });

  it('filters by actor, environment, action (contained), outcome and combines them', async () => {
    const list = async (filter: Record<string, string>) => mine((await app.client.call('audit.list', { limit: 500, text: tag, ...filter })).rows);
    expect(await list({ environmentId: ids.buildHost })).toEqual([rows[2]!.seq, rows[1]!.seq]);
    expect(await list({ environmentId: ids.laptop })).toEqual([rows[0]!.seq]);
    expect(await list({ actor: `Deploy-${tag}` })).toEqual([rows[1]!.seq]);
    expect(await list({ actor: rows[0]!.actor.toUpperCase() })).toEqual(rows.map((row) => row.seq).reverse());
    expect(await list({ action: 'RESTART' })).toEqual([rows[1]!.seq, rows[0]!.seq]);
    expect(await list({ outcome: 'refused' })).toEqual([rows[3]!.seq]);
    expect(await list({ outcome: 'failure', environmentId: ids.buildHost, action: 'command' })).toEqual([rows[2]!.seq]);
    expect(await list({ outcome: 'failure', environmentId: ids.laptop })).toEqual([]);
  });

  it('filters by time range, both ends inclusive, in any offset', async () => {
    const list = async (filter: Record<string, string>) => mine((await app.client.call('audit.list', { limit: 500, text: tag, ...filter })).rows);
    const [first, second, third] = rows as [AuditRow, AuditRow, AuditRow];
    expect(await list({ from: second.at, to: third.at })).toEqual([third.seq, second.seq]);
    expect(await list({ to: first.at })).toEqual([first.seq]);
    // the same instant written with an offset selects the same rows
    const shifted = new Date(Date.parse(second.at) + 2 * 3600_000).toISOString().replace('Z', '+02:00');
    expect(await list({ from: shifted, to: shifted })).toEqual([second.seq]);
  });

  it('pages a filtered list with beforeSeq and says when more rows match', async () => {
    const first = await app.client.call('audit.list', { limit: 1, text: `web-${tag}` });
    expect(seqs(first.rows)).toEqual([rows[2]!.seq]);
    expect(first.hasMore).toBe(true);
    const rest = await app.client.call('audit.list', { limit: 5, text: `web-${tag}`, beforeSeq: first.rows[0]!.seq });
    expect(seqs(rest.rows)).toEqual([rows[1]!.seq, rows[0]!.seq]);
    expect(rest.hasMore).toBe(false);
  });

  it('exports only the rows the filters select, oldest first, as stored with their hashes', async () => {
    const exported = await app.client.call('audit.export', { text: tag, environmentId: ids.buildHost });
    expect(exported.fileName).toMatch(/^kiops-audit-filtered-.+\.jsonl$/);
    const lines = exported.jsonLines.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    // the environment's own add rows carry its id (and its name holds the tag): they belong in this export too
    expect(lines.filter((line) => line.action === 'environment.add').map((line) => [line.outcome, line.environmentId])).toEqual([
      ['started', ids.buildHost],
      ['success', ids.buildHost],
    ]);
    const own = lines.filter((line) => rows.some((row) => row.seq === line.seq));
    expect(own.map((line) => line.seq)).toEqual([rows[1]!.seq, rows[2]!.seq]);
    expect(own[1]).toMatchObject({ action: 'command.run', environmentId: ids.buildHost, hash: rows[2]!.hash, prevHash: rows[1]!.hash, details: { argv: ['docker', 'exec', `web-${tag}`, 'printenv'] } });
    const all = await app.client.call('audit.export', {});
    expect(all.jsonLines.trim().split('\n').length).toBeGreaterThanOrEqual(rows.length + 2);
  });

  it('refuses a filter it cannot read', async () => {
    await expect(app.client.call('audit.list', { limit: 10, from: 'yesterday' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(app.client.call('audit.export', { outcome: 'maybe' } as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
