import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { AuditTrail } from '../../audit/audit-trail.ts';
import { doing, kubeStatusCode, kubernetesError } from '../kubernetes/kube-errors.ts';
import type { KubeDoing } from '../../../../shared/kube-doing.ts';
import { labelSelectorQuery } from '../kubernetes/kubernetes-access.ts';
import type { PendingPodsDeletion } from '../kubernetes/pod-actions.ts';
import type { KubernetesTarget } from './service-targets.ts';

// Audit details are capped (16 KiB): long name lists are cut, their counts are not.
const maxListed = 40;

/**
 * "Delete all Pending pods" as the operator confirmed it: only the pods named in the
 * confirmation, and of those only the ones still Pending on the server at action time. Each is
 * deleted with a uid + resourceVersion precondition, so a pod scheduled in between is skipped,
 * never killed, and a Pending pod that appeared after the dialog opened is left for the next
 * confirmation. Audited as `pods.delete-pending`, like PodActions' unconditional variant.
 */
export async function deleteConfirmedPendingPods(target: KubernetesTarget, expectedPods: readonly string[], trail: Pick<AuditTrail, 'audited'>): Promise<PendingPodsDeletion> {
  const { access, ref } = target;
  const where = `${ref.namespace}/${ref.deployment}`;
  const confirmed = [...new Set(expectedPods)].sort();
  const core = access.kubeConfig.makeApiClient(CoreV1Api);
  const apps = access.kubeConfig.makeApiClient(AppsV1Api);
  const attempt = async <T>(what: KubeDoing, request: () => Promise<T>): Promise<T> => {
    try {
      return await request();
    } catch (error) {
      throw kubernetesError(error, what);
    }
  };
  return trail.audited(
    {
      action: 'pods.delete-pending',
      target: where,
      actorIdentity: access.identity,
      environmentId: access.environmentId,
      details: { namespace: ref.namespace, deployment: ref.deployment, confirmedCount: confirmed.length, confirmed: confirmed.slice(0, maxListed) },
    },
    async () => {
      await target.gate.require(access.environmentId, 'management');
      const deployment = await attempt(doing('readDeployment', { deployment: where }), () => apps.readNamespacedDeployment({ name: ref.deployment, namespace: ref.namespace }));
      const selector = labelSelectorQuery(deployment.spec?.selector);
      const listed = await attempt(doing('listPodsOf', { target: where }), () => core.listNamespacedPod({ namespace: ref.namespace, labelSelector: selector }));
      const byName = new Map(listed.items.map((pod) => [pod.metadata?.name ?? '', pod]));
      const deleted: string[] = [];
      const skipped: { name: string; reason: string }[] = [];
      const failed: { name: string; error: string; cause: Error }[] = [];
      await Promise.all(
        confirmed.map(async (name) => {
          const pod = byName.get(name);
          if (pod === undefined) return skipped.push({ name, reason: 'already gone' });
          if (pod.metadata?.deletionTimestamp) return skipped.push({ name, reason: 'already terminating' });
          if (pod.status?.phase !== 'Pending') return skipped.push({ name, reason: `no longer Pending (${pod.status?.phase ?? 'Unknown'})` });
          try {
            await core.deleteNamespacedPod({ name, namespace: ref.namespace, body: { preconditions: { uid: pod.metadata?.uid, resourceVersion: pod.metadata?.resourceVersion } } });
            return deleted.push(name);
          } catch (error) {
            const code = kubeStatusCode(error);
            if (code === 404) return skipped.push({ name, reason: 'already gone' });
            if (code === 409) return skipped.push({ name, reason: 'changed since it was listed as Pending' });
            const cause = kubernetesError(error, doing('deletePod', { pod: `${ref.namespace}/${name}` }));
            return failed.push({ name, error: cause.message, cause });
          }
        }),
      );
      // Nothing deleted and something failed (typically: not allowed to delete pods): that is the action's error.
      const first = failed[0];
      if (first !== undefined && deleted.length === 0) throw first.cause;
      const byNameOrder = (left: { name: string }, right: { name: string }) => left.name.localeCompare(right.name);
      return { deleted: deleted.sort(), skipped: skipped.sort(byNameOrder), failed: failed.sort(byNameOrder).map(({ name, error }) => ({ name, error })) };
    },
    {
      detailsFromResult: (result) => ({
        deletedCount: result.deleted.length,
        deleted: result.deleted.slice(0, maxListed),
        skipped: result.skipped.slice(0, maxListed).map((entry) => entry.name),
        failed: result.failed.slice(0, maxListed).map((entry) => entry.name),
      }),
    },
  );
}
