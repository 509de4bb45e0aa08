import { toValue, type MaybeRefOrGetter } from 'vue';
import { api } from '../../api/client.ts';
import { i18n } from '../../i18n/index.ts';
import { useDomainList } from './use-domain-list.ts';
import { askedAlready } from '../../api/production-guard.ts';

/** Domain Settings of one Docker/Podman service: the host's Caddy routes or Traefik labels for its container ports. */
export function useEngineDomains(serviceId: MaybeRefOrGetter<string>) {
  const { t } = i18n.global;
  const { act, ...list } = useDomainList(serviceId, (id: string) => api.call('engineDomains.list', { serviceId: id }));
  return {
    ...list,
    add: (host: string, path: string, port: number, tls: boolean) =>
      act(async () => {
        const result = await api.call('engineDomains.add', { serviceId: toValue(serviceId), host, path, port, tls });
        return t('domainsTab.engineAdded', { proxy: list.listing.value?.proxy?.kind === 'traefik' ? 'Traefik' : 'Caddy', host, path, upstream: result.upstream });
      }),
    remove: (host: string, path: string) =>
      act(async () => {
        await api.call('engineDomains.remove', askedAlready({ serviceId: toValue(serviceId), host, path }));
        return t('domainsTab.removed', { host, path });
      }),
  };
}
