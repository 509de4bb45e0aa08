import type { AuditFilter, AuditRowView } from '../../../shared/contract/audit.ts';
import type { auditOutcomes } from '../../../shared/contract/audit.ts';

export type AuditOutcome = (typeof auditOutcomes)[number];

/**
 * What the Audit Log page filters by; empty means "any". Main applies them in SQL (text, actor
 * and action contained, ignoring case); `range` is two epoch milliseconds, both inclusive.
 */
export interface AuditFilters {
  text: string;
  actor: string;
  environmentId: string | null;
  action: string;
  outcome: AuditOutcome | null;
  range: [number, number] | null;
}

export const noAuditFilters = (): AuditFilters => ({ text: '', actor: '', environmentId: null, action: '', outcome: null, range: null });

export const pageSize = 100;

/** The filters as `audit.list` and `audit.export` take them: only the ones that are set. */
export function filterInput(filters: AuditFilters): AuditFilter {
  const text = filters.text.trim();
  const actor = filters.actor.trim();
  const action = filters.action.trim();
  return {
    ...(text ? { text } : {}),
    ...(actor ? { actor } : {}),
    ...(filters.environmentId ? { environmentId: filters.environmentId } : {}),
    ...(action ? { action } : {}),
    ...(filters.outcome ? { outcome: filters.outcome } : {}),
    ...(filters.range ? { from: new Date(filters.range[0]).toISOString(), to: new Date(filters.range[1]).toISOString() } : {}),
  };
}

/** The `audit.list` input for the first page (`beforeSeq` undefined) or the page older than it. */
export function listInput(filters: AuditFilters, beforeSeq?: number) {
  return { limit: pageSize, ...(beforeSeq === undefined ? {} : { beforeSeq }), ...filterInput(filters) };
}

export function isFiltered(filters: AuditFilters): boolean {
  return Object.keys(filterInput(filters)).length > 0;
}

const contains = (haystack: string | undefined, needle: string) => (haystack ?? '').toLowerCase().includes(needle.toLowerCase());

/** Whether a live-appended row belongs in the list the filters describe: the same rules as main's query. */
export function matchesFilters(row: AuditRowView, filters: AuditFilters): boolean {
  const { text, actor, action } = filterInput(filters);
  if (text !== undefined) {
    const searched = [row.action, row.target, row.actor, row.actorIdentity, row.error, JSON.stringify(row.details), row.environmentName].join(' ');
    if (!contains(searched, text)) return false;
  }
  if (actor !== undefined && !contains(row.actor, actor) && !contains(row.actorIdentity, actor)) return false;
  if (filters.environmentId && row.environmentId !== filters.environmentId) return false;
  if (action !== undefined && !contains(row.action, action)) return false;
  if (filters.outcome && row.outcome !== filters.outcome) return false;
  if (filters.range) {
    const at = Date.parse(row.at);
    if (at < filters.range[0] || at > filters.range[1]) return false;
  }
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
