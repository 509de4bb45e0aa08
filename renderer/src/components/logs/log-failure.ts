import type { Failure } from '../../shell/failure.ts';

/** Why a log fetch failed, as the operator can act on it. */
export type LogFailureCause = 'pod-gone' | 'container-gone' | 'no-previous' | 'not-started' | 'permission' | 'other';

/**
 * Reads a failed `logs.fetch`: main's code, and for the cluster's 400s the API server's wording
 * (kubelet's "previous terminated container … not found", "is waiting to start").
 */
export function logFailureCause(failure: Failure): LogFailureCause {
  const message = failure.message ?? '';
  if (failure.code === 'PERMISSION_DENIED') return 'permission';
  if (failure.code === 'NOT_FOUND') return /has no container|container .* not found|no such container/i.test(message) ? 'container-gone' : 'pod-gone';
  if (/previous terminated container .* not found/i.test(message)) return 'no-previous';
  if (/is waiting to start|ContainerCreating|PodInitializing/i.test(message)) return 'not-started';
  if (/container .* is not valid for pod/i.test(message)) return 'container-gone';
  return 'other';
}
