// A kubelet stand-in for every node: pods bound to a node go ContainerCreating → Running (or
// ErrImagePull/ImagePullBackOff, CrashLoopBackOff, Error, Completed per image-conventions.ts),
// with container logs, restart counts, events, and graceful termination on deletion.

import { createHash, randomBytes } from 'node:crypto';
import type { KubeContext } from '../context.ts';
import { setCondition } from '../model/conditions.ts';
import { timestamp } from '../model/time.ts';
import type { Container, ContainerState, ContainerStatus, Node, Pod } from '../model/types.ts';
import { imageBehaviour, normalizeImage, startupLog, type ImageBehaviour } from './image-conventions.ts';

interface ContainerRuntime {
  name: string;
  image: string;
  behaviour: ImageBehaviour;
  backoffMs: number;
}

interface PodRuntime {
  uid: string;
  namespace: string;
  name: string;
  nodeName: string;
  containers: ContainerRuntime[];
  timers: Set<NodeJS.Timeout>;
  terminating: boolean;
  /** A test set this pod's phase by hand: the kubelet leaves it alone. */
  manual: boolean;
}

let podIpCounter = 2;

function fieldPath(container: string): string {
  return `spec.containers{${container}}`;
}

export class Kubelet {
  private readonly context: KubeContext;
  private readonly pods = new Map<string, PodRuntime>();

