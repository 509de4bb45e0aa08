import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { isoTime } from './kubernetes-access.ts';

/** The colour family the Pod List shows a status in (spec: blue / orange / red / grey). */
export type PodStatusTone = 'running' | 'pending' | 'failed' | 'other';

/** One Pod List row: only what the table shows, as plain JSON. Full objects are fetched on demand. */
export interface PodRow {
  readonly uid: string;
  readonly name: string;
  readonly namespace: string;
  /** status.phase: Pending | Running | Succeeded | Failed | Unknown. */
  readonly phase: string;
  /** What `kubectl get pods` shows in STATUS: Running, ContainerCreating, CrashLoopBackOff, Init:0/1, Terminating… */
  readonly displayStatus: string;
  readonly statusTone: PodStatusTone;
  /** "ready/total", as the READY column. */
  readonly ready: string;
  readonly restarts: number;
  /** When the newest restart's previous run ended (the "(2m ago)" of RESTARTS), ISO 8601. */
  readonly lastRestartAt: string | null;
  /** creationTimestamp, ISO 8601: the AGE column counts from here. */
  readonly createdAt: string | null;
  readonly node: string | null;
  readonly podIP: string | null;
  /** Pending pods get the expand row with root-cause analysis and are targets of bulk Pending delete. */
  readonly isPending: boolean;
  readonly containers: readonly string[];
  /** Set while a container is in CrashLoopBackOff: how its previous run ended, for the explanation beside the status. */
  readonly crashLoop?: CrashLoopFacts;
}

/** How the previous run of a crash-looping container ended, from its lastState and its spec. */
export interface CrashLoopFacts {
  readonly container: string;
  readonly exitCode: number | null;
  /** kubelet's reason: Error, OOMKilled, ContainerCannotRun… */
  readonly reason: string | null;
  readonly signal: number | null;
  readonly finishedAt: string | null;
  /** The container's memory limit as written in the spec ("256Mi"); null when it has none. */
  readonly memoryLimit: string | null;
  readonly restartCount: number;
}

/** The first container waiting in CrashLoopBackOff, with how its last run ended. */
export function crashLoopOf(pod: V1Pod): CrashLoopFacts | undefined {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const looping = statuses.find((status) => status.state?.waiting?.reason === 'CrashLoopBackOff');
  if (!looping) return undefined;
  const spec = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((container) => container.name === looping.name);
  const last = looping.lastState?.terminated;
  const memory: unknown = spec?.resources?.limits?.memory;
  return {
    container: looping.name,
    exitCode: last?.exitCode ?? null,
    reason: last?.reason ?? null,
    signal: last?.signal ?? null,
    finishedAt: isoTime(last?.finishedAt),
    memoryLimit: typeof memory === 'string' || typeof memory === 'number' ? String(memory) : null,
    restartCount: looping.restartCount,
  };
}

const failedStatuses: ReadonlySet<string> = new Set(['failed', 'error', 'crashloopbackoff', 'imagepullbackoff', 'errimagepull']);

/** The spec's colour rule, applied to the shown status text (case-insensitive, whole word). */
export function podStatusTone(displayStatus: string): PodStatusTone {
  const status = displayStatus.toLowerCase();
  if (status === 'running') return 'running';
  if (status === 'pending') return 'pending';
  if (failedStatuses.has(status)) return 'failed';
  return 'other';
}

function terminatedText(prefix: string, state: { reason?: string; signal?: number; exitCode: number }): string {
  if (state.reason) return `${prefix}${state.reason}`;
  return state.signal ? `${prefix}Signal:${state.signal}` : `${prefix}ExitCode:${state.exitCode}`;
}

function laterTime(current: string | null, candidate: unknown): string | null {
  const time = isoTime(candidate);
  if (time === null) return current;
  return current === null || Date.parse(time) > Date.parse(current) ? time : current;
}

function conditionTrue(pod: V1Pod, type: string): boolean {
  return (pod.status?.conditions ?? []).some((condition) => condition.type === type && condition.status === 'True');
}

interface Tally {
  status: string;
  ready: number;
  total: number;
  restarts: number;
  lastRestartAt: string | null;
}

/** Init containers decide STATUS while the pod initializes (kubectl's printPod, sidecars included). */
function tallyInitContainers(pod: V1Pod, tally: Tally): boolean {
  const specs = pod.spec?.initContainers ?? [];
  const sidecars = new Set(specs.filter((container) => container.restartPolicy === 'Always').map((container) => container.name));
  tally.total += sidecars.size;
  const statuses = pod.status?.initContainerStatuses ?? [];
  for (const [index, container] of statuses.entries()) {
    tally.restarts += container.restartCount;
    if (container.lastState?.terminated) tally.lastRestartAt = laterTime(tally.lastRestartAt, container.lastState.terminated.finishedAt);
    const terminated = container.state?.terminated;
    const waiting = container.state?.waiting;
    if (terminated && terminated.exitCode === 0) continue;
    if (sidecars.has(container.name) && container.started) {
      if (container.ready) tally.ready += 1;
      continue;
    }
    if (terminated) tally.status = terminatedText('Init:', terminated);
    else if (waiting?.reason && waiting.reason !== 'PodInitializing') tally.status = `Init:${waiting.reason}`;
    else tally.status = `Init:${index}/${specs.length}`;
    return true;
  }
  return false;
}

