import { defineStore } from 'pinia';
import { computed, reactive, shallowRef } from 'vue';
import type { CatalogListing, ServiceRow, ServiceTarget } from '../../../shared/contract/catalog.ts';
import { api } from '../api/client.ts';
import { useCall } from '../composables/use-call.ts';
import { useCountdown } from '../composables/use-countdown.ts';
import { filterServices, mergeListing, sortServices, type ServiceFilters } from '../components/services/service-rows.ts';
import { notifyError } from '../notifications.ts';

/** Unreachable environments are asked again after 2 s, then every 5 s, until they answer. */
const autoRetryDelaysMs = [2_000, 5_000];
/** While the list is on screen it is read again this often, so status changes show by themselves. */
export const liveRefreshMs = 5_000;

/**
 * Service Management's data: every service main discovered or the user registered, the state
 * of each environment (an unreachable one is shown with Retry, its last known services marked
 * stale, and is retried by itself until it answers), the table's filters, favourites and
 * namespaces. The listing is replaced as a whole (shallowRef), never deep-watched.
 */
export const useServicesStore = defineStore('services', () => {
  const listing = shallowRef<CatalogListing>({ services: [], environments: [] });
  const filters = reactive<ServiceFilters>({ search: '', environmentId: null, runtime: null, health: null });
  // The listing is set inside the call, so the table gets its rows in the same render that ends
  // its loading state (not a render of an empty, loaded table first).
  const loader = useCall(async (asked?: Promise<CatalogListing>) => {
    listing.value = await (asked ?? api.call('catalog.list', {}));
  });
  const retrier = useCall((environmentId: string) => api.call('catalog.list', { environmentIds: [environmentId] }));

  const visible = computed(() => filterServices(listing.value.services, filters));
  const failedEnvironments = computed(() => listing.value.environments.filter((state) => state.state === 'error'));
  const kubernetesEnvironments = computed(() => listing.value.environments.filter((state) => state.runtime === 'kubernetes'));
  const filtered = computed(() => filters.search.trim() !== '' || filters.environmentId !== null || filters.runtime !== null || filters.health !== null);

  const autoRetry = useCountdown();
  let autoRetryTimer: ReturnType<typeof setTimeout> | null = null;
  let autoRetries = 0;

  /** While any environment is unreachable, ask those again by themselves; stop once all answer. */
  function scheduleAutoRetry(): void {
    if (autoRetryTimer !== null) clearTimeout(autoRetryTimer);
    autoRetryTimer = null;
    if (failedEnvironments.value.length === 0) {
      autoRetries = 0;
      autoRetry.start(null);
      return;
    }
    const delay = autoRetryDelaysMs[Math.min(autoRetries, autoRetryDelaysMs.length - 1)] ?? 5_000;
    autoRetries += 1;
    autoRetry.start(delay);
    autoRetryTimer = setTimeout(() => {
      autoRetryTimer = null;
      const ids = failedEnvironments.value.map((state) => state.environmentId);
      void api.call('catalog.list', { environmentIds: ids }).then(
        (partial) => {
          listing.value = mergeListing(listing.value, partial);
          scheduleAutoRetry();
        },
        () => scheduleAutoRetry(),
      );
    }, delay);
  }

  /** The list asked for while the window was still drawing its shell (see `prefetch`). */
  let early: { readonly listing: Promise<CatalogListing>; readonly at: number } | null = null;

  /**
   * Asks main for the list as soon as the window knows it will show Service Management, so the
   * clusters are read while the window loads rather than after. Its answer is shown as soon as it
   * arrives if nothing was shown yet, and the first `load()` within `liveRefreshMs` takes it
   * instead of asking again.
   */
  function prefetch(): void {
    if (early !== null) return;
    const asked = api.call('catalog.list', {});
    const empty = listing.value;
    asked.then(
      (answer) => {
        if (listing.value === empty) listing.value = answer;
      },
      () => undefined,
    );
    early = { listing: asked, at: Date.now() };
  }

  /** Settles when the list asked by `prefetch` was answered (at once when none was asked). */
  function prefetched(): Promise<void> {
    return early === null ? Promise.resolve() : early.listing.then(() => undefined, () => undefined);
  }

  function takeEarly(): Promise<CatalogListing> | undefined {
    const taken = early !== null && Date.now() - early.at < liveRefreshMs ? early.listing : undefined;
    early = null;
    return taken;
  }

  async function load(): Promise<void> {
    await loader.run(takeEarly());
    scheduleAutoRetry();
  }

  let liveTimer: ReturnType<typeof setTimeout> | null = null;
  let refreshing = false;
  let liveGeneration = 0;

  /** Reads the list again quietly (no spinner); a failed read leaves the rows and waits for the next. */
  async function refresh(): Promise<void> {
    if (refreshing || loader.loading.value) return;
    refreshing = true;
    try {
      listing.value = await api.call('catalog.list', {});
      scheduleAutoRetry();
    } catch {
      // The next round asks again; a load failure is shown by load(), not by a background read.
    } finally {
      refreshing = false;
    }
  }

  /** Keeps the list live while it is shown: each round starts after the previous one ended. */
  function startLive(): void {
    stopLive();
    const generation = liveGeneration;
    const round = () => {
      liveTimer = setTimeout(() => void refresh().finally(() => generation === liveGeneration && round()), liveRefreshMs);
    };
    round();
  }

  function stopLive(): void {
    liveGeneration += 1;
    if (liveTimer !== null) clearTimeout(liveTimer);
    liveTimer = null;
  }

  /** Discovers one environment again (its error banner's Retry, or after its namespaces changed). */
  async function retry(environmentId: string): Promise<void> {
    const partial = await retrier.run(environmentId);
    if (partial) listing.value = mergeListing(listing.value, partial);
    scheduleAutoRetry();
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
    /** Seconds until unreachable environments are asked again by themselves; null when none. */
    autoRetryIn: autoRetry.seconds,
    load,
    prefetch,
    prefetched,
    refresh,
    startLive,
    stopLive,
    retry,
    toggleFavourite,
    setNamespaces,
    register,
    unregister,
  };
});
