import type { CatalogEnvironment, CatalogListing, ServiceHealth, ServiceRow } from '../../../../shared/contract/catalog.ts';

export interface ServiceFilters {
  search: string;
  environmentId: string | null;
  runtime: ServiceRow['runtime'] | null;
  health: ServiceHealth | null;
}

/** Search matches the name, environment, namespace or Compose project, case-insensitively. */
export function filterServices(rows: readonly ServiceRow[], filters: ServiceFilters): ServiceRow[] {
  const words = filters.search.trim().toLowerCase().split(/\s+/).filter((word) => word !== '');
  return rows.filter((row) => {
    if (filters.environmentId !== null && row.environmentId !== filters.environmentId) return false;
    if (filters.runtime !== null && row.runtime !== filters.runtime) return false;
    if (filters.health !== null && row.status.health !== filters.health) return false;
    const haystack = [row.name, row.environmentName, row.namespace ?? '', row.runtime].join(' ').toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}

/** Favourites pinned on top, then by name and environment (the order main sends). */
export function sortServices(rows: readonly ServiceRow[]): ServiceRow[] {
  return [...rows].sort((a, b) => Number(b.favourite) - Number(a.favourite) || a.name.localeCompare(b.name) || a.environmentName.localeCompare(b.environmentName));
}

/** Replaces what a partial listing (Retry of some environments) covers, keeps the rest. */
export function mergeListing(current: CatalogListing, partial: CatalogListing): CatalogListing {
  const covered = new Set(partial.environments.map((state) => state.environmentId));
  const environments: CatalogEnvironment[] = current.environments.map((state) => partial.environments.find((next) => next.environmentId === state.environmentId) ?? state);
  for (const state of partial.environments) if (!environments.some((known) => known.environmentId === state.environmentId)) environments.push(state);
  const services = sortServices([...current.services.filter((row) => !covered.has(row.environmentId)), ...partial.services]);
  return { services, environments };
}
