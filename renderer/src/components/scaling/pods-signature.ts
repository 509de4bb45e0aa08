/** What of a pod the Scaling panel's numbers follow: whether it runs and whether all its containers are ready. */
export interface ScaledPod {
  readonly phase: string;
  readonly ready: string;
}

/**
 * A short summary of the pod table that changes when the replica counts the Scaling panel shows
 * can change: how many pods, how many running, how many ready. One pass and three numbers, so a
 * 20,000-pod table costs no string built over every row each time a watch batch lands.
 */
export function podsSignature(pods: readonly ScaledPod[]): string {
  let running = 0;
  let ready = 0;
  for (const pod of pods) {
    if (pod.phase === 'Running') running += 1;
    const slash = pod.ready.indexOf('/');
    if (slash > 0 && pod.ready.slice(0, slash) === pod.ready.slice(slash + 1)) ready += 1;
  }
  return `${pods.length}:${running}:${ready}`;
}
