import type { AuditOutcome } from './audit-rows.ts';

/** naive-ui tag types, one per outcome: started blue, success green, failure red, refused orange. */
export type OutcomeTagType = 'success' | 'error' | 'warning' | 'info';

const tagTypes: Record<AuditOutcome, OutcomeTagType> = {
  // the row written before an action runs; its outcome row follows (details.startedSeq)
  started: 'info',
  success: 'success',
  failure: 'error',
  // refused: blocked by policy (permission, blocked command, no audit), not broken
  refused: 'warning',
};

export function outcomeTagType(outcome: AuditOutcome): OutcomeTagType {
  return tagTypes[outcome];
}