function tallyContainers(statuses: readonly V1ContainerStatus[], tally: Tally): boolean {
  let hasRunning = false;
  for (let index = statuses.length - 1; index >= 0; index -= 1) {
    const container = statuses[index];
    if (!container) continue;
    tally.restarts += container.restartCount;
    if (container.lastState?.terminated) tally.lastRestartAt = laterTime(tally.lastRestartAt, container.lastState.terminated.finishedAt);
    const { waiting, terminated, running } = container.state ?? {};
    if (waiting?.reason) tally.status = waiting.reason;
    else if (terminated) tally.status = terminatedText('', terminated);
    else if (container.ready && running) {
      hasRunning = true;
      tally.ready += 1;
    }
  }
  return hasRunning;
}

/** kubectl's STATUS/READY/RESTARTS computation (pkg/printers printPod), for one pod. */
export function podDisplay(pod: V1Pod): { displayStatus: string; ready: string; restarts: number; lastRestartAt: string | null } {
  const phase = pod.status?.phase ?? 'Unknown';
  const tally: Tally = { status: pod.status?.reason || phase, ready: 0, total: pod.spec?.containers.length ?? 0, restarts: 0, lastRestartAt: null };
  if ((pod.status?.conditions ?? []).some((condition) => condition.type === 'PodScheduled' && condition.reason === 'SchedulingGated')) tally.status = 'SchedulingGated';
  const initializing = tallyInitContainers(pod, tally);
  if (!initializing || conditionTrue(pod, 'Initialized')) {
    const hasRunning = tallyContainers(pod.status?.containerStatuses ?? [], tally);
    if (tally.status === 'Completed' && hasRunning) tally.status = conditionTrue(pod, 'Ready') ? 'Running' : 'NotReady';
  }
  if (pod.metadata?.deletionTimestamp && pod.status?.reason === 'NodeLost') tally.status = 'Unknown';
  else if (pod.metadata?.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') tally.status = 'Terminating';
  return { displayStatus: tally.status, ready: `${tally.ready}/${tally.total}`, restarts: tally.restarts, lastRestartAt: tally.lastRestartAt };
}

/** Slims a pod (typed from a list, or raw JSON from a watch event) to its Pod List row. */
export function toPodRow(pod: V1Pod): PodRow {
  const display = podDisplay(pod);
  const phase = pod.status?.phase ?? 'Unknown';
  return {
    uid: pod.metadata?.uid ?? '',
    name: pod.metadata?.name ?? '',
    namespace: pod.metadata?.namespace ?? '',
    phase,
    displayStatus: display.displayStatus,
    statusTone: podStatusTone(display.displayStatus),
    ready: display.ready,
    restarts: display.restarts,
    lastRestartAt: display.lastRestartAt,
    createdAt: isoTime(pod.metadata?.creationTimestamp),
    node: pod.spec?.nodeName ?? null,
    podIP: pod.status?.podIP ?? null,
    isPending: phase === 'Pending',
    containers: (pod.spec?.containers ?? []).map((container) => container.name),
    ...crashLoopField(pod),
  };
}

function crashLoopField(pod: V1Pod): { crashLoop?: CrashLoopFacts } {
  const crashLoop = crashLoopOf(pod);
  return crashLoop === undefined ? {} : { crashLoop };
}

/**
 * Every field of a row. Typed as every key of PodRow, so a field added there must be added here,
 * or sameRow would not see it change.
 */
const rowFields: Readonly<Record<keyof PodRow, true>> = {
  uid: true,
  name: true,
  namespace: true,
  phase: true,
  displayStatus: true,
  statusTone: true,
  ready: true,
  restarts: true,
  lastRestartAt: true,
  createdAt: true,
  node: true,
  podIP: true,
  isPending: true,
  containers: true,
  crashLoop: true,
};
const rowKeys = Object.keys(rowFields) as (keyof PodRow)[];

/**
 * Whether two rows of toPodRow show the same: what comparing their JSON says, field by field
 * instead of writing both out (the watch compares every event's row with the one it holds).
 */
export function sameRow(a: PodRow, b: PodRow): boolean {
  for (const key of rowKeys) {
    const left = a[key];
    const right = b[key];
    if (left === right) continue;
    if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
    if (Array.isArray(left) && Array.isArray(right)) {
      if (left.length !== right.length || left.some((item, index) => item !== right[index])) return false;
    } else if (JSON.stringify(left) !== JSON.stringify(right)) return false;
  }
  return true;
}
