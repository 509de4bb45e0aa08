import type { PendingDeletionView } from '../../../../shared/contract/pods.ts';

type Translate = (key: string, named: Record<string, unknown>, plural: number) => string;

/** What a bulk Pending delete did, line by line: deleted, skipped (no longer Pending), failures by name. */
export function pendingDeletionSummary(result: PendingDeletionView, t: Translate): { type: 'success' | 'warning' | 'error'; lines: string[] } {
  const lines = [t('podList.pendingDeleted', { count: result.deleted.length }, result.deleted.length)];
  if (result.skipped.length > 0) {
    const names = result.skipped.map((pod) => pod.name).join(', ');
    lines.push(t('podList.pendingSkipped', { count: result.skipped.length, names }, result.skipped.length));
  }
  for (const failure of result.failed) lines.push(t('podList.pendingFailed', { name: failure.name, error: failure.error }, 1));
  const type = result.failed.length > 0 ? (result.deleted.length > 0 ? 'warning' : 'error') : result.skipped.length > 0 ? 'warning' : 'success';
  return { type, lines };
}
