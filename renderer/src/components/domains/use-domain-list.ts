import { ref, toValue, watch, type MaybeRefOrGetter } from 'vue';
import { useCall } from '../../composables/use-call.ts';
import { notifyError, notifySuccess } from '../../notifications.ts';

/**
 * What both Domain Settings tabs (Kubernetes Ingress, Docker/Podman proxy) share: the listing
 * of one service, reloaded when the service changes, and `act` for a change that notifies its
 * outcome and reloads afterwards (true when it succeeded).
 */
export function useDomainList<T>(serviceId: MaybeRefOrGetter<string>, load: (serviceId: string) => Promise<T>) {
  const loader = useCall(load);
  const busy = ref(false);
  const reload = () => loader.run(toValue(serviceId));
  watch(() => toValue(serviceId), () => void reload(), { immediate: true });

  async function act(run: () => Promise<string>): Promise<boolean> {
    busy.value = true;
    try {
      notifySuccess(await run());
      return true;
    } catch (error) {
      notifyError(error);
      return false;
    } finally {
      busy.value = false;
      await reload();
    }
  }

  return { listing: loader.data, failure: loader.failure, loading: loader.loading, busy, reload, act };
}
