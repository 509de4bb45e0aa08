import type Docker from 'dockerode';
import { AppError } from '../../../../shared/errors.ts';
import { containerName } from '../containers/engine.ts';
import { ContainerRedeploy } from '../deployments/container-redeploy.ts';
import type { EngineTarget } from '../handlers/service-targets.ts';
import type { DomainRow, Upstream } from './caddy-domains.ts';
import { isTraefik, labelChange, nextRouterName, routerBase, traefikRoutes, withoutRoute, withRoute, type Labels } from './traefik-labels.ts';

const stopTimeoutSeconds = 10;
const whereOf = (host: string, path: string): string => `${host}${path === '/' ? '' : path}`;
export const labelsOf = (info: Docker.ContainerInspectInfo): Labels => info.Config.Labels ?? {};

/** The containers a label change recreates, and the change to each one's labels. */
export interface LabelPlan {
  readonly infos: readonly Docker.ContainerInspectInfo[];
  readonly change: (labels: Labels) => Record<string, string>;
}

/** The running Traefik container on this engine, if any (its image, or the image's OCI title). */
export async function findTraefik(docker: Docker): Promise<{ name: string; image: string } | null> {
  const running = await docker.listContainers({ filters: { status: ['running'] } });
  const found = running.find((container) => isTraefik(container));
  return found ? { name: containerName(found.Names), image: found.Image } : null;
}

/** Container ports Traefik (on the engine's networks) can forward to: exposed or published ones. */
export function containerPorts(infos: readonly Docker.ContainerInspectInfo[]): Upstream[] {
  return infos.flatMap((info) => {
    const name = containerName(info.Name);
    const ports = new Set([...Object.keys(info.Config.ExposedPorts ?? {}), ...Object.keys(info.HostConfig.PortBindings ?? {})].filter((port) => port.endsWith('/tcp')).map((port) => Number.parseInt(port, 10)));
    return [...ports].sort((a, b) => a - b).map((port) => ({ container: name, port, dial: `${name}:${port}` }));
  });
}

/** Routers on the service's containers; a router appears once even when each replica carries it. */
export function traefikRows(target: EngineTarget, infos: readonly Docker.ContainerInspectInfo[]): DomainRow[] {
  const owned = new RegExp(`^${routerBase(target.service.name)}-\\d+$`);
  const seen = new Set<string>();
  return infos.flatMap((info) =>
    traefikRoutes(labelsOf(info)).flatMap((route) =>
      route.hosts
        .filter((host) => !seen.has(`${route.router} ${host}`) && seen.add(`${route.router} ${host}`))
        .map((host) => ({ host, path: route.path, upstream: `${route.port ?? 'port chosen by Traefik'}${route.tls ? ' (TLS)' : ''}`, id: route.router, ownedByKiops: owned.test(route.router) })),
    ),
  );
}

/**
 * Domain routes as Traefik Docker-provider labels on the service's containers. Labels are fixed
 * at creation, so each change recreates the containers through the redeploy path (its rename
 * aside, start check and restore); when a later container of the service fails, the ones
 * already changed are recreated with their previous labels again.
 */
export class TraefikDomains {
  private readonly target: EngineTarget;
  private readonly redeploy: ContainerRedeploy;

  constructor(target: EngineTarget, trail: ConstructorParameters<typeof ContainerRedeploy>[0]['trail']) {
    this.target = target;
    this.redeploy = new ContainerRedeploy({ engine: target.engine, trail, gate: target.gate, target: target.permissionTarget });
  }

  async add(infos: readonly Docker.ContainerInspectInfo[], request: { host: string; path: string; port: number; tls: boolean }): Promise<{ id: string; upstream: string; before: string; after: string }> {
    const plan = await this.planAdd(infos, request);
    const first = infos[0] as Docker.ContainerInspectInfo;
    return { id: plan.router, upstream: `${containerName(first.Name)}:${request.port}`, ...(await this.relabel(plan.infos, plan.change)) };
  }

  async remove(infos: readonly Docker.ContainerInspectInfo[], request: { host: string; path: string }): Promise<{ before: string; after: string }> {
    const plan = this.planRemove(infos, request);
    return this.relabel(plan.infos, plan.change);
  }

