import { z } from 'zod';
import { serviceRowSchema, serviceTargetSchema, type ServiceRow, type ServiceTarget } from '../../../shared/contract/catalog.ts';
import type { SettingsRepository } from '../storage/settings-repository.ts';

const favouritesKey = 'catalog.favourites';
const manualKey = 'catalog.manual-services';
const namespacesKey = (environmentId: string): string => `catalog.namespaces/${environmentId}`;
const lastKnownKey = (environmentId: string): string => `catalog.last-known/${environmentId}`;

const lastKnownSchema = z.object({ at: z.string(), rows: z.array(serviceRowSchema.omit({ favourite: true, stale: true })) });
export type KnownRow = Omit<ServiceRow, 'favourite' | 'stale'>;
export interface LastKnown {
  readonly at: string;
  readonly rows: readonly KnownRow[];
}

const manualServiceSchema = z.object({
  id: z.string(),
  name: z.string(),
  environmentId: z.string(),
  target: serviceTargetSchema,
  createdAt: z.string(),
});
export type ManualService = z.infer<typeof manualServiceSchema>;

/**
 * What Service Management remembers between runs, as small JSON settings (no secrets):
 * favourite service ids, hand-registered services, the namespaces picked per cluster, and
 * each environment's last listing (shown, marked stale, while it is unreachable after a restart).
 */
export class CatalogSettings {
  private readonly settings: SettingsRepository;

  constructor(settings: SettingsRepository) {
    this.settings = settings;
  }

  favourites(): Set<string> {
    return new Set(this.settings.get(favouritesKey, z.array(z.string())) ?? []);
  }

  setFavourite(serviceId: string, favourite: boolean): void {
    const ids = this.favourites();
    if (favourite) ids.add(serviceId);
    else ids.delete(serviceId);
    this.settings.set(favouritesKey, [...ids].sort());
  }

  manualServices(): ManualService[] {
    return this.settings.get(manualKey, z.array(manualServiceSchema)) ?? [];
  }

  addManual(service: ManualService): void {
    this.settings.set(manualKey, [...this.manualServices(), service]);
  }

  removeManual(id: string): boolean {
    const before = this.manualServices();
    const after = before.filter((service) => service.id !== id);
    this.settings.set(manualKey, after);
    return after.length !== before.length;
  }

  lastKnown(environmentId: string): LastKnown | null {
    return this.settings.get(lastKnownKey(environmentId), lastKnownSchema);
  }

  /** Written only when the rows changed, so a list that is polled does not rewrite the database. */
  setLastKnown(environmentId: string, rows: readonly KnownRow[], at: string): void {
    const before = this.lastKnown(environmentId);
    if (before !== null && JSON.stringify(before.rows) === JSON.stringify(rows) && Date.parse(at) - Date.parse(before.at) < 60_000) return;
    this.settings.set(lastKnownKey(environmentId), { at, rows });
  }

  /** The picked namespaces, or null when the user never picked (the environment's own namespace applies). */
  namespaces(environmentId: string): string[] | null {
    return this.settings.get(namespacesKey(environmentId), z.array(z.string()));
  }

  setNamespaces(environmentId: string, namespaces: readonly string[]): string[] {
    const unique = [...new Set(namespaces)].sort();
    this.settings.set(namespacesKey(environmentId), unique);
    return unique;
  }
}

export function targetSummary(target: ServiceTarget): string {
  if (target.kind === 'deployment') return `deployment ${target.namespace}/${target.deployment}`;
  if (target.kind === 'compose') return `compose project ${target.project}`;
  return `containers ${target.containerNames.join(', ')}`;
}
