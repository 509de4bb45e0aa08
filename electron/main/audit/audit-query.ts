import type { AuditOutcome } from './audit-row.ts';

/** What the Audit Log narrows the trail to. Every field is optional; none set means every row. */
export interface AuditFilter {
  /** Contained (case-insensitive) in action, target, actor, identity, error or details. */
  readonly text?: string;
  /** Environments whose name contains `text`: their rows match the text too. */
  readonly textEnvironmentIds?: readonly string[];
  /** Contained (case-insensitive) in the OS user or the identity the action ran as. */
  readonly actor?: string;
  readonly environmentId?: string;
  /** Contained (case-insensitive) in the action. */
  readonly action?: string;
  readonly outcome?: AuditOutcome;
  /** ISO instants, inclusive. */
  readonly from?: string;
  readonly to?: string;
}

export interface AuditListQuery extends AuditFilter {
  /** 1–1000; default 100. */
  readonly limit?: number;
  /** Only rows older than this seq (paging backwards from the newest). */
  readonly beforeSeq?: number;
}

export interface SqlCondition {
  readonly where: string;
  readonly parameters: (string | number)[];
}

// instr() on lower()ed text rather than LIKE: nothing in what the user types is a wildcard
const contains = (column: string) => `instr(lower(${column}), lower(?)) > 0`;
const searchedText = `action || ' ' || target || ' ' || actor || ' ' || coalesce(actor_identity, '') || ' ' || coalesce(error, '') || ' ' || details`;

/**
 * The WHERE clause (with its parameters) for a filter, so the page and the export select the
 * same rows in SQL instead of loading the trail. Times are compared as the stored UTC ISO form.
 */
export function auditWhere(filter: AuditFilter & { readonly beforeSeq?: number; readonly afterSeq?: number }): SqlCondition {
  const conditions: string[] = [];
  const parameters: (string | number)[] = [];
  const add = (condition: string, ...values: (string | number)[]) => {
    conditions.push(condition);
    parameters.push(...values);
  };
  if (filter.beforeSeq !== undefined) add('seq < ?', filter.beforeSeq);
  if (filter.afterSeq !== undefined) add('seq > ?', filter.afterSeq);
  const text = filter.text?.trim();
  if (text) {
    const ids = filter.textEnvironmentIds ?? [];
    const byEnvironment = ids.length === 0 ? '' : ` OR environment_id IN (${ids.map(() => '?').join(', ')})`;
    add(`(${contains(searchedText)}${byEnvironment})`, text, ...ids);
  }
  const actor = filter.actor?.trim();
  if (actor) add(`(${contains('actor')} OR ${contains("coalesce(actor_identity, '')")})`, actor, actor);
  if (filter.environmentId !== undefined) add('environment_id = ?', filter.environmentId);
  const action = filter.action?.trim();
  if (action) add(contains('action'), action);
  if (filter.outcome !== undefined) add('outcome = ?', filter.outcome);
  if (filter.from !== undefined) add('at >= ?', utcInstant(filter.from));
  if (filter.to !== undefined) add('at <= ?', utcInstant(filter.to));
  return { where: conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`, parameters };
}

/** Rows store `Date.toISOString()`; bounds are brought to the same form so text order is time order. */
function utcInstant(value: string): string {
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? value : time.toISOString();
}
