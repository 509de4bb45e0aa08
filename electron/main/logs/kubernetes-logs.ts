import { AppsV1Api, CoreV1Api, type V1ContainerStatus, type V1Pod } from '@kubernetes/client-node';
import { AppError } from '../../../shared/errors.ts';
import type { LogPodView } from '../../../shared/contract/logs.ts';
import { doing, kubeRequest } from '../operations/kubernetes/kube-errors.ts';
import { labelSelectorQuery, selectorMatches, type KubernetesAccess, type KubernetesServiceRef } from '../operations/kubernetes/kubernetes-access.ts';
import { describeLog, type BoundedLog } from './log-text.ts';

export interface PodLogRequest {
  readonly pod: string;
  readonly container?: string | undefined;
  readonly previous: boolean;
  readonly tailLines: number;
  readonly limitBytes: number;
  readonly timestamps: boolean;
}

/** Re-asks with fewer lines at most this often when limitBytes cut the tail. */
const SHRINK_ATTEMPTS = 3;

/**
 * Pod logs of one Deployment, as `kubectl logs [--previous] --tail --limit-bytes` reads them.
 * Only pods the Deployment's selector matches are read: the pod name comes from the renderer.
 */
export class KubernetesLogs {
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly service: KubernetesServiceRef;

  constructor(access: KubernetesAccess, service: KubernetesServiceRef) {
    this.core = access.kubeConfig.makeApiClient(CoreV1Api);
    this.apps = access.kubeConfig.makeApiClient(AppsV1Api);
    this.service = service;
  }

  async pods(): Promise<LogPodView[]> {
    const selector = labelSelectorQuery(await this.selector());
    const { namespace } = this.service;
    const listed = await kubeRequest(doing('listPodsOf', { target: `${namespace}/${this.service.deployment}` }), () => this.core.listNamespacedPod({ namespace, labelSelector: selector }));
    return listed.items
      .map((pod) => podView(pod))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async read(request: PodLogRequest): Promise<BoundedLog> {
    const pod = await this.podOfService(request.pod);
    const names = (pod.spec?.containers ?? []).map((c) => c.name).concat((pod.spec?.initContainers ?? []).map((c) => c.name));
    if (request.container !== undefined && !names.includes(request.container)) {
      throw new AppError('NOT_FOUND', `Pod ${request.pod} has no container "${request.container}" (it has ${names.join(', ')}); reload the targets.`, undefined, { key: 'operations.logs.noSuchContainer', params: { pod: request.pod, container: request.container, containers: names.join(', ') } });
    }
    const container = request.container ?? (pod.spec?.containers.length === 1 ? pod.spec.containers[0]?.name : undefined);
    if (container === undefined) throw new AppError('INVALID_INPUT', `Pod ${request.pod} has several containers (${names.join(', ')}); choose one.`, undefined, { key: 'operations.logs.chooseContainer', params: { pod: request.pod, containers: names.join(', ') } });
    const reading = doing(request.previous ? 'readPreviousLogs' : 'readLogs', { pod: `${this.service.namespace}/${request.pod}`, container });
    // The kubelet applies limitBytes from the oldest end of the tail, which would drop the newest
    // lines, the ones a snapshot is for. When it cut, ask again for fewer lines.
    let tailLines = request.tailLines;
    for (let attempt = 0; ; attempt++) {
      const text = await kubeRequest(reading, () =>
        this.core.readNamespacedPodLog({
          name: request.pod,
          namespace: this.service.namespace,
          container,
          previous: request.previous,
          tailLines,
          limitBytes: request.limitBytes,
          timestamps: request.timestamps,
        }),
      );
      const raw = Buffer.from(typeof text === 'string' ? text : '', 'utf8');
      const cut = raw.length >= request.limitBytes;
      if (!cut) return describeLog(raw, request.tailLines, tailLines < request.tailLines);
      const lines = Math.max(1, raw.subarray(0, request.limitBytes).toString('utf8').split('\n').length - 1);
      const fewer = Math.min(tailLines - 1, Math.floor(((request.limitBytes * 0.9) / raw.length) * lines));
      if (attempt >= SHRINK_ATTEMPTS || fewer < 1) return describeLog(raw, request.tailLines, true);
      tailLines = fewer;
    }
  }

  private async podOfService(name: string): Promise<V1Pod> {
    const { namespace, deployment } = this.service;
    const [selector, pod] = await Promise.all([this.selector(), kubeRequest(doing('readPod', { pod: `${namespace}/${name}` }), () => this.core.readNamespacedPod({ name, namespace }))]);
    if (!selectorMatches(selector, pod.metadata?.labels)) throw new AppError('NOT_FOUND', `Pod ${name} is not part of Deployment ${namespace}/${deployment}; reload the targets.`, undefined, { key: 'operations.logs.podNotInDeployment', params: { pod: name, deployment: `${namespace}/${deployment}` } });
    return pod;
  }

  private async selector() {
    const { namespace, deployment } = this.service;
    const found = await kubeRequest(doing('readDeployment', { deployment: `${namespace}/${deployment}` }), () => this.apps.readNamespacedDeployment({ name: deployment, namespace }));
    return found.spec?.selector;
  }

}

function podView(pod: V1Pod): LogPodView {
  const statuses = new Map<string, V1ContainerStatus>();
  for (const status of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) statuses.set(status.name, status);
  const view = (name: string, init: boolean): LogPodView['containers'][number] => {
    const status = statuses.get(name);
    const state = status?.state;
    return {
      name,
      init,
      state: state?.running ? 'running' : state?.waiting ? 'waiting' : state?.terminated ? 'terminated' : 'unknown',
      reason: state?.waiting?.reason ?? state?.terminated?.reason ?? null,
      restartCount: status?.restartCount ?? 0,
      previousAvailable: status?.lastState?.terminated !== undefined,
    };
  };
  return {
    name: pod.metadata?.name ?? '',
    phase: pod.metadata?.deletionTimestamp ? 'Terminating' : (pod.status?.phase ?? 'Unknown'),
    containers: [...(pod.spec?.containers ?? []).map((c) => view(c.name, false)), ...(pod.spec?.initContainers ?? []).map((c) => view(c.name, true))],
  };
}
