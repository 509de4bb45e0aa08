import type { OperationsFrame as FrameView, OperatorPermissionName, OperatorPermissionsView } from '../../../../shared/contract/operations.ts';
import { AppError, detailPart, keyedText, toErrorBody } from '../../../../shared/errors.ts';
import type { ServiceCatalog, CatalogService } from '../../catalog/service-catalog.ts';
import type { RuntimeAccess } from '../../connections/runtime-access.ts';
import type { PermissionGate, PermissionTarget } from '../../permissions/permission-types.ts';
import { operationsTabs } from './operations-tabs.ts';

export interface OperationsFramePorts {
  readonly catalog: ServiceCatalog;
  readonly runtime: RuntimeAccess;
  readonly gate: PermissionGate;
}

/**
 * Opens the Operations Modal on one service: who it is, where it runs, and which tabs this
 * operator gets. The same permission answer guards the main process: every tab's service calls
 * `requirePermission(serviceId, permission)` before it acts, so hiding a tab is never the only
 * protection.
 */
export class OperationsFrameService {
  private readonly catalog: ServiceCatalog;
  private readonly runtime: RuntimeAccess;
  private readonly gate: PermissionGate;

  constructor(ports: OperationsFramePorts) {
    this.catalog = ports.catalog;
    this.runtime = ports.runtime;
    this.gate = ports.gate;
  }

  async describe(serviceId: string): Promise<FrameView> {
    const service = this.catalog.resolve(serviceId);
    const permissions = await this.permissionsOf(service);
    const { environment: env } = service;
    return {
      service: {
        id: service.id,
        name: service.name,
        ...(service.target.kind === 'deployment' ? { namespace: service.target.namespace } : {}),
        target: service.target,
        source: service.source,
      },
      environment: { id: env.id, name: env.name, production: env.production },
      runtime: env.kind,
      ...operationsTabs(env.kind, permissions),
      permissions,
    };
  }

  /** Resolves when the operator holds `permission` on the service; throws PERMISSION_DENIED otherwise. */
  async requirePermission(serviceId: string, permission: OperatorPermissionName): Promise<void> {
    const service = this.catalog.resolve(serviceId);
    await this.gate.require(await this.targetOf(service), permission);
  }

  private async permissionsOf(service: CatalogService): Promise<OperatorPermissionsView> {
    let target: PermissionTarget;
    try {
      target = await this.targetOf(service);
    } catch (error) {
      // No cluster to ask means no RBAC answer: fail closed, but still open the modal so the
      // operator can change the connection method and try again.
      const detail = toErrorBody(error).message;
      const message = `The cluster could not be asked what you may do: ${detail}`;
      const text = keyedText({ key: 'withheld.notAsked', params: { detail }, ...detailPart(error instanceof AppError ? error.text : undefined) });
      return {
        logs: false,
        commands: false,
        management: false,
        reasons: (['logs', 'commands', 'management'] as const).map((permission) => ({ permission, source: 'rbac' as const, message, text })),
      };
    }
    const set = await this.gate.permissions(target);
    return {
      logs: set.logs,
      commands: set.commands,
      management: set.management,
      reasons: set.reasons.map((reason) => ({ permission: reason.permission, source: reason.source, message: reason.message, ...(reason.text === undefined ? {} : { text: keyedText(reason.text) }) })),
    };
  }

  private async targetOf(service: CatalogService): Promise<PermissionTarget> {
    const { environment: env } = service;
    const environment = { id: env.id, name: env.name, kind: env.kind, production: env.production };
    if (service.target.kind !== 'deployment') return { environment };
    const access = await this.runtime.kubernetes(env.id);
    return { environment, cluster: { kubeConfig: access.kubeConfig, namespace: service.target.namespace } };
  }
}
