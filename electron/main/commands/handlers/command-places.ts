import { AutoscalingV2Api } from '@kubernetes/client-node';
import { AppError } from '../../../../shared/errors.ts';
import type { CatalogService, ServiceCatalog } from '../../catalog/service-catalog.ts';
import type { RuntimeAccess } from '../../connections/runtime-access.ts';
import { targetLabel } from '../../connections/ssh/ssh-errors.ts';
import type { EnvironmentRecord } from '../../environments/environment-repository.ts';
import { containerName } from '../../operations/containers/engine.ts';
import { belongsTo, type ServiceSelector } from '../../operations/containers/service-discovery.ts';
import type { OperationsFrameService } from '../../operations/frame/operations-frame.ts';
import { hpaLocks } from '../../operations/scaling/deployment-scaling.ts';
import type { EngineObjects } from '../engine-membership.ts';
import type { EngineKind } from '../engine-policy.ts';

/** What the command handlers need from the rest of main; the composition root passes the real ones. */
export interface CommandPorts {
  readonly catalog: Pick<ServiceCatalog, 'resolve'>;
  readonly runtime: Pick<RuntimeAccess, 'privateKubeconfig' | 'kubernetes' | 'engine' | 'hostExec' | 'hostStream'>;
  readonly frame: Pick<OperationsFrameService, 'requirePermission'>;
}

/**
 * Where a command of one service runs, resolved from the catalog: the cluster and the
 * service's namespace, or the engine (local socket, or a host reached over SSH) and
 * optionally one of the service's own containers.
 */
export type CommandPlace =
  | {
      readonly runtime: 'kubernetes';
      readonly service: CatalogService;
      readonly env: EnvironmentRecord;
      readonly namespace: string;
      /** Deployment → the HPA that locks its manual scale (only looked up for `kubectl scale`). */
      readonly hpaLocks?: ReadonlyMap<string, string>;
    }
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
      /** Every engine object and whether it is the service's (only for engine CLI commands). */
      readonly objects?: EngineObjects;
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

  /**
   * Resolves where the command runs; a selected container must belong to the service. With
   * `withObjects`, the engine's containers, images, volumes and networks are listed once with
   * their membership, so the policy can check every object a command names (Kubernetes: the
   * HPA locks of the namespace, for `kubectl scale`).
   */
  async place(service: CatalogService, container: string | undefined, withObjects = false): Promise<CommandPlace> {
    const env = service.environment;
    if (service.target.kind === 'deployment') {
      if (container !== undefined) throw new AppError('INVALID_INPUT', 'Kubernetes commands name their pod inside the command (kubectl exec POD -- CMD); there is no container selection.', undefined, { key: 'operations.commands.kubernetesNoContainer' });
      const namespace = service.target.namespace;
      if (!withObjects) return { runtime: 'kubernetes', service, env, namespace };
      // The Scaling panel's own lock: one guard for every manual scale.
      const access = await this.ports.runtime.kubernetes(env.id);
      const locks = await hpaLocks(access.kubeConfig.makeApiClient(AutoscalingV2Api), namespace);
      return { runtime: 'kubernetes', service, env, namespace, hpaLocks: new Map([...locks].map(([deployment, hpa]) => [deployment, hpa.metadata?.name ?? deployment])) };
    }
    if (env.target.kind !== 'engine' || env.kind === 'kubernetes') throw new AppError('INVALID_INPUT', `"${service.name}" has no engine to run commands on.`, undefined, { key: 'operations.commands.noEngine', params: { service: service.name } });
    const access = await this.ports.runtime.engine(env.id);
    const host = env.access.ssh;
    // The same rule RuntimeAccess uses for the engine client: Direct means the local socket.
    const remoteHost = access.method === 'direct' || host === undefined ? null : targetLabel(host);
    const objects = withObjects || container !== undefined ? await this.objects(service) : undefined;
    if (container !== undefined && !objects?.containers.some((item) => item.member && item.names.includes(container))) {
      throw new AppError('NOT_FOUND', `Container "${container}" is not part of "${service.name}"; pick one from the list.`, undefined, { key: 'operations.commands.containerNotInService', params: { container, service: service.name } });
    }
    return {
      runtime: 'engine',
      service,
      env,
      engine: access.kind,
      endpoint: `unix://${env.target.socketPath}`,
      remoteHost,
      ...(container === undefined ? {} : { container }),
      ...(objects === undefined ? {} : { objects }),
    };
  }

  /** The engine's objects, each marked as the service's own or not (the catalog's membership). */
  async objects(service: CatalogService): Promise<EngineObjects> {
    const selectors = selectorsOf(service);
    const { docker } = await this.ports.runtime.engine(service.environment.id);
    const [containers, images, networks] = await Promise.all([docker.listContainers({ all: true }), docker.listImages({ all: true }), docker.listNetworks()]);
    const members = containers.filter((info) => selectors.some((selector) => belongsTo(selector, containerName(info.Names), info.Labels ?? {})));
    const memberIds = new Set(members.map((info) => info.Id));
    const memberImages = new Set(members.map((info) => info.ImageID.replace(/^sha256:/, '')));
    const memberVolumes = new Set(members.flatMap((info) => (info.Mounts ?? []).map((mount) => mount.Name).filter((name): name is string => typeof name === 'string' && name !== '')));
    const memberNetworks = new Set(members.flatMap((info) => Object.values(info.NetworkSettings?.Networks ?? {}).map((network) => network.NetworkID)));
    const allVolumes = new Set([...memberVolumes, ...containers.flatMap((info) => (info.Mounts ?? []).map((mount) => mount.Name).filter((name): name is string => typeof name === 'string' && name !== ''))]);
    return {
      containers: containers.map((info) => ({ id: info.Id, names: (info.Names ?? []).map((name) => name.replace(/^\//, '')), member: memberIds.has(info.Id) })),
      images: images.map((info) => ({ id: info.Id.replace(/^sha256:/, ''), refs: [...(info.RepoTags ?? []), ...(info.RepoDigests ?? [])].filter((ref) => ref !== '<none>:<none>' && ref !== '<none>@<none>'), member: memberImages.has(info.Id.replace(/^sha256:/, '')) })),
      volumes: [...allVolumes].map((name) => ({ name, member: memberVolumes.has(name) })),
      networks: networks.map((info) => ({ id: info.Id, name: info.Name, member: memberNetworks.has(info.Id) })),
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
