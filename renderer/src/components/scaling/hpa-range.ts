import { maxReplicaCount } from '../../../../shared/contract/scaling.ts';

/** Why an HPA's min / max pod counts cannot be saved, and which field to show it next to. */
export type HpaRangeProblem =
  | { field: 'min'; key: 'scaling.minBelowOne' }
  | { field: 'max'; key: 'scaling.maxAboveLimit'; limit: number }
  | { field: 'max'; key: 'scaling.maxBelowOne' }
  | { field: 'min'; key: 'scaling.minAboveMax' };

/** The same rules main's schema enforces (1 ≤ min ≤ max ≤ limit), said before the click. */
export function hpaRangeProblem(min: number | null, max: number | null, limit = maxReplicaCount): HpaRangeProblem | null {
  if (min !== null && min < 1) return { field: 'min', key: 'scaling.minBelowOne' };
  if (max !== null && max < 1) return { field: 'max', key: 'scaling.maxBelowOne' };
  if (max !== null && max > limit) return { field: 'max', key: 'scaling.maxAboveLimit', limit };
  if (min !== null && max !== null && min > max) return { field: 'min', key: 'scaling.minAboveMax' };
  return null;
}
