import { AppError } from '../../../shared/errors.ts';
import type { AuditIntent } from '../audit/audit-row.ts';
import type { AuditedOptions, AuditTrail } from '../audit/audit-trail.ts';

/**
 * One audited action per intent around one piece of work: a "started" row for each before
 * `work` runs, an outcome row for each after it. An add of several kubeconfig contexts at once
 * writes one `environment.add` row per new environment, each with its own `environmentId`, so
 * the audit page's environment filter finds the add of every one of them.
 */
export function auditedEach<T>(trail: AuditTrail, intents: readonly AuditIntent[], work: () => Promise<T>, options: AuditedOptions<T> = {}): Promise<T> {
  const [first, ...rest] = intents;
  if (first === undefined) return Promise.reject(new AppError('INTERNAL', 'An audited action needs at least one audit row.', undefined, { key: 'environments.audit.noRows' }));
  return trail.audited(first, rest.length === 0 ? work : () => auditedEach(trail, rest, work, options), options);
}
