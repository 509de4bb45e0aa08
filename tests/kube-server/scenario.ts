// Clusters of a given shape in one call: nodes, deployments driven by the controllers, and
// pods written straight into a final state (fast enough for 5,000-pod benchmark namespaces).

import { randomBytes } from 'node:crypto';
import type { KubeContext } from './context.ts';
import { admit } from './api/admission.ts';
import { typeByKey } from './api/resources.ts';
import { randomSuffix } from './api/rest.ts';
import type { ClusterApi, DeploymentShape, NodeShape } from './cluster.ts';
import { normalizeImage } from './controllers/image-conventions.ts';
import { timestamp } from './model/time.ts';
import type { ContainerStatus, Node, Pod } from './model/types.ts';

export type SeededPodState = 'running' | 'pending' | 'crashLoop' | 'imagePullBackOff' | 'completed' | 'error' | 'containerCreating';

export interface PodSeed {
  namespace?: string;
  /** Name prefix; pods are named <prefix>-<5 chars>. Default "seeded". */
  prefix?: string;
  labels?: Record<string, string>;
  image?: string;
  /** How many pods in each state. */
  counts: Partial<Record<SeededPodState, number>>;
}

export interface ScenarioShape {
  /** A count (node-1..node-N, 4 CPU / 8Gi each) or explicit nodes. */
  nodes?: number | NodeShape[];
  namespaces?: string[];
  /** Deployments run through the real controllers (scheduler, kubelet): their pods move through states. */
  deployments?: DeploymentShape[];
  /** Pods written directly in a final state; no controller touches them. */
  pods?: PodSeed[];
  metricsServer?: boolean;
}

export interface ScenarioResult {
  nodes: string[];
  deployments: string[];
  pods: Pod[];
}

function containerStatus(name: string, image: string, state: SeededPodState, now: string): ContainerStatus {
  const reference = normalizeImage(image);
  const base = { name, image: reference, imageID: `${reference.replace(/:[^:/]+$/, '')}@sha256:${randomBytes(32).toString('hex')}`, containerID: `containerd://${randomBytes(32).toString('hex')}` };
  const failed = { terminated: { exitCode: 1, reason: 'Error', startedAt: now, finishedAt: now, containerID: base.containerID } };
  switch (state) {
    case 'running':
      return { ...base, ready: true, started: true, restartCount: 0, state: { running: { startedAt: now } }, lastState: {} };
    case 'crashLoop':
      return { ...base, ready: false, started: false, restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 2m40s restarting failed container=${name}` } }, lastState: failed };
    case 'imagePullBackOff':
      return { name, image, imageID: '', ready: false, started: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } }, lastState: {} };
    case 'completed':
      return { ...base, ready: false, started: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now, containerID: base.containerID } }, lastState: {} };
    case 'error':
      return { ...base, ready: false, started: false, restartCount: 0, state: failed, lastState: {} };
    default:
      return { name, image, imageID: '', ready: false, started: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } }, lastState: {} };
  }
}

const PHASE: Record<SeededPodState, string> = {
  running: 'Running',
  pending: 'Pending',
  crashLoop: 'Running',
  imagePullBackOff: 'Pending',
  completed: 'Succeeded',
  error: 'Failed',
  containerCreating: 'Pending',
};

export function seedPods(context: KubeContext, cluster: ClusterApi, seed: PodSeed): Pod[] {
  const namespace = seed.namespace ?? 'default';
  cluster.addNamespace(namespace);
  const nodes = context.store.list<Node>('nodes');
  const image = seed.image ?? 'nginx:1.27';
  const podType = typeByKey('pods');
  const created: Pod[] = [];
  const eventsWere = context.events.enabled;
  context.events.enabled = false;
  let index = 0;
  try {
    for (const [state, count] of Object.entries(seed.counts) as [SeededPodState, number][]) {
      for (let n = 0; n < count; n++, index++) {
        const node = nodes.length > 0 ? nodes[index % nodes.length] : undefined;
        const now = timestamp();
        const scheduled = state !== 'pending' && node !== undefined;
        const restartPolicy = state === 'completed' || state === 'error' ? 'Never' : 'Always';
        const pod: Pod = {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `${seed.prefix ?? 'seeded'}-${randomSuffix()}${randomSuffix(3)}`, namespace, labels: { app: seed.prefix ?? 'seeded', 'kiops.test/state': state, ...(seed.labels ?? {}) } },
          spec: {
            containers: [{ name: 'app', image, resources: {} }],
            restartPolicy,
            ...(state === 'pending' ? { nodeSelector: { 'kiops.test/pool': 'does-not-exist' } } : {}),
            ...(scheduled ? { nodeName: node.metadata.name } : {}),
          },
        };
        admit(podType, pod, true);
        const ready = state === 'running';
        const nodeIndex = node ? nodes.indexOf(node) : 0;
        pod.status = {
          ...pod.status,
          phase: PHASE[state],
          ...(scheduled
            ? {
                hostIP: node.status?.addresses?.[0]?.address ?? '172.18.0.2',
                podIP: `10.244.${nodeIndex}.${(index % 250) + 2}`,
                podIPs: [{ ip: `10.244.${nodeIndex}.${(index % 250) + 2}` }],
                startTime: now,
                containerStatuses: [containerStatus('app', image, state, now)],
                conditions: [
                  { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: now },
                  { type: 'Ready', status: ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: now, ...(ready ? {} : { reason: 'ContainersNotReady', message: 'containers with unready status: [app]' }) },
                  { type: 'ContainersReady', status: ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: now },
                  { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now },
                ],
              }
            : {}),
        };
        created.push(context.store.create('pods', pod));
      }
    }
  } finally {
    context.events.enabled = eventsWere;
  }
  return created;
}

export function runScenario(context: KubeContext, cluster: ClusterApi, shape: ScenarioShape): ScenarioResult {
  const nodes: string[] = [];
  const nodeShapes = typeof shape.nodes === 'number' ? Array.from({ length: shape.nodes }, (_, index) => ({ name: `node-${index + 1}` })) : (shape.nodes ?? []);
  for (const node of nodeShapes) nodes.push(cluster.addNode(node).metadata.name ?? '');
  for (const namespace of shape.namespaces ?? []) cluster.addNamespace(namespace);
  if (shape.metricsServer) cluster.installMetricsServer();
  const deployments: string[] = [];
  for (const deployment of shape.deployments ?? []) {
    cluster.addNamespace(deployment.namespace ?? 'default');
    deployments.push(cluster.applyDeployment(deployment).metadata.name ?? '');
  }
  const pods: Pod[] = [];
  for (const seed of shape.pods ?? []) pods.push(...seedPods(context, cluster, seed));
  return { nodes, deployments, pods };
}
