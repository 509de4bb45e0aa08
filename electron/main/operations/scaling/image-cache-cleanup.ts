import { AppsV1Api, CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import type { AuditTrail } from '../../audit/audit-trail.ts';
import { doing, kubeStatusCode, kubernetesError } from '../kubernetes/kube-errors.ts';
import { labelSelectorQuery, type KubernetesAccess, type KubernetesServiceRef, type PermissionGate } from '../kubernetes/kubernetes-access.ts';

const pullFailures = new Set(['ImagePullBackOff', 'ErrImagePull']);
const maxListed = 40;

export interface ImageCacheCleanup {
  readonly deleted: string[];
  readonly skipped: { name: string; reason: string }[];
}

/** The waiting reason of the pod's first container stuck pulling its image, if any. */
export function imagePullFailure(pod: V1Pod): string | null {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const reason = statuses.map((status) => status.state?.waiting?.reason ?? '').find((candidate) => pullFailures.has(candidate));
  return reason ?? null;
}

/**
 * The spec's "Image Cache Cleanup": a pod in ImagePullBackOff waits out an ever longer back-off
 * (up to 5 minutes) before pulling again, even once the registry or credentials are fixed.
 * Deleting it lets the Deployment create a fresh pod that pulls at once. Only the pods the
 * operator confirmed, and of those only ones still failing to pull (uid precondition), are
 * deleted; a pod that recovered meanwhile is skipped. Node image caches themselves are not
 * touched (the API has no such call). Audited as `pods.image-cache-cleanup`.
 */
export async function cleanUpImagePulls(
  target: { access: KubernetesAccess; ref: KubernetesServiceRef; gate: PermissionGate },
  expectedPods: readonly string[],
  trail: Pick<AuditTrail, 'audited'>,
): Promise<ImageCacheCleanup> {
  const { access, ref } = target;
  const where = `${ref.namespace}/${ref.deployment}`;
  const confirmed = [...new Set(expectedPods)].sort();
  const core = access.kubeConfig.makeApiClient(CoreV1Api);
  const apps = access.kubeConfig.makeApiClient(AppsV1Api);
  return trail.audited(
    {
      action: 'pods.image-cache-cleanup',
      target: where,
      actorIdentity: access.identity,
      environmentId: access.environmentId,
      details: { namespace: ref.namespace, deployment: ref.deployment, confirmedCount: confirmed.length, confirmed: confirmed.slice(0, maxListed) },
    },
    async () => {
      await target.gate.require(access.environmentId, 'management');
      let pods: V1Pod[];
      try {
        const deployment = await apps.readNamespacedDeployment({ name: ref.deployment, namespace: ref.namespace });
        pods = (await core.listNamespacedPod({ namespace: ref.namespace, labelSelector: labelSelectorQuery(deployment.spec?.selector) })).items;
      } catch (error) {
        throw kubernetesError(error, doing('listPodsOf', { target: where }));
      }
      const byName = new Map(pods.map((pod) => [pod.metadata?.name ?? '', pod]));
      const deleted: string[] = [];
      const skipped: { name: string; reason: string }[] = [];
      for (const name of confirmed) {
        const pod = byName.get(name);
        const failure = pod ? imagePullFailure(pod) : null;
        if (!pod) skipped.push({ name, reason: 'already gone' });
        else if (pod.metadata?.deletionTimestamp) skipped.push({ name, reason: 'already terminating' });
        else if (!failure) skipped.push({ name, reason: 'no longer failing to pull its image' });
        else {
          try {
            await core.deleteNamespacedPod({ name, namespace: ref.namespace, body: { preconditions: { uid: pod.metadata?.uid } } });
            deleted.push(name);
          } catch (error) {
            if (kubeStatusCode(error) === 404 || kubeStatusCode(error) === 409) skipped.push({ name, reason: 'already gone' });
            else throw kubernetesError(error, doing('deletePod', { pod: `${ref.namespace}/${name}` }));
          }
        }
      }
      return { deleted, skipped };
    },
    { detailsFromResult: (result) => ({ deleted: result.deleted.slice(0, maxListed), skipped: result.skipped.slice(0, maxListed).map((entry) => entry.name) }) },
  );
}
