// The STATUS, READY and RESTARTS columns exactly as kubectl's pod printer derives them
// (k8s.io/kubernetes/pkg/printers/internalversion printPod).

import { humanDuration } from './time.ts';
import type { Pod } from './types.ts';

export interface PodDisplay {
  ready: string;
  status: string;
  restarts: string;
}

export function podDisplay(pod: Pod, now: number = Date.now()): PodDisplay {
  const statuses = pod.status?.containerStatuses ?? [];
  const total = pod.spec.containers.length;
  let restarts = 0;
  let readyContainers = 0;
  let lastRestart = 0;
  let reason = pod.status?.phase ?? 'Pending';
  if (pod.status?.reason) reason = pod.status.reason;

  let hasRunning = false;
  for (let index = statuses.length - 1; index >= 0; index--) {
    const container = statuses[index];
    if (!container) continue;
    restarts += container.restartCount;
    const finishedAt = container.lastState.terminated?.finishedAt;
    if (finishedAt) lastRestart = Math.max(lastRestart, Date.parse(finishedAt));
    const state = container.state;
    if (state.waiting?.reason) reason = state.waiting.reason;
    else if (state.terminated?.reason) reason = state.terminated.reason;
    else if (state.terminated) reason = state.terminated.signal ? `Signal:${state.terminated.signal}` : `ExitCode:${state.terminated.exitCode}`;
    else if (state.running && container.ready) {
      hasRunning = true;
      readyContainers++;
    }
  }
  if (reason === 'Completed' && hasRunning) {
    const readyCondition = pod.status?.conditions?.find((condition) => condition.type === 'Ready');
    reason = readyCondition?.status === 'True' ? 'Running' : 'NotReady';
  }
  if (pod.metadata.deletionTimestamp) reason = pod.status?.reason === 'NodeLost' ? 'Unknown' : 'Terminating';

  const restartText = lastRestart > 0 && restarts > 0 ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);
  return { ready: `${readyContainers}/${total}`, status: reason, restarts: restartText };
}
