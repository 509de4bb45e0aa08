import type { CallHandlers } from '../ipc/router.ts';
import type { ServiceCatalog } from './service-catalog.ts';

type CatalogCalls = Pick<CallHandlers, 'catalog.list' | 'catalog.namespaces' | 'catalog.setNamespaces' | 'catalog.setFavourite' | 'catalog.register' | 'catalog.unregister'>;

export function catalogHandlers(catalog: ServiceCatalog): CatalogCalls {
  return {
    'catalog.list': ({ environmentIds }) => catalog.list(environmentIds),
    'catalog.namespaces': ({ environmentId }) => catalog.namespaceChoices(environmentId),
    'catalog.setNamespaces': async ({ environmentId, namespaces }) => ({ selected: await catalog.setNamespaces(environmentId, namespaces) }),
    'catalog.setFavourite': ({ serviceId, favourite }) => ({ favourite: catalog.setFavourite(serviceId, favourite) }),
    'catalog.register': (input) => catalog.register(input),
    'catalog.unregister': ({ serviceId }) => catalog.unregister(serviceId),
  };
}
