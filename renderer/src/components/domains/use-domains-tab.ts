import { toValue, type MaybeRefOrGetter } from 'vue';
import type { CallInput } from '../../../../shared/contract/index.ts';
import { api } from '../../api/client.ts';
import { i18n } from '../../i18n/index.ts';
import { useDomainList } from './use-domain-list.ts';
import { askedAlready } from '../../api/production-guard.ts';

export type DomainDraft = Omit<CallInput<'domains.add'>, 'serviceId'>;

/** The Domain Settings tab of one Kubernetes service: its Ingress rules, adding and removing a host + path. */
export function useDomainsTab(serviceId: MaybeRefOrGetter<string>) {
  const { t } = i18n.global;
  const { act, ...list } = useDomainList(serviceId, (id: string) => api.call('domains.list', { serviceId: id }));
  return {
    ...list,
    add: (draft: DomainDraft) =>
      act(async () => {
        const result = await api.call('domains.add', { serviceId: toValue(serviceId), ...draft });
        return t('domainsTab.added', { host: draft.host, path: draft.path ?? '/', ingress: result.ingress });
      }),
    remove: (host: string, path: string, confirmation: string | undefined) =>
      act(async () => {
        await api.call('domains.remove', askedAlready({ serviceId: toValue(serviceId), host, path, ...(confirmation ? { confirmation } : {}) }));
        return t('domainsTab.removed', { host, path });
      }),
  };
}
