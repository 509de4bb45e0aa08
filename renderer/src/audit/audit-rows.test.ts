import { describe, expect, it } from 'vitest';
import type { AuditRowView } from '../../../shared/contract/audit.ts';
import { listInput, matchesFilters, mergeRows, noAuditFilters, oldestSeq, pageSize, type AuditFilters } from './audit-rows.ts';
import { outcomeTagType } from './outcome.ts';
import { formatDateTime } from '../shell/date-time.ts';

function row(seq: number, overrides: Partial<AuditRowView> = {}): AuditRowView {
  return {
    seq,
    at: '2026-01-01T00:00:00.000Z',
    actor: 'alice',
    action: 'pod.delete',
    target: `shop/web-${seq}`,
    outcome: 'success',
    details: {},
    prevHash: `h${seq - 1}`,
    hash: `h${seq}`,
    ...overrides,
  };
}

const noFilters = noAuditFilters();
const only = (filters: Partial<AuditFilters>): AuditFilters => ({ ...noAuditFilters(), ...filters });

describe('audit.list input', () => {
  it('asks for the newest page, or the page before a seq, with only the filters that are set', () => {
    expect(listInput(noFilters)).toEqual({ limit: pageSize });
    expect(listInput(noFilters, 40)).toEqual({ limit: pageSize, beforeSeq: 40 });
    expect(listInput(only({ action: '  deployment.scale ', outcome: 'refused' }))).toEqual({
      limit: pageSize,
      action: 'deployment.scale',
      outcome: 'refused',
    });
    const from = Date.UTC(2026, 11, 5, 9, 0, 0);
    expect(listInput(only({ text: ' web ', actor: 'alice', environmentId: 'env-1', range: [from, from + 60_000] }))).toEqual({
      limit: pageSize,
      text: 'web',
      actor: 'alice',
      environmentId: 'env-1',
      from: '2026-12-05T09:00:00.000Z',
      to: '2026-12-05T09:01:00.000Z',
    });
  });
});

describe('live rows and filters', () => {
  it('keeps a live row only when it matches the action and outcome shown', () => {
    const refusedScale = row(1, { action: 'deployment.scale', outcome: 'refused' });
    expect(matchesFilters(refusedScale, noFilters)).toBe(true);
    expect(matchesFilters(refusedScale, only({ action: 'deployment.scale' }))).toBe(true);
    expect(matchesFilters(refusedScale, only({ action: 'SCALE' }))).toBe(true);
    expect(matchesFilters(refusedScale, only({ action: 'pod.delete' }))).toBe(false);
    expect(matchesFilters(refusedScale, only({ outcome: 'success' }))).toBe(false);
    expect(matchesFilters(refusedScale, only({ action: 'deployment.scale', outcome: 'refused' }))).toBe(true);
  });

  it('applies text, actor, environment and time as main does: contained, ignoring case', () => {
    const command = row(2, {
      action: 'command.run',
      target: 'docker/build-host',
      actorIdentity: 'Deploy-Bot',
      environmentId: 'env-ssh',
      environmentName: 'Build Host',
      error: 'Exit 3',
      details: { argv: ['docker', 'exec', 'web', 'printenv'] },
      at: '2026-12-05T09:00:30.000Z',
    });
    for (const text of ['PRINTENV', 'build host', 'deploy-bot', 'exit 3', 'docker/build']) expect(matchesFilters(command, only({ text }))).toBe(true);
    expect(matchesFilters(command, only({ text: 'nginx' }))).toBe(false);
    expect(matchesFilters(command, only({ actor: 'ALI' }))).toBe(true);
    expect(matchesFilters(command, only({ actor: 'bot' }))).toBe(true);
    expect(matchesFilters(command, only({ actor: 'carol' }))).toBe(false);
    expect(matchesFilters(command, only({ environmentId: 'env-ssh' }))).toBe(true);
    expect(matchesFilters(command, only({ environmentId: 'env-local' }))).toBe(false);
    const at = Date.UTC(2026, 11, 5, 9, 0, 30);
    expect(matchesFilters(command, only({ range: [at, at] }))).toBe(true);
    expect(matchesFilters(command, only({ range: [at + 1, at + 60_000] }))).toBe(false);
    expect(matchesFilters(command, only({ range: [at - 60_000, at - 1] }))).toBe(false);
  });
});

describe('rows shown', () => {
  it('are newest first, with live rows on top and older pages below, never twice', () => {
    const shown = [row(5), row(4)];
    const withLive = mergeRows(shown, [row(6), row(5)]);
    expect(withLive.map((r) => r.seq)).toEqual([6, 5, 4]);
    expect(mergeRows(withLive, [row(3), row(2)]).map((r) => r.seq)).toEqual([6, 5, 4, 3, 2]);
  });

  it('continue "Load more" from the oldest seq shown', () => {
    expect(oldestSeq([row(9), row(7), row(8)])).toBe(7);
    expect(oldestSeq([])).toBeUndefined();
  });
});

describe('outcome tags', () => {
  it('are green for success, red for failure and orange for refused', () => {
    expect(outcomeTagType('success')).toBe('success');
    expect(outcomeTagType('failure')).toBe('error');
    expect(outcomeTagType('refused')).toBe('warning');
  });
});

describe('audit times', () => {
  it('read as year-month-day and 24-hour time in the local zone, the raw value when unreadable', () => {
    const local = new Date(2026, 10, 27, 7, 5, 9).toISOString();
    expect(formatDateTime(local, 'en')).toBe('2026-11-27 07:05:09');
    expect(formatDateTime(local, 'ko')).toMatch(/^2026\. 11\. 27\. 07:05:09$/);
    expect(formatDateTime('not a time', 'en')).toBe('not a time');
  });
});
