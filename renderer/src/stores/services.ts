import { defineStore } from 'pinia';
import { computed, reactive, shallowRef } from 'vue';
import type { CatalogListing, ServiceRow, ServiceTarget } from '../../../shared/contract/catalog.ts';
import { api } from '../api/client.ts';
import { useCall } from '../composables/use-call.ts';
import { filterServices, mergeListing, sortServices, type ServiceFilters } from '../components/services/service-rows.ts';
import { notifyError } from '../notifications.ts';

/**
 * Service Management's data: every service main discovered or the user registered, the state
 * of each environment (an unreachable one is shown with Retry), the table's filters, favourites
 * and namespaces. The listing is replaced as a whole (shallowRef), never deep-watched.
 */
export const useServicesStore = defineStore('services', () => {
  const listing = shallowRef<CatalogListing>({ services: [], environments: [] });
  const filters = reactive<ServiceFilters>({ search: '', environmentId: null, runtime: null, health: null });
  const loader = useCall(() => api.call('catalog.list', {}));
  const retrier = useCall((environmentId: string) => api.call('catalog.list', { environmentIds: [environmentId] }));

  const visible = computed(() => filterServices(listing.value.services, filters));
  const failedEnvironments = computed(() => listing.value.environments.filter((state) => state.state === 'error'));
  const kubernetesEnvironments = computed(() => listing.value.environments.filter((state) => state.runtime === 'kubernetes'));
  const filtered = computed(() => filters.search.trim() !== '' || filters.environmentId !== null || filters.runtime !== null || filters.health !== null);

  async function load(): Promise<void> {
    const next = await loader.run();
    if (next) listing.value = next;
  }

  /** Discovers one environment again (its error banner's Retry, or after its namespaces changed). */
  async function retry(environmentId: string): Promise<void> {
    const partial = await retrier.run(environmentId);
    if (partial) listing.value = mergeListing(listing.value, partial);
  }

  async function toggleFavourite(row: ServiceRow): Promise<void> {
    const favourite = !row.favourite;
    const swap = (value: boolean) => {
      listing.value = { ...listing.value, services: sortServices(listing.value.services.map((candidate) => (candidate.id === row.id ? { ...candidate, favourite: value } : candidate))) };
    };
    swap(favourite);
    try {
      await api.call('catalog.setFavourite', { serviceId: row.id, favourite });
    } catch (error) {
      swap(!favourite);
      notifyError(error);
    }
  }

  async function setNamespaces(environmentId: string, namespaces: string[]): Promise<void> {
    await api.call('catalog.setNamespaces', { environmentId, namespaces });
    await retry(environmentId);
  }

  async function register(input: { name: string; environmentId: string; target: ServiceTarget }): Promise<void> {
    await api.call('catalog.register', input);
    await retry(input.environmentId);
  }

  async function unregister(row: ServiceRow): Promise<void> {
    await api.call('catalog.unregister', { serviceId: row.id });
    await retry(row.environmentId);
  }

  return {
    listing,
    filters,
    visible,
    filtered,
    failedEnvironments,
    kubernetesEnvironments,
    loading: loader.loading,
    loadFailure: loader.failure,
    retrying: retrier.loading,
    load,
    retry,
    toggleFavourite,
    setNamespaces,
    register,
    unregister,
  };
});
