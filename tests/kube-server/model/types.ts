// A small typed model of the Kubernetes objects the test server handles. Objects arrive as
// JSON, so every type keeps an index signature of `unknown` for fields we pass through untouched.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface ResourceRequirements {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

export interface ContainerPort {
  containerPort: number;
  name?: string;
  protocol?: string;
}

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: ContainerPort[];
  env?: { name: string; value?: string }[];
  resources?: ResourceRequirements;
  readinessProbe?: unknown;
  [key: string]: unknown;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

export interface NodeSelectorTerm {
  matchExpressions?: LabelSelectorRequirement[];
  matchFields?: LabelSelectorRequirement[];
}

export interface Affinity {
  nodeAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: NodeSelectorTerm[] };
  };
  [key: string]: unknown;
}

export interface Volume {
  name: string;
  persistentVolumeClaim?: { claimName: string };
  [key: string]: unknown;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  tolerations?: Toleration[];
  volumes?: Volume[];
  restartPolicy?: string;
  terminationGracePeriodSeconds?: number;
  schedulerName?: string;
  [key: string]: unknown;
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
  lastProbeTime?: string | null;
}

export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { exitCode: number; reason?: string; message?: string; startedAt?: string; finishedAt?: string; containerID?: string; signal?: number };
}

export interface ContainerStatus {
  name: string;
  image: string;
  imageID: string;
  containerID?: string;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  state: ContainerState;
  lastState: ContainerState;
}

export interface PodStatus {
  phase?: string;
  reason?: string;
  message?: string;
  conditions?: Condition[];
  hostIP?: string;
  hostIPs?: { ip: string }[];
  podIP?: string;
  podIPs?: { ip: string }[];
  startTime?: string;
  qosClass?: string;
  containerStatuses?: ContainerStatus[];
  [key: string]: unknown;
}

export interface Pod extends KubeObject {
  spec: PodSpec;
  status?: PodStatus;
}

export interface PodTemplateSpec {
  metadata?: ObjectMeta;
  spec: PodSpec;
}

export interface DeploymentStrategy {
  type?: string;
  rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string };
}

export interface DeploymentSpec {
  replicas?: number;
  selector: LabelSelector;
  template: PodTemplateSpec;
  strategy?: DeploymentStrategy;
  revisionHistoryLimit?: number;
  minReadySeconds?: number;
  progressDeadlineSeconds?: number;
  paused?: boolean;
  [key: string]: unknown;
}

export interface WorkloadStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  fullyLabeledReplicas?: number;
  conditions?: Condition[];
  [key: string]: unknown;
}

export interface Deployment extends KubeObject {
  spec: DeploymentSpec;
  status?: WorkloadStatus;
}

