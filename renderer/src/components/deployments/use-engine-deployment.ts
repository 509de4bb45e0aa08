import { toValue, watch, type MaybeRefOrGetter } from 'vue';
import { api } from '../../api/client.ts';
import { useCall } from '../../composables/use-call.ts';
import { useConfirmedMutation } from './use-confirmed-mutation.ts';
import { askedAlready } from '../../api/production-guard.ts';

/** The Docker/Podman Deployment Management tab: the service's containers, Redeploy, Update image, image history with Roll back. */
export function useEngineDeployment(serviceId: MaybeRefOrGetter<string>) {
  const loader = useCall((id: string) => api.call('containers.deployment', { serviceId: id }));
  const reload = () => loader.run(toValue(serviceId));
  const mutation = useConfirmedMutation(reload);
  watch(() => toValue(serviceId), () => void reload(), { immediate: true });

  function redeploy(containerId: string, image?: string): Promise<void> {
    return mutation.run(`redeploy:${containerId}`, async () => {
      const answer = await api.call('containers.redeploy', askedAlready({ serviceId: toValue(serviceId), containerId, ...(image ? { image } : {}) }));
      return answer.status === 'done' ? { status: 'done', message: answer.message } : answer;
    });
  }

  /** Recreates the entry's container (its whole Compose service) from the recorded image id. */
  function rollback(historyId: number): Promise<void> {
    return mutation.run(`rollback:${historyId}`, async () => {
      const answer = await api.call('containers.rollback', askedAlready({ serviceId: toValue(serviceId), historyId }));
      return answer.status === 'done' ? { status: 'done', message: answer.message } : answer;
    });
  }

  return { view: loader.data, failure: loader.failure, loading: loader.loading, reload, redeploy, rollback, ...mutation };
}
