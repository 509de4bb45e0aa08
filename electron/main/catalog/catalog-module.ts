import { join } from 'node:path';
import type { AuditTrail } from '../audit/audit-trail.ts';
import type { RuntimeAccess } from '../connections/runtime-access.ts';
import { EnvironmentRepository } from '../environments/environment-repository.ts';
import type { CallHandlers } from '../ipc/router.ts';
import { operationsFrameHandlers } from '../operations/frame/frame-handlers.ts';
import { OperationsFrameService } from '../operations/frame/operations-frame.ts';
import { OrganisationPolicyFile } from '../permissions/organisation-policy.ts';
import { OperatorPermissionGate } from '../permissions/permission-gate.ts';
import type { PermissionGate } from '../permissions/permission-types.ts';
import { RbacReviewer } from '../permissions/rbac-reviewer.ts';
import type { AppDatabase } from '../storage/database.ts';
import { SettingsRepository } from '../storage/settings-repository.ts';
import { catalogHandlers } from './catalog-handlers.ts';
import { CatalogSettings } from './catalog-settings.ts';
import { EnvironmentDiscovery } from './environment-discovery.ts';
import { ServiceCatalog } from './service-catalog.ts';

export interface CatalogModuleOptions {
  readonly db: AppDatabase;
  readonly runtime: RuntimeAccess;
  readonly trail: AuditTrail;
  readonly dataDir: string;
  /** The operator permission gate; default: `<dataDir>/organisation-policy.yaml` ∩ cluster RBAC. */
  readonly gate?: PermissionGate;
  /** How long one environment's discovery may take before it shows as an error (default 10 s). */
  readonly discoveryTimeoutMs?: number;
}

export interface CatalogModule {
  readonly handlers: ReturnType<typeof catalogHandlers> & Pick<CallHandlers, 'operations.describe'>;
  readonly catalog: ServiceCatalog;
  /** For every tab's service: throws PERMISSION_DENIED unless the operator holds the permission on the service. */
  readonly frame: OperationsFrameService;
}

/** Service Management's catalogue and the Operations Modal's frame, built from the composition root's ports. */
export function createCatalogModule(options: CatalogModuleOptions): CatalogModule {
  const gate = options.gate ?? new OperatorPermissionGate(new OrganisationPolicyFile(join(options.dataDir, 'organisation-policy.yaml')), new RbacReviewer());
  const catalog = new ServiceCatalog({
    environments: new EnvironmentRepository(options.db),
    discovery: new EnvironmentDiscovery(options.runtime, options.discoveryTimeoutMs ?? 10_000),
    settings: new CatalogSettings(new SettingsRepository(options.db)),
    trail: options.trail,
  });
  const frame = new OperationsFrameService({ catalog, runtime: options.runtime, gate });
  return { handlers: { ...catalogHandlers(catalog), ...operationsFrameHandlers(frame) }, catalog, frame };
}