export interface ReplicaSet extends KubeObject {
  spec: { replicas?: number; selector: LabelSelector; template: PodTemplateSpec; minReadySeconds?: number };
  status?: WorkloadStatus;
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface Node extends KubeObject {
  spec: { unschedulable?: boolean; taints?: Taint[]; podCIDR?: string; [key: string]: unknown };
  status?: {
    capacity?: Record<string, string>;
    allocatable?: Record<string, string>;
    conditions?: Condition[];
    addresses?: { type: string; address: string }[];
    nodeInfo?: Record<string, string>;
    [key: string]: unknown;
  };
}

export interface MetricSpec {
  type: string;
  resource?: { name: string; target: { type: string; averageUtilization?: number; averageValue?: string; value?: string } };
  [key: string]: unknown;
}

export interface MetricStatus {
  type: string;
  resource?: { name: string; current: { averageUtilization?: number; averageValue?: string } };
  [key: string]: unknown;
}

/** HorizontalPodAutoscaler as stored: always autoscaling/v2; v1 is converted at the edge. */
export interface HorizontalPodAutoscaler extends KubeObject {
  spec: {
    scaleTargetRef: { apiVersion?: string; kind: string; name: string };
    minReplicas?: number;
    maxReplicas: number;
    metrics?: MetricSpec[];
    [key: string]: unknown;
  };
  status?: {
    observedGeneration?: number;
    lastScaleTime?: string;
    currentReplicas?: number;
    desiredReplicas?: number;
    currentMetrics?: MetricStatus[] | null;
    conditions?: Condition[];
  };
}

export interface CoreEvent extends KubeObject {
  involvedObject: { kind?: string; namespace?: string; name?: string; uid?: string; apiVersion?: string; resourceVersion?: string; fieldPath?: string };
  reason?: string;
  message?: string;
  source?: { component?: string; host?: string };
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  count?: number;
  type?: string;
  eventTime?: string | null;
  reportingComponent?: string;
  reportingInstance?: string;
}

export interface PersistentVolumeClaim extends KubeObject {
  spec: { storageClassName?: string; accessModes?: string[]; resources?: ResourceRequirements; volumeName?: string; volumeMode?: string; [key: string]: unknown };
  status?: { phase?: string; capacity?: Record<string, string>; accessModes?: string[] };
}

export interface Service extends KubeObject {
  spec: { type?: string; selector?: Record<string, string>; clusterIP?: string; clusterIPs?: string[]; ports?: { name?: string; port: number; targetPort?: number | string; protocol?: string; nodePort?: number }[]; externalIPs?: string[]; [key: string]: unknown };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isKubeObject(value: unknown): value is KubeObject {
  return isRecord(value) && isRecord(value.metadata);
}

/** Thrown inside copyPlain when a value is not plain data: deepClone then uses structuredClone. */
const notPlain = Symbol('not plain data');

function copyPlain(value: unknown, seen: Set<object>): unknown {
  if (typeof value !== 'object' || value === null) {
    if (typeof value === 'function' || typeof value === 'symbol') throw notPlain;
    return value;
  }
  // a cycle or an object reached twice: structuredClone keeps such sharing, a plain copy would not
  if (seen.has(value)) throw notPlain;
  seen.add(value);
  const prototype: unknown = Object.getPrototypeOf(value);
  if (Array.isArray(value)) {
    if (prototype !== Array.prototype) throw notPlain;
    return value.map((item: unknown) => copyPlain(item, seen));
  }
  if (prototype !== Object.prototype && prototype !== null) throw notPlain;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__') throw notPlain;
    copy[key] = copyPlain((value as Record<string, unknown>)[key], seen);
  }
  return copy;
}

/**
 * A deep copy, as structuredClone makes it. Stored objects are plain data (objects, arrays,
 * strings, numbers, booleans, null): those are copied by hand, several times faster than
 * structuredClone, which store.mutate paid on every write (a fifth of a 1,000-change burst's
 * server time). Anything else (a Date, a class instance, an object reached twice) is
 * structuredClone's, as before.
 */
export function deepClone<T>(value: T): T {
  try {
    return copyPlain(value, new Set()) as T;
  } catch (error) {
    if (error !== notPlain) throw error;
    return structuredClone(value);
  }
}

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
const omitted = (value: unknown): boolean => value === undefined || typeof value === 'function' || typeof value === 'symbol';

/** NaN and the infinities are written as null. */
const jsonValue = (value: unknown): unknown => (typeof value === 'number' && !Number.isFinite(value) ? null : value);

/** An array or a plain object that JSON.stringify writes out key by key (no toJSON of its own). */
function plainContainer(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  if (Array.isArray(value)) return prototype === Array.prototype;
  return (prototype === Object.prototype || prototype === null) && typeof (value as Record<string, unknown>).toJSON !== 'function';
}

function sameValue(a: unknown, b: unknown, depth: number): boolean {
  a = jsonValue(a);
  b = jsonValue(b);
  if (a === b) return true;
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
    if (typeof a === 'bigint' || typeof b === 'bigint') throw notPlain;
    // a primitive and an object: different JSON, unless the object writes itself (a Date's toJSON)
    const object = typeof a === 'object' && a !== null ? a : typeof b === 'object' && b !== null ? b : null;
    if (object !== null && !plainContainer(object)) throw notPlain;
    return false;
  }
  // deep nesting may be a cycle: JSON.stringify's own error then, as before
  if (depth > 1_000) throw notPlain;
  const prototypeA: unknown = Object.getPrototypeOf(a);
  const prototypeB: unknown = Object.getPrototypeOf(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) {
      if ((Array.isArray(a) ? prototypeB : prototypeA) === Object.prototype) return false;
      throw notPlain;
    }
    if (prototypeA !== Array.prototype || prototypeB !== Array.prototype) throw notPlain;
    if (a.length !== b.length) return false;
    for (let index = 0; index < a.length; index++) {
      const itemA: unknown = a[index];
      const itemB: unknown = b[index];
      if (!sameValue(omitted(itemA) ? null : itemA, omitted(itemB) ? null : itemB, depth + 1)) return false;
    }
    return true;
  }
  if ((prototypeA !== Object.prototype && prototypeA !== null) || (prototypeB !== Object.prototype && prototypeB !== null)) throw notPlain;
  const recordA = a as Record<string, unknown>;
  const recordB = b as Record<string, unknown>;
  if (typeof recordA.toJSON === 'function' || typeof recordB.toJSON === 'function') throw notPlain;
  const keysA = Object.keys(recordA);
  const keysB = Object.keys(recordB);
  let atB = 0;
  for (const key of keysA) {
    const valueA = recordA[key];
    if (omitted(valueA)) continue;
    while (atB < keysB.length && omitted(recordB[keysB[atB] ?? ''])) atB++;
    if (keysB[atB] !== key) return false;
    if (!sameValue(valueA, recordB[key], depth + 1)) return false;
    atB++;
  }
  while (atB < keysB.length && omitted(recordB[keysB[atB] ?? ''])) atB++;
  return atB === keysB.length;
}

/**
 * JSON.stringify(a) === JSON.stringify(b), without writing either out: the store compares every
 * write with what it holds, and stringifying both pods was a sixth of a 1,000-change burst's
 * server time. Same key order, same omissions (undefined, functions) and nulls (NaN, Infinity,
 * holes) as JSON.stringify; values that are not plain data are stringified as before.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (omitted(a) || omitted(b)) return omitted(a) && omitted(b);
  try {
    return sameValue(a, b, 0);
  } catch (error) {
    if (error !== notPlain) throw error;
    return JSON.stringify(a) === JSON.stringify(b);
  }
}
