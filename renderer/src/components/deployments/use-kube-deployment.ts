import { onScopeDispose, toValue, watch, type MaybeRefOrGetter } from 'vue';
import { api } from '../../api/client.ts';
import { useCall } from '../../composables/use-call.ts';
import { useConfirmedMutation } from './use-confirmed-mutation.ts';
import { askedAlready } from '../../api/production-guard.ts';

const rolloutPollMs = 1_000;

/**
 * The Kubernetes Deployment Management tab: the Deployment read on demand, and re-read every
 * second only while a rollout is in progress (a set-image or rollback shows its progress until
 * it completes, then reading stops).
 */
export function useKubeDeployment(serviceId: MaybeRefOrGetter<string>) {
  const loader = useCall((id: string) => api.call('deployment.get', { serviceId: id }));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const reload = async () => {
    clearTimeout(timer);
    const details = await loader.run(toValue(serviceId));
    if (details?.rollout.state === 'progressing') timer = setTimeout(() => void reload(), rolloutPollMs);
  };
  const mutation = useConfirmedMutation(reload);
  const id = () => toValue(serviceId);

  watch(id, () => void reload(), { immediate: true });
  onScopeDispose(() => clearTimeout(timer));

  return {
    details: loader.data,
    failure: loader.failure,
    loading: loader.loading,
    reload,
    ...mutation,
    setImage: (container: string, image: string) => mutation.run(`image:${container}`, () => api.call('deployment.setImage', askedAlready({ serviceId: id(), container, image }))),
    rollback: (toRevision?: number) =>
      mutation.run(`rollback:${toRevision ?? 'previous'}`, () => api.call('deployment.rollback', askedAlready({ serviceId: id(), ...(toRevision === undefined ? {} : { toRevision }) }))),
    restart: () => mutation.run('restart', () => api.call('deployment.restart', askedAlready({ serviceId: id() }))),
  };
}
