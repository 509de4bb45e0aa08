import type { AuditOutcome } from './audit-rows.ts';

/** naive-ui tag types, one per outcome: success green, failure red, refused orange. */
export type OutcomeTagType = 'success' | 'error' | 'warning';

const tagTypes: Record<AuditOutcome, OutcomeTagType> = {
  success: 'success',
  failure: 'error',
  // refused: blocked by policy (permission, blocked command, no audit), not broken
  refused: 'warning',
};

export function outcomeTagType(outcome: AuditOutcome): OutcomeTagType {
  return tagTypes[outcome];
}
