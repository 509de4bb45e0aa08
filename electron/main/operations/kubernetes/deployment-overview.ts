import { AppsV1Api, AutoscalingV2Api, CoreV1Api, type KubeConfig, type V1Deployment, type V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { newestEvents, type KubeEventRow } from './event-rows.ts';
import { AppError, type MessageText } from '../../../../shared/errors.ts';
import { doing, kubeStatusCode, kubernetesError } from './kube-errors.ts';
import { isoTime, labelSelectorQuery, type KubernetesServiceRef } from './kubernetes-access.ts';
import { forEachListed } from './raw-pages.ts';

export interface DeploymentConditionRow {
  readonly type: string;
  readonly status: string;
  readonly reason: string | null;
  readonly message: string | null;
  readonly lastUpdate: string | null;
}

export interface HpaSummary {
  readonly name: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Target average CPU utilization in percent; null when the HPA has no CPU target. */
  readonly targetCpuPercent: number | null;
  readonly currentCpuPercent: number | null;
  readonly currentReplicas: number | null;
  readonly desiredReplicas: number | null;
}

/** The Overview tab of a Kubernetes service. */
export interface DeploymentOverview {
  readonly name: string;
  readonly namespace: string;
  readonly createdAt: string | null;
  readonly selector: string;
  readonly replicas: { readonly desired: number; readonly updated: number; readonly ready: number; readonly available: number; readonly unavailable: number };
  readonly conditions: readonly DeploymentConditionRow[];
  readonly containers: readonly { readonly name: string; readonly image: string; readonly init: boolean }[];
  readonly hpa: HpaSummary | null;
  /** Warning events of the Deployment, its ReplicaSets and pods: newest first, capped. */
  readonly warnings: readonly KubeEventRow[];
  readonly limitations: readonly string[];
  /** `limitations` as keys for the window's language, line for line. */
  readonly limitationTexts: readonly MessageText[];
}

/** What could not be read, in main's English and as a key. */
interface Limitation {
  readonly english: string;
  readonly text: MessageText;
}

export interface DeploymentOverviewOptions {
  readonly kubeConfig: KubeConfig;
  readonly service: KubernetesServiceRef;
  /** Default 20. */
  readonly maxWarnings?: number;
  /**
   * The names of the Deployment's pods, to match their warning events. By default they are listed
   * here; the app passes its shared pod watch's list instead, so the Pod List opens on rows already read.
   */
  readonly podNames?: () => Promise<readonly string[]>;
}

/** A refusal by the cluster's RBAC: from client-node (403) or already mapped (the shared pod watch's reason). */
const forbidden = (error: unknown): boolean => kubeStatusCode(error) === 403 || (error instanceof AppError && error.code === 'PERMISSION_DENIED');

/** Reads the Overview of one Deployment: replica counts, conditions, images, its HPA and recent warnings. */
export class DeploymentOverviewReader {
  private readonly kubeConfig: KubeConfig;
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly autoscaling: AutoscalingV2Api;
  private readonly service: KubernetesServiceRef;
  private readonly maxWarnings: number;
  private readonly podNames: (() => Promise<readonly string[]>) | undefined;

  constructor(options: DeploymentOverviewOptions) {
    this.kubeConfig = options.kubeConfig;
    this.core = options.kubeConfig.makeApiClient(CoreV1Api);
    this.apps = options.kubeConfig.makeApiClient(AppsV1Api);
    this.autoscaling = options.kubeConfig.makeApiClient(AutoscalingV2Api);
    this.service = options.service;
    this.maxWarnings = options.maxWarnings ?? 20;
    this.podNames = options.podNames;
  }

  async read(): Promise<DeploymentOverview> {
    const { namespace, deployment: name } = this.service;
    // Names given from outside are asked for beside the Deployment (the list is the slow part); readWarnings handles a failure.
    const given = this.podNames?.();
    given?.catch(() => undefined);
    let deployment: V1Deployment;
    try {
      deployment = await this.apps.readNamespacedDeployment({ name, namespace });
    } catch (error) {
      throw kubernetesError(error, doing('readDeployment', { deployment: `${namespace}/${name}` }));
    }
    const selector = labelSelectorQuery(deployment.spec?.selector);
    const limitations: Limitation[] = [];
    const podNames = given ?? this.listPodNames(selector);
    const [hpa, warnings] = await Promise.all([this.readHpa(limitations), this.readWarnings(deployment, podNames, limitations)]);
    const status = deployment.status;
    const spec = deployment.spec?.template.spec;
    return {
      name,
      namespace,
      createdAt: isoTime(deployment.metadata?.creationTimestamp),
      selector,
      replicas: {
        desired: deployment.spec?.replicas ?? 1,
        updated: status?.updatedReplicas ?? 0,
        ready: status?.readyReplicas ?? 0,
        available: status?.availableReplicas ?? 0,
        unavailable: status?.unavailableReplicas ?? 0,
      },
      conditions: (status?.conditions ?? []).map((condition) => ({
        type: condition.type,
        status: condition.status,
        reason: condition.reason ?? null,
        message: condition.message ?? null,
        lastUpdate: isoTime(condition.lastUpdateTime) ?? isoTime(condition.lastTransitionTime),
      })),
      containers: [
        ...(spec?.initContainers ?? []).map((container) => ({ name: container.name, image: container.image ?? '', init: true })),
        ...(spec?.containers ?? []).map((container) => ({ name: container.name, image: container.image ?? '', init: false })),
      ],
      hpa,
      warnings,
      limitations: limitations.map((note) => note.english),
      limitationTexts: limitations.map((note) => note.text),
    };
  }

  private async readHpa(limitations: Limitation[]): Promise<HpaSummary | null> {
    const { namespace, deployment } = this.service;
    let items: V2HorizontalPodAutoscaler[];
    try {
      items = (await this.autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace })).items;
    } catch (error) {
      if (kubeStatusCode(error) === 403 || kubeStatusCode(error) === 404) {
        limitations.push({ english: 'HorizontalPodAutoscalers could not be read; autoscaling is not shown.', text: { key: 'operations.limitations.hpas' } });
        return null;
      }
      throw kubernetesError(error, doing('listHorizontalPodAutoscalersOf', { namespace }));
    }
    const hpa = items.find((candidate) => candidate.spec?.scaleTargetRef.kind === 'Deployment' && candidate.spec.scaleTargetRef.name === deployment);
    if (!hpa) return null;
    const target = hpa.spec?.metrics?.find((metric) => metric.type === 'Resource' && metric.resource?.name === 'cpu')?.resource?.target.averageUtilization ?? null;
    const current = hpa.status?.currentMetrics?.find((metric) => metric.type === 'Resource' && metric.resource?.name === 'cpu')?.resource?.current.averageUtilization ?? null;
    return {
      name: hpa.metadata?.name ?? '',
      minReplicas: hpa.spec?.minReplicas ?? 1,
      maxReplicas: hpa.spec?.maxReplicas ?? 0,
      targetCpuPercent: target,
      currentCpuPercent: current,
      currentReplicas: hpa.status?.currentReplicas ?? null,
      desiredReplicas: hpa.status?.desiredReplicas ?? null,
    };
  }

  /** The Deployment's pods' names, listed by its selector. */
  private async listPodNames(selector: string): Promise<readonly string[]> {
    const names: string[] = [];
    // Only the names are needed: read them page by page from the JSON (thousands of pods are 9 MB typed).
    await forEachListed(this.kubeConfig, `/api/v1/namespaces/${encodeURIComponent(this.service.namespace)}/pods`, { labelSelector: selector }, (pod) => {
      const name = (pod as { metadata?: { name?: unknown } }).metadata?.name;
      if (typeof name === 'string') names.push(name);
    });
    return names;
  }

  private async readWarnings(deployment: V1Deployment, podNames: Promise<readonly string[]>, limitations: Limitation[]): Promise<KubeEventRow[]> {
    const { namespace } = this.service;
    const selector = labelSelectorQuery(deployment.spec?.selector);
    // Settled together, so a refusal's limitation is noted before the Overview is put together.
    const [events, replicaSets, pods] = await Promise.allSettled([
      this.core.listNamespacedEvent({ namespace, fieldSelector: 'type=Warning' }),
      this.apps.listNamespacedReplicaSet({ namespace, labelSelector: selector }),
      podNames,
    ]);
    for (const read of [events, replicaSets, pods]) {
      if (read.status === 'rejected' && !forbidden(read.reason)) throw kubernetesError(read.reason, doing('readEventsOf', { namespace }));
    }
    if (events.status === 'rejected' || replicaSets.status === 'rejected') {
      limitations.push({ english: 'Events could not be read; recent warnings are not shown.', text: { key: 'operations.limitations.warningEvents' } });
      return [];
    }
    const owned = new Set<string>([`Deployment/${deployment.metadata?.name ?? ''}`]);
    for (const replicaSet of replicaSets.value.items) owned.add(`ReplicaSet/${replicaSet.metadata?.name ?? ''}`);
    // Pods the operator may not list still leave the Deployment's and ReplicaSets' warnings worth showing.
    if (pods.status === 'rejected') limitations.push({ english: 'The pods could not be listed; warnings of the Deployment and its ReplicaSets are shown, not those of its pods.', text: { key: 'operations.limitations.podWarnings' } });
    else for (const name of pods.value) owned.add(`Pod/${name}`);
    const ours = events.value.items.filter((event) => owned.has(`${event.involvedObject.kind ?? ''}/${event.involvedObject.name ?? ''}`));
    return newestEvents(ours, this.maxWarnings);
  }
}
