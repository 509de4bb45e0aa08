import { ref, toValue, watch, type MaybeRefOrGetter } from 'vue';
import type { CallInput } from '../../../../shared/contract/index.ts';
import { api } from '../../api/client.ts';
import { useCall } from '../../composables/use-call.ts';
import { i18n } from '../../i18n/index.ts';
import { notifyError, notifySuccess } from '../../notifications.ts';

export type DomainDraft = Omit<CallInput<'domains.add'>, 'serviceId'>;

/** The Domain Settings tab of one Kubernetes service: its Ingress rules, adding and removing a host + path. */
export function useDomainsTab(serviceId: MaybeRefOrGetter<string>) {
  const { t } = i18n.global;
  const loader = useCall((id: string) => api.call('domains.list', { serviceId: id }));
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

  return {
    listing: loader.data,
    failure: loader.failure,
    loading: loader.loading,
    busy,
    reload,
    add: (draft: DomainDraft) =>
      act(async () => {
        const result = await api.call('domains.add', { serviceId: toValue(serviceId), ...draft });
        return t('domainsTab.added', { host: draft.host, path: draft.path ?? '/', ingress: result.ingress });
      }),
    remove: (host: string, path: string, confirmation: string | undefined) =>
      act(async () => {
        await api.call('domains.remove', { serviceId: toValue(serviceId), host, path, ...(confirmation ? { confirmation } : {}) });
        return t('domainsTab.removed', { host, path });
      }),
  };
}
