import { ref, toValue, watch, type MaybeRefOrGetter } from 'vue';
import { api } from '../../api/client.ts';
import { useCall } from '../../composables/use-call.ts';
import { i18n } from '../../i18n/index.ts';
import { notifyError, notifySuccess } from '../../notifications.ts';

/** Domain Settings of one Docker/Podman service: the host's Caddy routes to its container ports. */
export function useEngineDomains(serviceId: MaybeRefOrGetter<string>) {
  const { t } = i18n.global;
  const loader = useCall((id: string) => api.call('engineDomains.list', { serviceId: id }));
  const busy = ref(false);
  const reload = () => loader.run(toValue(serviceId));
  watch(() => toValue(serviceId), () => void reload(), { immediate: true });

  /** True when main did it (the form that asked clears itself), false when it refused. */
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

  return {
    listing: loader.data,
    failure: loader.failure,
    loading: loader.loading,
    busy,
    reload,
    add: (host: string, path: string, port: number) =>
      act(async () => {
        const result = await api.call('engineDomains.add', { serviceId: toValue(serviceId), host, path, port });
        return t('domainsTab.engineAdded', { host, path, upstream: result.upstream });
      }),
    remove: (host: string, path: string) =>
      act(async () => {
        await api.call('engineDomains.remove', { serviceId: toValue(serviceId), host, path });
        return t('domainsTab.removed', { host, path });
      }),
  };
}
