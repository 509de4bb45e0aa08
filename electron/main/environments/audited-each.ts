import type { AuditedOptions, AuditTrail } from '../audit/audit-trail.ts';
import type { AuditIntent } from '../audit/audit-row.ts';

/**
 * One audited action per intent around one piece of work: a "started" row for each before
 * `work` runs, an outcome row for each after it. An add of several kubeconfig contexts at once
 * writes one `environment.add` row per new environment, each with its own `environmentId`, so
 * the audit page's environment filter finds the add of every one of them.
 */
export function auditedEach<T>(trail: AuditTrail, intents: readonly [AuditIntent, ...AuditIntent[]], work: () => Promise<T>, options: AuditedOptions<T> = {}): Promise<T> {
  const [first, ...rest] = intents;
  const [next, ...later] = rest;
  return trail.audited(first, next === undefined ? work : () => auditedEach(trail, [next, ...later], work, options), options);
}