  /** Which containers get which labels for a new route, after the checks (wildcard, port, conflict). */
  async planAdd(infos: readonly Docker.ContainerInspectInfo[], request: { host: string; path: string; port: number; tls: boolean }): Promise<LabelPlan & { router: string }> {
    if (request.host.startsWith('*.')) throw new AppError('INVALID_INPUT', `Traefik's Host() matcher takes no wildcard; add ${request.host.slice(2)} or each sub-domain by name.`, undefined, { key: 'operations.domains.traefikWildcard', params: { host: request.host.slice(2) } });
    if (infos.length === 0) throw new AppError('NOT_FOUND', `"${this.target.service.name}" has no containers to label.`, undefined, { key: 'operations.domains.noContainersToLabel', params: { service: this.target.service.name } });
    if (!containerPorts(infos).some((upstream) => upstream.port === request.port)) {
      throw new AppError('NOT_FOUND', `No container of "${this.target.service.name}" exposes port ${request.port}; Traefik forwards to an exposed container port (EXPOSE or a published port).`, undefined, { key: 'operations.domains.traefikNoExposedPort', params: { service: this.target.service.name, port: request.port } });
    }
    await this.refuseTaken(infos, request.host, request.path);
    const router = nextRouterName(this.target.service.name, Object.assign({}, ...infos.map(labelsOf)) as Labels);
    return { router, infos, change: (labels) => withRoute(labels, { router, host: request.host, path: request.path, port: request.port, tls: request.tls }) };
  }

  /** Which containers lose the router KIOPS added for host + path; NOT_FOUND or CONFLICT (not ours) otherwise. */
  planRemove(infos: readonly Docker.ContainerInspectInfo[], request: { host: string; path: string }): LabelPlan {
    const where = whereOf(request.host, request.path);
    const row = traefikRows(this.target, infos).find((candidate) => candidate.host === request.host && candidate.path === request.path);
    if (!row?.id) throw new AppError('NOT_FOUND', `No Traefik label of "${this.target.service.name}" routes ${where}.`, undefined, { key: 'operations.domains.traefikRouteMissing', params: { service: this.target.service.name, where } });
    if (!row.ownedByKiops) throw new AppError('CONFLICT', `The Traefik router "${row.id}" for ${where} was not added by KIOPS; change it where it was written (the compose file's labels).`, undefined, { key: 'operations.domains.traefikRouteNotOurs', params: { router: row.id, where } });
    const router = row.id;
    return { infos: infos.filter((info) => traefikRoutes(labelsOf(info)).some((route) => route.router === router)), change: (labels) => withoutRoute(labels, router) };
  }

  /** CONFLICT naming the container and router when any container on this engine routes host + path already. */
  private async refuseTaken(infos: readonly Docker.ContainerInspectInfo[], host: string, path: string): Promise<void> {
    const all = await this.target.engine.docker.listContainers({ all: true });
    for (const container of all) {
      const taken = traefikRoutes(container.Labels ?? {}).find((route) => route.hosts.includes(host) && route.path === path);
      if (!taken) continue;
      const name = containerName(container.Names);
      const ours = infos.some((info) => info.Id === container.Id);
      throw new AppError('CONFLICT', `${whereOf(host, path)} is already routed by Traefik router "${taken.router}" on container "${name}"${ours ? ' of this service' : ''}; remove that route first.`, { owner: `${name}/${taken.router}` }, { key: ours ? 'operations.domains.traefikTakenHere' : 'operations.domains.traefikTaken', params: { where: whereOf(host, path), router: taken.router, container: name } });
    }
  }

  private async relabel(infos: readonly Docker.ContainerInspectInfo[], change: (labels: Labels) => Record<string, string>): Promise<{ before: string; after: string }> {
    const done: { info: Docker.ContainerInspectInfo; newId: string }[] = [];
    for (const info of infos) {
      try {
        const newId = await this.redeploy.recreate({ ...info, Config: { ...info.Config, Labels: change(labelsOf(info)) } }, info.Config.Image, stopTimeoutSeconds);
        done.push({ info, newId });
      } catch (error) {
        for (const changed of done.reverse()) {
          const current = await this.target.engine.docker.getContainer(changed.newId).inspect().catch(() => null);
          if (current) await this.redeploy.recreate({ ...current, Config: { ...current.Config, Labels: labelsOf(changed.info) } }, changed.info.Config.Image, stopTimeoutSeconds).catch(() => undefined);
        }
        throw error;
      }
    }
    const sample = infos[0];
    return sample ? labelChange(labelsOf(sample), change(labelsOf(sample))) : { before: '(none)', after: '(none)' };
  }
}
