// Conditions keep their lastTransitionTime while their status stays the same.

import { timestamp } from './time.ts';
import type { Condition } from './types.ts';

export function setCondition(conditions: Condition[] | undefined, next: Omit<Condition, 'lastTransitionTime' | 'lastUpdateTime'>, options: { withUpdateTime?: boolean; withProbeTime?: boolean } = {}): Condition[] {
  const list = [...(conditions ?? [])];
  const index = list.findIndex((condition) => condition.type === next.type);
  const previous = index >= 0 ? list[index] : undefined;
  const now = timestamp();
  const same = previous && previous.status === next.status && previous.reason === next.reason && previous.message === next.message;
  const condition: Condition = {
    ...next,
    ...(options.withProbeTime ? { lastProbeTime: null } : {}),
    ...(options.withUpdateTime ? { lastUpdateTime: same ? (previous.lastUpdateTime ?? now) : now } : {}),
    lastTransitionTime: previous && previous.status === next.status ? (previous.lastTransitionTime ?? now) : now,
  };
  if (index >= 0) list[index] = condition;
  else list.push(condition);
  return list;
}

export function conditionStatus(conditions: Condition[] | undefined, type: string): string | undefined {
  return conditions?.find((condition) => condition.type === type)?.status;
}
