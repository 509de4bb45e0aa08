// The seeding API tests use to shape a cluster directly (no HTTP round trips): nodes,
// namespaces, deployments, any object, metrics, forced pod phases and logs.

import { metricsServerInstalled, type KubeContext } from './context.ts';
import { admit } from './api/admission.ts';
import { toStorage } from './api/conversion.ts';
import { RESOURCE_TYPES, typeKey, type ResourceType } from './api/resources.ts';
import type { Kubelet } from './controllers/kubelet.ts';
import type { Usage } from './metrics.ts';
import { deepClone, type Deployment, type KubeObject, type Node, type Pod, type Taint, type Toleration } from './model/types.ts';

export interface NodeShape {
  name: string;
  cpu?: string;
  memory?: string;
  pods?: number;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
  /** Adds node-role.kubernetes.io/<role> labels (shown in the ROLES column). */
  roles?: string[];
  ready?: boolean;
}

export interface DeploymentShape {
  name: string;
  namespace?: string;
  image?: string;
  /** Container name; defaults to the deployment name. */
  container?: string;
  replicas?: number;
  labels?: Record<string, string>;
  requests?: { cpu?: string; memory?: string };
  limits?: { cpu?: string; memory?: string };
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  restartPolicy?: string;
  annotations?: Record<string, string>;
}

function typeForObject(object: KubeObject): { type: ResourceType; version: string } {
  const [group, version] = (object.apiVersion ?? 'v1').includes('/') ? (object.apiVersion ?? '').split('/') : ['', object.apiVersion ?? 'v1'];
  const type = RESOURCE_TYPES.find((candidate) => candidate.kind === object.kind && candidate.group === group && !candidate.optional);
  if (!type) throw new Error(`the kube test server does not serve ${object.apiVersion ?? ''} ${object.kind ?? ''}`);
  return { type, version: version ?? 'v1' };
}

export function nodeObject(shape: NodeShape, index: number): Node {
  const labels: Record<string, string> = {
    'kubernetes.io/hostname': shape.name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'beta.kubernetes.io/arch': 'amd64',
    ...(shape.labels ?? {}),
  };
  for (const role of shape.roles ?? []) labels[`node-role.kubernetes.io/${role}`] = '';
  const resources = { cpu: shape.cpu ?? '4', memory: shape.memory ?? '8Gi', pods: String(shape.pods ?? 110), 'ephemeral-storage': '100Gi' };
  const ready = shape.ready ?? true;
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: shape.name, labels },
    spec: { podCIDR: `10.244.${index}.0/24`, ...(shape.taints ? { taints: shape.taints } : {}), ...(shape.unschedulable ? { unschedulable: true } : {}) },
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: [
        { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available', lastHeartbeatTime: now, lastTransitionTime: now } as never,
        { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure', lastHeartbeatTime: now, lastTransitionTime: now } as never,
        { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available', lastHeartbeatTime: now, lastTransitionTime: now } as never,
        ready
          ? ({ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now } as never)
          : ({ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: now, lastTransitionTime: now } as never),
      ],
      addresses: [
        { type: 'InternalIP', address: `172.18.0.${index + 2}` },
        { type: 'Hostname', address: shape.name },
      ],
      nodeInfo: {
        architecture: 'amd64',
        bootID: '00000000-0000-0000-0000-000000000000',
        containerRuntimeVersion: 'containerd://1.7.24',
        kernelVersion: '6.1.0-kiops',
        kubeProxyVersion: 'v1.32.4',
        kubeletVersion: 'v1.32.4',
        machineID: '0',
        operatingSystem: 'linux',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        systemUUID: '0',
      },
    },
  };
}

export function deploymentObject(shape: DeploymentShape): Deployment {
  const labels = shape.labels ?? { app: shape.name };
  const resources = { ...(shape.requests ? { requests: { ...shape.requests } } : {}), ...(shape.limits ? { limits: { ...shape.limits } } : {}) };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: shape.name, namespace: shape.namespace ?? 'default', labels: { ...labels }, ...(shape.annotations ? { annotations: shape.annotations } : {}) },
    spec: {
      replicas: shape.replicas ?? 1,
      selector: { matchLabels: { ...labels } },
      template: {
        metadata: { labels: { ...labels } },
        spec: {
          containers: [{ name: shape.container ?? shape.name, image: shape.image ?? 'nginx:1.27', ports: [{ containerPort: 8080, protocol: 'TCP' }], resources }],
          ...(shape.nodeSelector ? { nodeSelector: shape.nodeSelector } : {}),
          ...(shape.tolerations ? { tolerations: shape.tolerations } : {}),
          ...(shape.restartPolicy ? { restartPolicy: shape.restartPolicy } : {}),
        },
      },
    },
  };
}

export class ClusterApi {
  private readonly context: KubeContext;
  private readonly kubelet: Kubelet;

  constructor(context: KubeContext, kubelet: Kubelet) {
    this.context = context;
    this.kubelet = kubelet;
  }

  /** Create the object, or replace its spec/data (keeping status) when it exists. Returns the stored object. */
  apply<T extends KubeObject>(object: T): T {
    const { type, version } = typeForObject(object);
    const stored = toStorage(type, version, deepClone(object));
    if (!type.namespaced) delete stored.metadata.namespace;
    else stored.metadata.namespace ??= 'default';
    const key = typeKey(type);
    const existing = this.context.store.get(key, stored.metadata.namespace ?? '', stored.metadata.name ?? '');
    if (type.kind === 'Namespace' || type.kind === 'Node') {
      if (existing) return this.context.store.update(key, { ...stored, metadata: { ...existing.metadata, ...stored.metadata } }) as unknown as T;
      if (type.kind === 'Namespace') admit(type, stored, true);
      return this.context.store.create(key, stored) as unknown as T;
    }
    if (stored.metadata.namespace && !this.context.store.get('namespaces', '', stored.metadata.namespace)) this.addNamespace(stored.metadata.namespace);
    admit(type, stored, !existing);
    if (existing) {
      const merged = { ...stored, metadata: { ...existing.metadata, labels: stored.metadata.labels, annotations: { ...(existing.metadata.annotations ?? {}), ...(stored.metadata.annotations ?? {}) } }, ...(existing.status !== undefined && type.subresources.some((sub) => sub.name === 'status') ? { status: existing.status } : {}) };
      return this.context.store.update(key, merged) as unknown as T;
    }
    return this.context.store.create(key, stored) as unknown as T;
  }