  constructor(context: KubeContext) {
    this.context = context;
    context.store.subscribe((change) => {
      if (change.typeKey !== 'pods') return;
      const pod = change.object as Pod;
      const uid = pod.metadata.uid ?? '';
      const runtime = this.pods.get(uid);
      if (change.type === 'DELETED') {
        if (runtime) this.forget(runtime);
        context.logs.forget(uid);
        return;
      }
      if (!pod.spec.nodeName) return;
      if (!runtime && !pod.metadata.deletionTimestamp && !pod.status?.containerStatuses) {
        context.timers.after(0, () => this.start(uid, pod.metadata.namespace ?? '', pod.metadata.name ?? ''));
        this.pods.set(uid, { uid, namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', nodeName: pod.spec.nodeName, containers: [], timers: new Set(), terminating: false, manual: false });
      } else if (pod.metadata.deletionTimestamp && (!runtime || !runtime.terminating)) {
        this.terminate(pod, runtime);
      }
    });
  }

  private after(runtime: PodRuntime, ms: number, callback: () => void): void {
    const handle = this.context.timers.after(ms, () => {
      runtime.timers.delete(handle as NodeJS.Timeout);
      callback();
    });
    if (handle) runtime.timers.add(handle);
  }

  private cancel(runtime: PodRuntime): void {
    for (const handle of runtime.timers) this.context.timers.cancel(handle);
    runtime.timers.clear();
  }

  private forget(runtime: PodRuntime): void {
    this.cancel(runtime);
    this.pods.delete(runtime.uid);
  }

  private pod(runtime: PodRuntime): Pod | undefined {
    const pod = this.context.store.get<Pod>('pods', runtime.namespace, runtime.name);
    return pod && pod.metadata.uid === runtime.uid ? pod : undefined;
  }

  private event(runtime: PodRuntime, type: 'Normal' | 'Warning', reason: string, message: string, container?: string): void {
    const pod = this.pod(runtime);
    if (pod) this.context.events.record(pod, type, reason, message, { component: 'kubelet', host: runtime.nodeName }, container ? fieldPath(container) : undefined);
  }

  /**
   * Writes container statuses and derives phase and conditions from them as the kubelet does, in
   * one status write, as the kubelet's status manager makes one per sync: the containers' states
   * changed by `change`, the phase and conditions that follow from them, then `finish` (a phase
   * set by hand) on top.
   */
  private writeStatus(runtime: PodRuntime, change: (statuses: ContainerStatus[], pod: Pod) => void, finish?: (status: NonNullable<Pod['status']>) => void): void {
    this.context.store.mutate<Pod>('pods', runtime.namespace, runtime.name, (pod) => {
      if (pod.metadata.uid !== runtime.uid) return;
      const status = pod.status ?? {};
      const statuses = status.containerStatuses ?? [];
      change(statuses, pod);
      status.containerStatuses = statuses;
      const restartPolicy = pod.spec.restartPolicy ?? 'Always';
      const allTerminated = statuses.length > 0 && statuses.every((entry) => entry.state.terminated);
      const everStarted = statuses.some((entry) => entry.state.running || entry.state.terminated || entry.restartCount > 0 || entry.lastState.terminated);
      if (allTerminated && restartPolicy !== 'Always' && statuses.every((entry) => restartPolicy === 'Never' || entry.state.terminated?.exitCode === 0)) {
        status.phase = statuses.every((entry) => entry.state.terminated?.exitCode === 0) ? 'Succeeded' : 'Failed';
      } else status.phase = everStarted ? 'Running' : 'Pending';
      const unready = statuses.filter((entry) => !entry.ready).map((entry) => entry.name);
      const done = status.phase === 'Succeeded' || status.phase === 'Failed';
      const ready = unready.length === 0 && !done;
      const notReady = done ? { reason: 'PodCompleted' } : { reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` };
      let conditions = setCondition(status.conditions, { type: 'PodReadyToStartContainers', status: 'True' }, { withProbeTime: true });
      conditions = setCondition(conditions, { type: 'Initialized', status: 'True' }, { withProbeTime: true });
      conditions = setCondition(conditions, ready ? { type: 'Ready', status: 'True' } : { type: 'Ready', status: 'False', ...notReady }, { withProbeTime: true });
      conditions = setCondition(conditions, ready ? { type: 'ContainersReady', status: 'True' } : { type: 'ContainersReady', status: 'False', ...notReady }, { withProbeTime: true });
      conditions = setCondition(conditions, { type: 'PodScheduled', status: 'True' }, { withProbeTime: true });
      const order = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];
      status.conditions = conditions.sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
      finish?.(status);
      pod.status = status;
    });
  }

  private updateContainer(runtime: PodRuntime, name: string, change: (status: ContainerStatus) => void): void {
    this.writeStatus(runtime, (statuses) => {
      const status = statuses.find((entry) => entry.name === name);
      if (status) change(status);
    });
  }

  private start(uid: string, namespace: string, name: string): void {
    const runtime = this.pods.get(uid);
    if (!runtime || runtime.manual) return;
    const pod = this.pod(runtime);
    if (!pod || pod.metadata.deletionTimestamp) return;
    const node = this.context.store.get<Node>('nodes', '', runtime.nodeName);
    const hostIP = node?.status?.addresses?.find((address) => address.type === 'InternalIP')?.address ?? '172.18.0.2';
    const nodeIndex = Math.max(0, this.context.store.list('nodes').findIndex((candidate) => candidate.metadata.name === runtime.nodeName));
    const podIP = `10.244.${nodeIndex}.${(podIpCounter++ % 250) + 2}`;
    runtime.containers = pod.spec.containers.map((container: Container) => ({ name: container.name, image: container.image ?? '', behaviour: imageBehaviour(container.image ?? ''), backoffMs: this.context.timings.backoffBaseMs }));
    this.context.store.mutate<Pod>('pods', namespace, name, (copy) => {
      copy.status = {
        ...(copy.status ?? {}),
        hostIP,
        hostIPs: [{ ip: hostIP }],
        podIP,
        podIPs: [{ ip: podIP }],
        startTime: timestamp(),
      };
    });
    this.writeStatus(runtime, (statuses) => {
      statuses.length = 0;
      for (const container of runtime.containers) {
        statuses.push({ name: container.name, image: container.image, imageID: '', ready: false, started: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } }, lastState: {} });
      }
    });
    for (const container of runtime.containers) {
      const spec = pod.spec.containers.find((entry) => entry.name === container.name);
      if (spec?.imagePullPolicy !== 'IfNotPresent' || container.behaviour.pullFails) this.event(runtime, 'Normal', 'Pulling', `Pulling image "${container.image}"`, container.name);
    }
    this.after(runtime, this.context.timings.kubeletStartDelayMs, () => {
      for (const container of runtime.containers) {
        if (container.behaviour.pullFails) this.pullFailed(runtime, container);
        else this.startContainer(runtime, container, true);
      }
    });
  }

  private pullFailed(runtime: PodRuntime, container: ContainerRuntime): void {
    const reference = normalizeImage(container.image);
    const message = `failed to pull and unpack image "${reference}": failed to resolve reference "${reference}": ${reference}: not found`;
    this.updateContainer(runtime, container.name, (status) => {
      status.state = { waiting: { reason: 'ErrImagePull', message: `rpc error: code = NotFound desc = ${message}` } };
    });
    this.event(runtime, 'Warning', 'Failed', `Failed to pull image "${container.image}": rpc error: code = NotFound desc = ${message}`, container.name);
    this.event(runtime, 'Warning', 'Failed', 'Error: ErrImagePull', container.name);
    this.after(runtime, Math.min(this.context.timings.backoffBaseMs, container.backoffMs) / 2, () => {
      this.updateContainer(runtime, container.name, (status) => {
        status.state = { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${container.image}"` } };
      });
      this.event(runtime, 'Normal', 'BackOff', `Back-off pulling image "${container.image}"`, container.name);
      this.event(runtime, 'Warning', 'Failed', 'Error: ImagePullBackOff', container.name);
      const wait = container.backoffMs;
      container.backoffMs = Math.min(container.backoffMs * 2, this.context.timings.backoffMaxMs);
      this.after(runtime, wait, () => {
        this.event(runtime, 'Normal', 'Pulling', `Pulling image "${container.image}"`, container.name);
        this.pullFailed(runtime, container);
      });
    });
  }

  private startContainer(runtime: PodRuntime, container: ContainerRuntime, firstStart: boolean): void {
    const pod = this.pod(runtime);
    if (!pod || runtime.terminating) return;
    const spec = pod.spec.containers.find((entry) => entry.name === container.name);
    const reference = normalizeImage(container.image);
    if (firstStart) {
      if (spec?.imagePullPolicy === 'IfNotPresent') this.event(runtime, 'Normal', 'Pulled', `Container image "${container.image}" already present on machine`, container.name);
      else this.event(runtime, 'Normal', 'Pulled', `Successfully pulled image "${container.image}" in 52ms (52ms including waiting). Image size: 4194304 bytes.`, container.name);
    } else {
      this.context.logs.restart(runtime.uid, container.name);
    }
    this.event(runtime, 'Normal', 'Created', `Created container: ${container.name}`, container.name);
    this.event(runtime, 'Normal', 'Started', `Started container ${container.name}`, container.name);
    const startedAt = timestamp();
    const containerID = `containerd://${randomBytes(32).toString('hex')}`;
    this.updateContainer(runtime, container.name, (status) => {
      if (!firstStart) status.restartCount += 1;
      status.image = reference;
      status.imageID = `${reference.replace(/:[^:/]+$/, '')}@sha256:${createHash('sha256').update(reference).digest('hex')}`;
      status.containerID = containerID;
      status.state = { running: { startedAt } };
      status.ready = container.behaviour.ready;
      status.started = true;
    });
    this.context.logs.append(runtime.uid, container.name, startupLog(container.name, container.image, container.behaviour).join('\n'));
    const exitCode = container.behaviour.exitCode;
    if (exitCode !== undefined) this.after(runtime, this.context.timings.containerRunMs, () => this.exitContainer(runtime, container, exitCode, startedAt, containerID));
  }

  private exitContainer(runtime: PodRuntime, container: ContainerRuntime, exitCode: number, startedAt: string, containerID: string): void {
    const pod = this.pod(runtime);
    if (!pod) return;
    const reason = container.behaviour.oomKilled ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error';
    const terminated: ContainerState = { terminated: { exitCode, reason, startedAt, finishedAt: timestamp(), containerID } };
    const policy = pod.spec.restartPolicy ?? 'Always';
    const restart = policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
    this.updateContainer(runtime, container.name, (status) => {
      status.state = terminated;
      status.ready = false;
      status.started = false;
    });
    if (!restart) return;
    const wait = container.backoffMs;
    container.backoffMs = Math.min(container.backoffMs * 2, this.context.timings.backoffMaxMs);
    const seconds = Math.max(10, Math.round((wait / this.context.timings.backoffBaseMs) * 10));
    const podRef = `${runtime.name}_${runtime.namespace}(${runtime.uid})`;
    this.updateContainer(runtime, container.name, (status) => {
      status.lastState = terminated;
      status.state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${seconds}s restarting failed container=${container.name} pod=${podRef}` } };
    });
    this.event(runtime, 'Warning', 'BackOff', `Back-off restarting failed container ${container.name} in pod ${podRef}`, container.name);
    this.after(runtime, wait, () => this.startContainer(runtime, container, false));
  }

  private terminate(pod: Pod, existing: PodRuntime | undefined): void {
    const runtime = existing ?? { uid: pod.metadata.uid ?? '', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', nodeName: pod.spec.nodeName ?? '', containers: [], timers: new Set<NodeJS.Timeout>(), terminating: false, manual: false };
    this.pods.set(runtime.uid, runtime);
    this.cancel(runtime);
    runtime.terminating = true;
    const running = (pod.status?.containerStatuses ?? []).filter((status) => status.state.running);
    for (const status of running) this.event(runtime, 'Normal', 'Killing', `Stopping container ${status.name}`, status.name);
    // Like the kubelet, count the grace period from now: deletionTimestamp has only second precision.
    const graceMs = Math.max(0, (pod.metadata.deletionGracePeriodSeconds ?? 30) * 1000);
    const stubborn = pod.spec.containers.some((container) => imageBehaviour(container.image ?? '').ignoresSigterm) && running.length > 0;
    const stopMs = running.length === 0 ? 0 : Math.min(graceMs, stubborn ? graceMs : this.context.timings.containerStopMs);
    this.after(runtime, stopMs, () => {
      const current = this.pod(runtime);
      if (current) this.context.store.remove('pods', runtime.namespace, runtime.name);
    });
  }

  /** Force a pod into a phase (tests): the kubelet stops driving it. */
  setPodPhase(namespace: string, name: string, phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown', reason?: string, message?: string): void {
    const pod = this.context.store.require<Pod>('pods', namespace, name);
    const uid = pod.metadata.uid ?? '';
    const runtime = this.pods.get(uid) ?? { uid, namespace, name, nodeName: pod.spec.nodeName ?? '', containers: [], timers: new Set<NodeJS.Timeout>(), terminating: false, manual: true };
    this.pods.set(uid, runtime);
    this.cancel(runtime);
    runtime.manual = true;
    const now = timestamp();
    const state = (container: Container): ContainerState => {
      if (phase === 'Running') return { running: { startedAt: now } };
      if (phase === 'Succeeded') return { terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now } };
      if (phase === 'Failed') return { terminated: { exitCode: 1, reason: 'Error', startedAt: now, finishedAt: now } };
      return { waiting: { reason: container.image ? 'ContainerCreating' : 'Unknown' } };
    };
    // the containers and the phase in one write (one watch event), as a kubelet reports a pod
    this.writeStatus(
      runtime,
      (statuses, current) => {
        statuses.length = 0;
        for (const container of current.spec.containers) {
          const containerState = state(container);
          statuses.push({ name: container.name, image: normalizeImage(container.image ?? ''), imageID: '', ready: phase === 'Running', started: phase === 'Running', restartCount: 0, state: containerState, lastState: {} });
        }
      },
      (status) => {
        status.phase = phase;
        if (reason) status.reason = reason;
        if (message) status.message = message;
      },
    );
  }

  close(): void {
    for (const runtime of this.pods.values()) this.cancel(runtime);
    this.pods.clear();
  }
}
