import { AppError } from '../../../../shared/errors.ts';
import type { CatalogService, ServiceCatalog } from '../../catalog/service-catalog.ts';
import type { RuntimeAccess } from '../../connections/runtime-access.ts';
import type { OperationsFrameService } from '../frame/operations-frame.ts';
import type { PermissionGate as OperatorGate, PermissionSet, PermissionTarget } from '../../permissions/permission-types.ts';
import type { EngineConnection } from '../containers/engine.ts';
import type { ServiceSelector } from '../containers/service-discovery.ts';
import { clusterIdentity, type KubernetesAccess, type KubernetesServiceRef, type PermissionGate as KubeGate } from '../kubernetes/kubernetes-access.ts';

/** What the tab handlers need from the rest of main; the composition root passes the real ones. */
export interface TabPorts {
  readonly catalog: Pick<ServiceCatalog, 'resolve'>;
  readonly runtime: Pick<RuntimeAccess, 'kubernetes' | 'engine' | 'onRelease'>;
  readonly frame: Pick<OperationsFrameService, 'requirePermission' | 'describe'>;
}

export interface KubernetesTarget {
  readonly service: CatalogService;
  readonly access: KubernetesAccess;
  readonly ref: KubernetesServiceRef;
  /** The kube backend's gate shape, asking the operator's permission on this service. */
  readonly gate: KubeGate;
}

export interface EngineTarget {
  readonly service: CatalogService;
  readonly engine: EngineConnection;
  /** A Compose project, or one standalone container per name of a hand-registered service. */
  readonly selectors: readonly ServiceSelector[];
  readonly permissionTarget: PermissionTarget;
  /** The permissions module's gate shape, asking the operator's permission on this service. */
  readonly gate: OperatorGate;
}

/**
 * Turns a service id from the renderer into what the operations backends take: the catalog
 * says where the service lives, RuntimeAccess gives a client through the chosen connection
 * method, and the gates ask the same permission answer the Operations Modal frame shows.
 */
export class ServiceTargets {
  private readonly ports: TabPorts;

  constructor(ports: TabPorts) {
    this.ports = ports;
  }

  /** Where a Deployment service lives, from the catalogue alone (no request to the cluster). */
  deploymentRef(serviceId: string): KubernetesServiceRef {
    const service = this.ports.catalog.resolve(serviceId);
    if (service.target.kind !== 'deployment') throw new AppError('INVALID_INPUT', `"${service.name}" runs on ${service.environment.kind}; it has containers, not pods.`, undefined, { key: 'operations.services.containersNotPods', params: { service: service.name, runtime: service.environment.kind } });
    return { namespace: service.target.namespace, deployment: service.target.deployment };
  }

  /** The environment a service lives in, from the catalogue alone. */
  environmentOf(serviceId: string): string {
    return this.ports.catalog.resolve(serviceId).environment.id;
  }

  async kubernetes(serviceId: string): Promise<KubernetesTarget> {
    const ref = this.deploymentRef(serviceId);
    const service = this.ports.catalog.resolve(serviceId);
    const { kubeConfig } = await this.ports.runtime.kubernetes(service.environment.id);
    return {
      service,
      access: { kubeConfig, identity: clusterIdentity(kubeConfig), environmentId: service.environment.id },
      ref,
      gate: { require: (_environmentId, capability) => this.ports.frame.requirePermission(serviceId, capability) },
    };
  }

  async engine(serviceId: string): Promise<EngineTarget> {
    const service = this.ports.catalog.resolve(serviceId);
    const { target, environment: env } = service;
    if (target.kind === 'deployment' || env.kind === 'kubernetes') throw new AppError('INVALID_INPUT', `"${service.name}" is a Kubernetes Deployment; it has pods, not containers.`, undefined, { key: 'operations.services.podsNotContainers', params: { service: service.name } });
    const access = await this.ports.runtime.engine(env.id);
    const selectors: ServiceSelector[] =
      target.kind === 'compose' ? [{ kind: 'compose', project: target.project }] : target.containerNames.map((containerName) => ({ kind: 'standalone', containerName }));
    return {
      service,
      engine: { docker: access.docker, kind: access.kind, identity: `${access.kind}@${env.name} (${access.method})`.slice(0, 200) },
      selectors,
      permissionTarget: { environment: { id: env.id, name: env.name, kind: access.kind, production: env.production } },
      gate: {
        require: (_target, permission) => this.ports.frame.requirePermission(serviceId, permission),
        permissions: () => this.permissionSet(serviceId),
      },
    };
  }

  private async permissionSet(serviceId: string): Promise<PermissionSet> {
    const { permissions } = await this.ports.frame.describe(serviceId);
    return {
      logs: permissions.logs,
      commands: permissions.commands,
      management: permissions.management,
      reasons: permissions.reasons.map((reason) => (reason.source === 'rbac' ? { ...reason, source: 'rbac' as const, denied: [] } : { ...reason, source: reason.source })),
    };
  }
}
