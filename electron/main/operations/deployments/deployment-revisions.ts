import type { V1Deployment, V1PodTemplateSpec, V1ReplicaSet } from '@kubernetes/client-node';
import { isoTime } from '../kubernetes/kubernetes-access.ts';

// Pure readings of a Deployment and its ReplicaSets, the way kubectl's rollout commands read
// them (k8s.io/kubectl/pkg/polymorphichelpers: history.go, rollback.go, rollout_status.go).

export const revisionAnnotation = 'deployment.kubernetes.io/revision';
export const changeCauseAnnotation = 'kubernetes.io/change-cause';
export const restartedAtAnnotation = 'kubectl.kubernetes.io/restartedAt';
const podTemplateHashLabel = 'pod-template-hash';

export interface DeploymentRevision {
  readonly revision: number;
  readonly replicaSet: string;
  readonly createdAt: string | null;
  readonly images: readonly { readonly container: string; readonly image: string }[];
  readonly changeCause?: string;
  readonly current: boolean;
  readonly template: V1PodTemplateSpec;
}

export interface RolloutStatus {
  readonly state: 'complete' | 'progressing' | 'failed';
  readonly message: string;
}

export function revisionOf(object: { metadata?: { annotations?: Record<string, string> } }): number {
  const value = Number(object.metadata?.annotations?.[revisionAnnotation] ?? '');
  return Number.isInteger(value) && value > 0 ? value : 0;
}

/** The ReplicaSets this Deployment controls (owner reference with its uid), as revisions, newest first. */
export function revisionsOf(deployment: V1Deployment, replicaSets: readonly V1ReplicaSet[]): DeploymentRevision[] {
  const uid = deployment.metadata?.uid;
  const current = revisionOf(deployment);
  return replicaSets
    .filter((rs) => rs.metadata?.ownerReferences?.some((owner) => owner.controller === true && owner.uid === uid))
    .map((rs) => {
      const revision = revisionOf(rs);
      const cause = rs.metadata?.annotations?.[changeCauseAnnotation];
      const template = rs.spec?.template ?? {};
      return {
        revision,
        replicaSet: rs.metadata?.name ?? '',
        createdAt: isoTime(rs.metadata?.creationTimestamp),
        images: (template.spec?.containers ?? []).map((container) => ({ container: container.name, image: container.image ?? '' })),
        ...(cause ? { changeCause: cause } : {}),
        current: revision === current && current > 0,
        template,
      };
    })
    .filter((entry) => entry.revision > 0)
    .sort((a, b) => b.revision - a.revision);
}

/**
 * The revision `kubectl rollout undo` goes to: `toRevision`, or without it the newest revision
 * older than the current one. Null when there is none.
 */
export function rollbackTarget(revisions: readonly DeploymentRevision[], currentRevision: number, toRevision?: number): DeploymentRevision | null {
  if (toRevision !== undefined) return revisions.find((entry) => entry.revision === toRevision) ?? null;
  return revisions.filter((entry) => entry.revision < currentRevision).sort((a, b) => b.revision - a.revision)[0] ?? null;
}

/** The ReplicaSet's template as the Deployment's: without the controller's pod-template-hash label. */
export function templateForDeployment(template: V1PodTemplateSpec): V1PodTemplateSpec {
  const copy = structuredClone(template);
  const labels = { ...(copy.metadata?.labels ?? {}) };
  delete labels[podTemplateHashLabel];
  copy.metadata = { ...(copy.metadata ?? {}), labels };
  return copy;
}

/** `kubectl rollout status` for one moment, without waiting. */
export function rolloutStatusOf(deployment: V1Deployment): RolloutStatus {
  const name = deployment.metadata?.name ?? '';
  const status = deployment.status ?? {};
  const desired = deployment.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const total = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if ((deployment.metadata?.generation ?? 0) > (status.observedGeneration ?? 0)) {
    return { state: 'progressing', message: 'Waiting for deployment spec update to be observed...' };
  }
  const progressing = status.conditions?.find((condition) => condition.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') return { state: 'failed', message: `deployment "${name}" exceeded its progress deadline` };
  if (updated < desired) return { state: 'progressing', message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${desired} new replicas have been updated...` };
  if (total > updated) return { state: 'progressing', message: `Waiting for deployment "${name}" rollout to finish: ${total - updated} old replicas are pending termination...` };
  if (available < updated) return { state: 'progressing', message: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...` };
  return { state: 'complete', message: `deployment "${name}" successfully rolled out` };
}

/** Images per container, `web=nginx:1.27, sidecar=envoy:1` — for audit rows and messages. */
export function imagesText(template: V1PodTemplateSpec | undefined): string {
  return (template?.spec?.containers ?? []).map((container) => `${container.name}=${container.image ?? ''}`).join(', ');
}
