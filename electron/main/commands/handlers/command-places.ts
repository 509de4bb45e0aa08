import { AppError } from '../../../../shared/errors.ts';
import type { CatalogService, ServiceCatalog } from '../../catalog/service-catalog.ts';
import type { RuntimeAccess } from '../../connections/runtime-access.ts';
import { targetLabel } from '../../connections/ssh/ssh-errors.ts';
import type { EnvironmentRecord } from '../../environments/environment-repository.ts';
import { containerName } from '../../operations/containers/engine.ts';
import { belongsTo, type ServiceSelector } from '../../operations/containers/service-discovery.ts';
import type { OperationsFrameService } from '../../operations/frame/operations-frame.ts';
import type { EngineKind } from '../engine-policy.ts';

/** What the command handlers need from the rest of main; the composition root passes the real ones. */
export interface CommandPorts {
  readonly catalog: Pick<ServiceCatalog, 'resolve'>;
  readonly runtime: Pick<RuntimeAccess, 'privateKubeconfig' | 'engine' | 'hostExec' | 'hostStream'>;
  readonly frame: Pick<OperationsFrameService, 'requirePermission'>;
}

/**
 * Where a command of one service runs, resolved from the catalog: the cluster and the
 * service's namespace, or the engine (local socket, or a host reached over SSH) and
 * optionally one of the service's own containers.
 */
export type CommandPlace =
  | { readonly runtime: 'kubernetes'; readonly service: CatalogService; readonly env: EnvironmentRecord; readonly namespace: string }
  | {
      readonly runtime: 'engine';
      readonly service: CatalogService;
      readonly env: EnvironmentRecord;
      readonly engine: EngineKind;
      /** `unix://…` for the CLI's --host/--url; the socket path as seen on the machine the CLI runs on. */
      readonly endpoint: string;
      /** `user@host:port` when the command runs on an SSH host; null for a local engine. */
      readonly remoteHost: string | null;
      readonly container?: string;
    };

export function selectorsOf(service: CatalogService): ServiceSelector[] {
  const { target } = service;
  if (target.kind === 'compose') return [{ kind: 'compose', project: target.project }];
  if (target.kind === 'containers') return target.containerNames.map((name) => ({ kind: 'standalone', containerName: name }));
  return [];
}

export class CommandPlaces {
  private readonly ports: CommandPorts;

  constructor(ports: CommandPorts) {
    this.ports = ports;
  }

  service(serviceId: string): CatalogService {
    return this.ports.catalog.resolve(serviceId);
  }

  /** Resolves where the command runs; a container must belong to the service. */
  async place(service: CatalogService, container: string | undefined): Promise<CommandPlace> {
    const env = service.environment;
    if (service.target.kind === 'deployment') {
      if (container !== undefined) throw new AppError('INVALID_INPUT', 'Kubernetes commands name their pod inside the command (kubectl exec POD -- CMD); there is no container selection.');
      return { runtime: 'kubernetes', service, env, namespace: service.target.namespace };
    }
    if (env.target.kind !== 'engine' || env.kind === 'kubernetes') throw new AppError('INVALID_INPUT', `"${service.name}" has no engine to run commands on.`);
    const access = await this.ports.runtime.engine(env.id);
    const host = env.access.ssh;
    // The same rule RuntimeAccess uses for the engine client: Direct means the local socket.
    const remoteHost = access.method === 'direct' || host === undefined ? null : targetLabel(host);
    if (container !== undefined) {
      const members = await this.containers(service);
      if (!members.some((member) => member.name === container)) {
        throw new AppError('NOT_FOUND', `Container "${container}" is not part of "${service.name}"; pick one from the list.`);
      }
    }
    return {
      runtime: 'engine',
      service,
      env,
      engine: access.kind,
      endpoint: `unix://${env.target.socketPath}`,
      remoteHost,
      ...(container === undefined ? {} : { container }),
    };
  }

  /** The service's containers (all states), for the dropdown and the membership check. */
  async containers(service: CatalogService): Promise<{ name: string; state: string }[]> {
    const selectors = selectorsOf(service);
    if (selectors.length === 0) return [];
    const { docker } = await this.ports.runtime.engine(service.environment.id);
    const listed = await docker.listContainers({ all: true });
    return listed
      .map((info) => ({ name: containerName(info.Names), state: info.State, labels: info.Labels ?? {} }))
      .filter((info) => selectors.some((selector) => belongsTo(selector, info.name, info.labels)))
      .map(({ name, state }) => ({ name, state }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}

/** The audit row's target: what the command acted on, readable. */
export function placeLabel(place: CommandPlace): string {
  if (place.runtime === 'kubernetes') return `${place.env.name}/namespace/${place.namespace}`;
  if (place.container !== undefined) return `${place.env.name}/container/${place.container}`;
  return `${place.env.name}/host/${place.remoteHost ?? 'local'}`;
}
