import { AppsV1Api, CoreV1Api, type V1LabelSelector, type V1Pod } from '@kubernetes/client-node';
import { AppError } from '../../../../shared/errors.ts';
import type { AuditTrail } from '../../audit/audit-trail.ts';
import { doing, kubeStatusCode, kubernetesError, kubeRequest } from './kube-errors.ts';
import { labelSelectorQuery, selectorMatches, type KubernetesAccess, type KubernetesServiceRef, type PermissionGate } from './kubernetes-access.ts';

// Audit action names: the trail only accepts dotted lower-case kebab verbs, hence
// pod.force-delete / pods.delete-pending rather than camelCase.

/** The audit wrapper the actions need; the real AuditTrail satisfies it. */
export type AuditedRunner = Pick<AuditTrail, 'audited'>;

export interface PodDeletion {
  readonly name: string;
  readonly uid: string;
}

export interface PendingPodsDeletion {
  /** Pods that were still Pending at action time and were deleted. */
  readonly deleted: readonly string[];
  /** Pods that were Pending in the list but had changed or gone when deleted. */
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
  readonly failed: readonly { readonly name: string; readonly error: string }[];
}

export interface PodActionsOptions {
  readonly access: KubernetesAccess;
  readonly service: KubernetesServiceRef;
  readonly audit: AuditedRunner;
  readonly permissions: PermissionGate;
}

/**
 * The Pod List's mutations for one service: restart (delete, the Deployment recreates it),
 * force delete, and bulk delete of Pending pods. Each one checks the management permission,
 * acts only on pods of this service, and is recorded in the audit trail before it returns
 * (refusals and failures included).
 */
export class PodActions {
  private readonly access: KubernetesAccess;
  private readonly service: KubernetesServiceRef;
  private readonly audit: AuditedRunner;
  private readonly permissions: PermissionGate;
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;

  constructor(options: PodActionsOptions) {
    this.access = options.access;
    this.service = options.service;
    this.audit = options.audit;
    this.permissions = options.permissions;
    this.core = options.access.kubeConfig.makeApiClient(CoreV1Api);
    this.apps = options.access.kubeConfig.makeApiClient(AppsV1Api);
  }

  /** Deletes the pod with its normal grace period; the Deployment's ReplicaSet starts a replacement. */
  restartPod(podName: string): Promise<PodDeletion> {
    return this.deleteOne('pod.delete', podName, { mode: 'restart' }, {});
  }

  /** `kubectl delete pod --force --grace-period=0`: removed from the API at once, without waiting for the kubelet. */
  forceDeletePod(podName: string): Promise<PodDeletion> {
    return this.deleteOne('pod.force-delete', podName, { mode: 'force', gracePeriodSeconds: 0 }, { gracePeriodSeconds: 0, propagationPolicy: 'Background' });
  }

  /**
   * Deletes every pod of the service that is Pending now: lists again on the server at action
   * time, and deletes each with a resourceVersion precondition so a pod that got scheduled in
   * between is skipped rather than killed.
   */
  deletePendingPods(): Promise<PendingPodsDeletion> {
    const target = `${this.service.namespace}/${this.service.deployment}`;
    return this.audit.audited(
      { ...this.intentBase('pods.delete-pending', target), details: { namespace: this.service.namespace, deployment: this.service.deployment } },
      async () => {
        await this.permissions.require(this.access.environmentId, 'management');
        const selector = labelSelectorQuery(await this.selector());
        const listed = await kubeRequest(doing('listPodsOf', { target }), () => this.core.listNamespacedPod({ namespace: this.service.namespace, labelSelector: selector }));
        const pending = listed.items.filter((pod) => pod.status?.phase === 'Pending' && !pod.metadata?.deletionTimestamp);
        const deleted: string[] = [];
        const skipped: { name: string; reason: string }[] = [];
        const failed: { name: string; error: string; cause: AppError }[] = [];
        await Promise.all(
          pending.map(async (pod) => {
            const name = pod.metadata?.name ?? '';
            try {
              await this.core.deleteNamespacedPod({ name, namespace: this.service.namespace, body: { preconditions: { uid: pod.metadata?.uid, resourceVersion: pod.metadata?.resourceVersion } } });
              deleted.push(name);
            } catch (error) {
              const code = kubeStatusCode(error);
              if (code === 404) skipped.push({ name, reason: 'already gone' });
              else if (code === 409) skipped.push({ name, reason: 'changed since it was listed as Pending' });
              else {
                const cause = kubernetesError(error, doing('deletePod', { pod: `${this.service.namespace}/${name}` }));
                failed.push({ name, error: cause.message, cause });
              }
            }
          }),
        );
        // Nothing worked (typically: not allowed to delete pods): surface that as the action's error.
        const firstFailure = failed[0];
        if (firstFailure !== undefined && deleted.length === 0) throw firstFailure.cause;
        return { deleted: deleted.sort(), skipped, failed: failed.map(({ name, error }) => ({ name, error })) };
      },
      { detailsFromResult: (result) => ({ deleted: [...result.deleted], skipped: result.skipped.map((entry) => entry.name), failed: result.failed.map((entry) => entry.name) }) },
    );
  }

  private async deleteOne(action: 'pod.delete' | 'pod.force-delete', podName: string, details: Record<string, string | number>, options: { gracePeriodSeconds?: number; propagationPolicy?: string }): Promise<PodDeletion> {
    const target = `${this.service.namespace}/${podName}`;
    return this.audit.audited(
      { ...this.intentBase(action, target), details: { namespace: this.service.namespace, pod: podName, deployment: this.service.deployment, ...details } },
      async () => {
        await this.permissions.require(this.access.environmentId, 'management');
        const pod = await this.podOfService(podName);
        await kubeRequest(doing('deletePod', { pod: target }), () =>
          this.core.deleteNamespacedPod({ name: podName, namespace: this.service.namespace, ...options, body: { preconditions: { uid: pod.metadata?.uid } } }),
        );
        return { name: podName, uid: pod.metadata?.uid ?? '' };
      },
    );
  }

  /** Refuses pod names that belong to another workload: the renderer only names pods of this service. */
  private async podOfService(podName: string): Promise<V1Pod> {
    const [pod, selector] = await Promise.all([
      kubeRequest(doing('readPod', { pod: `${this.service.namespace}/${podName}` }), () => this.core.readNamespacedPod({ name: podName, namespace: this.service.namespace })),
      this.selector(),
    ]);
    if (!selectorMatches(selector, pod.metadata?.labels)) {
      throw new AppError('INVALID_INPUT', `Pod ${this.service.namespace}/${podName} is not part of service ${this.service.deployment}.`, undefined, { key: 'operations.pods.notInService', params: { pod: `${this.service.namespace}/${podName}`, deployment: this.service.deployment } });
    }
    return pod;
  }

  private async selector(): Promise<V1LabelSelector | undefined> {
    const deployment = await kubeRequest(doing('readDeployment', { deployment: `${this.service.namespace}/${this.service.deployment}` }), () =>
      this.apps.readNamespacedDeployment({ name: this.service.deployment, namespace: this.service.namespace }),
    );
    return deployment.spec?.selector;
  }


  private intentBase(action: string, target: string): { action: string; target: string; actorIdentity: string; environmentId: string } {
    return { action, target, actorIdentity: this.access.identity, environmentId: this.access.environmentId };
  }
}
