import { describe, expect, it } from 'vitest';
import { i18n } from '../../i18n/index.ts';
import { pendingDeletionSummary } from './pending-deletion-summary.ts';

const t = (key: string, named: Record<string, unknown>, plural: number) => i18n.global.t(key, named, plural);
const pods = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);

describe('the result of deleting every Pending pod', () => {
  it.each([1, 2, 7])('names how many were deleted (%i) with the right plural', (n) => {
    const summary = pendingDeletionSummary({ deleted: pods('web', n), skipped: [], failed: [] }, t);
    expect(summary).toEqual({ type: 'success', lines: [n === 1 ? 'Deleted 1 Pending pod' : `Deleted ${n} Pending pods`] });
  });

  it.each([1, 3])('says %i were skipped because they are no longer Pending, by name', (m) => {
    const skipped = pods('api', m).map((name) => ({ name, reason: 'Running now' }));
    const summary = pendingDeletionSummary({ deleted: ['api-x'], skipped, failed: [] }, t);
    expect(summary.type).toBe('warning');
    expect(summary.lines[1]).toBe(`${m} skipped because ${m === 1 ? 'it is' : 'they are'} no longer Pending: ${skipped.map((pod) => pod.name).join(', ')}`);
  });

  it('names every failure with its error, and nothing deleted is an error', () => {
    const summary = pendingDeletionSummary({ deleted: [], skipped: [], failed: [{ name: 'db-1', error: 'forbidden' }, { name: 'db-2', error: 'timeout' }] }, t);
    expect(summary).toEqual({ type: 'error', lines: ['No Pending pod was deleted', 'db-1 failed: forbidden', 'db-2 failed: timeout'] });
  });

  it('in Korean counts with 개', () => {
    i18n.global.locale.value = 'ko';
    try {
      const summary = pendingDeletionSummary({ deleted: pods('web', 3), skipped: [{ name: 'web-9', reason: 'Running' }], failed: [] }, t);
      expect(summary.lines).toEqual(['Pending Pod 3개를 삭제했습니다', '더 이상 Pending이 아니어서 1개를 건너뛰었습니다: web-9']);
    } finally {
      i18n.global.locale.value = 'en';
    }
  });
});
