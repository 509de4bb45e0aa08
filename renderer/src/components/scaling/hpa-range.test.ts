import { describe, expect, it } from 'vitest';
import { maxReplicaCount } from '../../../../shared/contract/scaling.ts';
import { hpaRangeProblem } from './hpa-range.ts';

describe('an HPA min / max that cannot be saved says why', () => {
  it.each([
    [0, 10],
    [-3, 5],
  ])('min %i below 1', (min, max) => expect(hpaRangeProblem(min, max)).toEqual({ field: 'min', key: 'scaling.minBelowOne' }));

  it.each([
    [1, 0],
    [2, -1],
  ])('max %i → %i below 1', (min, max) => expect(hpaRangeProblem(min, max)).toEqual({ field: 'max', key: 'scaling.maxBelowOne' }));

  it.each([maxReplicaCount + 1, 10_000])('max %i above the limit', (max) =>
    expect(hpaRangeProblem(1, max)).toEqual({ field: 'max', key: 'scaling.maxAboveLimit', limit: maxReplicaCount }),
  );

  it.each([
    [5, 4],
    [11, 10],
    [maxReplicaCount, 1],
  ])('min %i above max %i', (min, max) => expect(hpaRangeProblem(min, max)).toEqual({ field: 'min', key: 'scaling.minAboveMax' }));

  it.each([
    [1, 1],
    [1, 10],
    [3, maxReplicaCount],
    [null, 5],
    [2, null],
  ])('min %s and max %s are fine', (min, max) => expect(hpaRangeProblem(min, max)).toBeNull());
});
