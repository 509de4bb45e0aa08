import type { AuditRowView } from '../../../shared/contract/audit.ts';
import type { auditOutcomes } from '../../../shared/contract/audit.ts';

export type AuditOutcome = (typeof auditOutcomes)[number];

/** What the Audit Log page filters by; empty means "any". */
export interface AuditFilters {
  action: string;
  outcome: AuditOutcome | null;
}

export const pageSize = 100;

/** The `audit.list` input for the first page (`beforeSeq` undefined) or the page older than it. */
export function listInput(filters: AuditFilters, beforeSeq?: number) {
  const action = filters.action.trim();
  return {
    limit: pageSize,
    ...(beforeSeq === undefined ? {} : { beforeSeq }),
    ...(action ? { action } : {}),
    ...(filters.outcome ? { outcome: filters.outcome } : {}),
  };
}

/** Whether a live-appended row belongs in the list the filters describe (action matches exactly). */
export function matchesFilters(row: AuditRowView, filters: AuditFilters): boolean {
  const action = filters.action.trim();
  if (action && row.action !== action) return false;
  if (filters.outcome && row.outcome !== filters.outcome) return false;
  return true;
}

/**
 * Rows are shown newest first. New rows (live appends) go on top, older pages at the bottom;
 * a seq already shown is never shown twice, since a live row can also arrive in a page that
 * was requested while it was being recorded.
 */
export function mergeRows(shown: readonly AuditRowView[], incoming: readonly AuditRowView[]): AuditRowView[] {
  if (incoming.length === 0) return shown as AuditRowView[];
  const bySeq = new Map<number, AuditRowView>();
  for (const row of shown) bySeq.set(row.seq, row);
  for (const row of incoming) bySeq.set(row.seq, row);
  return [...bySeq.values()].sort((a, b) => b.seq - a.seq);
}

/** The oldest seq shown: where "Load more" continues from. */
export function oldestSeq(rows: readonly AuditRowView[]): number | undefined {
  let oldest: number | undefined;
  for (const row of rows) if (oldest === undefined || row.seq < oldest) oldest = row.seq;
  return oldest;
}