  addNamespace(name: string, labels: Record<string, string> = {}): KubeObject {
    const existing = this.context.store.get('namespaces', '', name);
    if (existing) return existing;
    return this.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
  }

  addNode(shape: NodeShape): Node {
    const index = this.context.store.count('nodes');
    return this.apply(nodeObject(shape, index));
  }

  removeNode(name: string): void {
    this.context.store.remove('nodes', '', name);
  }

  applyDeployment(shape: DeploymentShape | Deployment): Deployment {
    return this.apply('spec' in shape ? shape : deploymentObject(shape));
  }

  get<T extends KubeObject = KubeObject>(kind: string, namespace: string, name: string, group?: string): T | undefined {
    const type = RESOURCE_TYPES.find((candidate) => candidate.kind === kind && (group === undefined || candidate.group === group) && !candidate.optional);
    if (!type) throw new Error(`unknown kind ${kind}`);
    return this.context.store.get<T>(typeKey(type), type.namespaced ? namespace : '', name);
  }

  list<T extends KubeObject = KubeObject>(kind: string, namespace?: string, group?: string): T[] {
    const type = RESOURCE_TYPES.find((candidate) => candidate.kind === kind && (group === undefined || candidate.group === group) && !candidate.optional);
    if (!type) throw new Error(`unknown kind ${kind}`);
    return this.context.store.list<T>(typeKey(type), type.namespaced ? namespace : undefined);
  }

  /** Pods of a deployment (by its selector's labels), in name order. */
  podsOf(namespace: string, deployment: string): Pod[] {
    const object = this.get<Deployment>('Deployment', namespace, deployment);
    const labels = object?.spec.selector.matchLabels ?? {};
    return this.list<Pod>('Pod', namespace).filter((pod) => Object.entries(labels).every(([key, value]) => pod.metadata.labels?.[key] === value));
  }

  /** Usage of one pod (shared by its containers), e.g. { cpu: '400m', memory: '128Mi' }. */
  setPodMetrics(namespace: string, pod: string, usage: Usage): void {
    this.context.metrics.setPodUsage(namespace, pod, usage);
  }

  /** Usage of every pod matching a label selector, including pods created later (HPA tests). */
  setPodMetricsBySelector(namespace: string, selector: string, usage: Usage): void {
    this.context.metrics.setSelectorUsage(namespace, selector, usage);
  }

  /**
   * Install metrics-server in kube-system (Deployment, Service, APIService): metrics.k8s.io
   * appears in discovery and serves once its pod is ready and the APIService is Available.
   */
  installMetricsServer(): void {
    const labels = { 'k8s-app': 'metrics-server' };
    this.applyDeployment({ name: 'metrics-server', namespace: 'kube-system', image: 'registry.k8s.io/metrics-server/metrics-server:v0.7.2', labels });
    this.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'metrics-server', namespace: 'kube-system', labels }, spec: { selector: labels, ports: [{ name: 'https', port: 443, targetPort: 10250 }] } });
    this.apply({
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1beta1.metrics.k8s.io', labels },
      spec: { group: 'metrics.k8s.io', version: 'v1beta1', groupPriorityMinimum: 100, versionPriority: 100, insecureSkipTLSVerify: true, service: { name: 'metrics-server', namespace: 'kube-system', port: 443 } },
    });
  }

  /** Resolves once metrics.k8s.io serves (the metrics-server pod ready, its APIService Available). */
  metricsServerAvailable(timeoutMs = 10_000): Promise<true> {
    return this.waitFor(() => metricsServerInstalled(this.context), timeoutMs, 'the v1beta1.metrics.k8s.io APIService to be Available');
  }

  uninstallMetricsServer(): void {
    if (this.context.store.get('apiservices.apiregistration.k8s.io', '', 'v1beta1.metrics.k8s.io')) this.context.store.remove('apiservices.apiregistration.k8s.io', '', 'v1beta1.metrics.k8s.io');
    for (const key of ['deployments.apps', 'services']) {
      if (this.context.store.get(key, 'kube-system', 'metrics-server')) this.context.store.remove(key, 'kube-system', 'metrics-server');
    }
  }

  setPodPhase(namespace: string, name: string, phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown', reason?: string, message?: string): void {
    this.kubelet.setPodPhase(namespace, name, phase, reason, message);
  }

  appendPodLog(namespace: string, pod: string, container: string, text: string): void {
    const object = this.context.store.require<Pod>('pods', namespace, pod);
    this.context.logs.append(object.metadata.uid ?? '', container, text);
  }

  /** Forget watch history, as etcd compaction does: watches from older versions get 410 Gone. */
  compactHistory(): void {
    this.context.store.compact();
  }

  get resourceVersion(): string {
    return String(this.context.store.resourceVersion);
  }

  /** Resolve once `check` returns a truthy value (polled every 20 ms); reject after timeoutMs. */
  async waitFor<T>(check: () => T | undefined | null | false, timeoutMs = 30_000, what = 'condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`kube test server: timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
