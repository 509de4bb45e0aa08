import { AppsV1Api, CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { AppError, type MessageText } from '../../../../shared/errors.ts';
import { newestEvents, type KubeEventRow } from './event-rows.ts';
import { doing, kubeStatusCode, kubernetesError, kubeRequest } from './kube-errors.ts';
import type { KubeDoing } from '../../../../shared/kube-doing.ts';
import { selectorMatches, type KubernetesServiceRef } from './kubernetes-access.ts';
import { analyzePendingPod, type ClaimFact, type PendingFinding } from './pending-causes.ts';

export { analyzePendingPod } from './pending-causes.ts';
export type { ClaimFact, PendingCause, PendingFinding, PendingPodFacts } from './pending-causes.ts';

/** The Pending pod expand row: likely causes first, then the pod's events. */
export interface PendingAnalysis {
  readonly pod: string;
  readonly namespace: string;
  readonly phase: string;
  readonly findings: readonly PendingFinding[];
  readonly events: readonly KubeEventRow[];
  /** Things the analysis could not read (e.g. nodes, for users without node access). */
  readonly limitations: readonly string[];
  /** `limitations` as keys of `mainErrors.operations.pending`, line for line. */
  readonly limitationTexts: readonly MessageText[];
}

/** What the analysis could not read, in main's English and as a key. */
interface Limitation {
  readonly english: string;
  readonly text: MessageText;
}

const maxEvents = 50;

/**
 * Reads what explains a Pending pod of one service — its FailedScheduling events, the nodes
 * (allocatable, labels, taints), what other pods already request, its PVCs — and hands it to
 * the pure analysis. Read-only; users without node access still get the scheduler's reasons.
 */
export class PendingAnalyzer {
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly service: KubernetesServiceRef;

  constructor(kubeConfig: KubeConfig, service: KubernetesServiceRef) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.apps = kubeConfig.makeApiClient(AppsV1Api);
    this.service = service;
  }

  async analyze(podName: string): Promise<PendingAnalysis> {
    const { namespace } = this.service;
    const pod = await this.readPod(podName);
    const limitations: Limitation[] = [];
    const events = await this.optional(() => this.core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.uid=${pod.metadata?.uid ?? ''}` }), 'events', limitations, { key: 'operations.pending.limitation.events' }, doing('readEvents'));
    const eventRows = newestEvents(events?.items ?? [], maxEvents);
    const scheduling = eventRows.find((event) => event.reason === 'FailedScheduling')?.message
      ?? (pod.status?.conditions ?? []).find((condition) => condition.type === 'PodScheduled' && condition.status === 'False')?.message
      ?? null;
    const unscheduled = !pod.spec?.nodeName;
    const [nodes, boundPods, claims] = await Promise.all([
      unscheduled ? this.optional(() => this.core.listNode({}).then((list) => list.items), 'nodes', limitations, { key: 'operations.pending.limitation.nodes' }, doing('readNodes')) : Promise.resolve(null),
      unscheduled ? this.boundPods(limitations) : Promise.resolve(null),
      this.readClaims(pod),
    ]);
    const findings = analyzePendingPod({ pod, nodes, boundPods: nodes === null ? null : boundPods, claims, schedulingMessage: scheduling });
    return { pod: podName, namespace, phase: pod.status?.phase ?? 'Unknown', findings, events: eventRows, limitations: limitations.map((note) => note.english), limitationTexts: limitations.map((note) => note.text) };
  }

  /** Pods holding node capacity. Users limited to their namespace get an estimate from it, and are told so. */
  private async boundPods(limitations: Limitation[]): Promise<V1Pod[] | null> {
    const fieldSelector = 'spec.nodeName!=,status.phase!=Succeeded,status.phase!=Failed';
    try {
      return (await this.core.listPodForAllNamespaces({ fieldSelector })).items;
    } catch (error) {
      if (kubeStatusCode(error) !== 403) throw kubernetesError(error, doing('listPodsBoundToNodes'));
    }
    const { namespace } = this.service;
    const own = await this.optional(() => this.core.listNamespacedPod({ namespace, fieldSelector }).then((list) => list.items), `pods in ${namespace}`, limitations, { key: 'operations.pending.limitation.podsInNamespace', params: { namespace } }, doing('readPodsIn', { namespace }));
    if (own !== null) {
      limitations.push({
        english: `Not allowed to list pods outside ${namespace}: free capacity counts only pods of ${namespace}, so nodes may be fuller than shown.`,
        text: { key: 'operations.pending.limitation.podsOutsideNamespace', params: { namespace } },
      });
    }
    return own;
  }

  private async readPod(podName: string): Promise<V1Pod> {
    const { namespace, deployment } = this.service;
    const [pod, owner] = await Promise.all([
      kubeRequest(doing('readPod', { pod: `${namespace}/${podName}` }), () => this.core.readNamespacedPod({ name: podName, namespace })),
      kubeRequest(doing('readDeployment', { deployment: `${namespace}/${deployment}` }), () => this.apps.readNamespacedDeployment({ name: deployment, namespace })),
    ]);
    if (!selectorMatches(owner.spec?.selector, pod.metadata?.labels)) throw new AppError('INVALID_INPUT', `Pod ${namespace}/${podName} is not part of service ${deployment}.`, undefined, { key: 'operations.pods.notInService', params: { pod: `${namespace}/${podName}`, deployment } });
    return pod;
  }

  private async readClaims(pod: V1Pod): Promise<ClaimFact[]> {
    const { namespace } = this.service;
    const volumes = (pod.spec?.volumes ?? []).filter((volume) => volume.persistentVolumeClaim?.claimName);
    return Promise.all(
      volumes.map(async (volume): Promise<ClaimFact> => {
        const name = volume.persistentVolumeClaim?.claimName ?? '';
        try {
          const claim = await this.core.readNamespacedPersistentVolumeClaim({ name, namespace });
          const phase = claim.status?.phase;
          const problem = phase === 'Bound' ? null : await this.claimProblem(name);
          return { name, volume: volume.name, phase: phase === 'Bound' || phase === 'Lost' ? phase : 'Pending', storageClass: claim.spec?.storageClassName ?? null, problem };
        } catch (error) {
          if (kubeStatusCode(error) === 404) return { name, volume: volume.name, phase: 'missing', storageClass: null, problem: null };
          throw kubernetesError(error, doing('readClaim', { claim: `${namespace}/${name}` }));
        }
      }),
    );
  }

  private async claimProblem(claim: string): Promise<string | null> {
    try {
      const events = await this.core.listNamespacedEvent({ namespace: this.service.namespace, fieldSelector: `involvedObject.kind=PersistentVolumeClaim,involvedObject.name=${claim},type=Warning` });
      return newestEvents(events.items, 1)[0]?.message ?? null;
    } catch {
      return null;
    }
  }

  /** Reads that only sharpen the analysis: forbidden means "analyse without them", and says so. */
  private async optional<T>(read: () => Promise<T>, what: string, limitations: Limitation[], text: MessageText, reading: KubeDoing): Promise<T | null> {
    try {
      return await read();
    } catch (error) {
      if (kubeStatusCode(error) !== 403) throw kubernetesError(error, reading);
      limitations.push({ english: `Not allowed to list ${what}; the analysis works without them.`, text });
      return null;
    }
  }

}
