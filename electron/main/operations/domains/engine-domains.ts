import type Docker from 'dockerode';
import type { EngineDomainListView } from '../../../../shared/contract/domains.ts';
import { AppError } from '../../../../shared/errors.ts';
import type { AuditTrail } from '../../audit/audit-trail.ts';
import { containerName } from '../containers/engine.ts';
import type { EngineTarget } from '../handlers/service-targets.ts';
import { CaddyAdmin, kiopsRouteId, type CaddyRoute } from './caddy-admin.ts';

export interface EngineDomainsOptions {
  readonly trail: Pick<AuditTrail, 'audited'>;
  /** Caddy admin addresses tried for a local engine, in order (Caddy's default is localhost:2019). */
  readonly caddyAdminUrls: readonly string[];
}

interface Upstream {
  readonly container: string;
  readonly port: number;
  readonly dial: string;
}

const setupHelp =
  'No reverse proxy was found for this host. Run Caddy with its admin API on 127.0.0.1:2019 (the default: `caddy run`, or the Debian package `caddy`) and KIOPS routes host names to this service through it, leaving automatic HTTPS to Caddy.';

/** The ports of the service's containers a proxy on this machine can reach: published ones, or any exposed port under host networking. */
export function upstreamsOf(infos: readonly Docker.ContainerInspectInfo[]): Upstream[] {
  return infos.flatMap((info) => {
    const name = containerName(info.Name);
    const published = Object.entries(info.HostConfig.PortBindings ?? {}).flatMap(([port, bindings]) =>
      ((bindings as { HostIp?: string; HostPort?: string }[] | null) ?? [])
        .filter((binding) => binding.HostPort)
        .map((binding) => ({ container: name, port: Number.parseInt(port, 10), dial: `${binding.HostIp && binding.HostIp !== '0.0.0.0' ? binding.HostIp : '127.0.0.1'}:${binding.HostPort ?? ''}` })),
    );
    const hostNetwork = info.HostConfig.NetworkMode === 'host' ? Object.keys(info.Config.ExposedPorts ?? {}).map((port) => ({ container: name, port: Number.parseInt(port, 10), dial: `127.0.0.1:${Number.parseInt(port, 10)}` })) : [];
    return [...published, ...hostNetwork];
  });
}

const pathOf = (route: CaddyRoute): string => (route.paths[0] ?? '/').replace(/\*$/, '') || '/';

/**
 * Domain Settings for a Docker/Podman service through the host's Caddy: the routes whose
 * upstream is one of the service's container ports, and adding or removing host (+ path)
 * routes the app owns ("@id" kiops-…). Each change is audited with before and after.
 */
export class EngineDomains {
  private readonly options: EngineDomainsOptions;

  constructor(options: EngineDomainsOptions) {
    this.options = options;
  }

  async list(target: EngineTarget, infos: readonly Docker.ContainerInspectInfo[]): Promise<EngineDomainListView> {
    const upstreams = upstreamsOf(infos);
    const { admin, lookedFor } = await this.find(target);
    if (!admin) return { proxy: null, routes: [], upstreams: [...upstreams], lookedFor, help: setupHelp };
    const dials = new Set(upstreams.map((upstream) => upstream.dial));
    const routes = (await admin.routes())
      .filter((route) => route.upstreams.some((dial) => dials.has(dial)))
      .flatMap((route) => route.hosts.map((host) => ({ host, path: pathOf(route), upstream: route.upstreams.join(', '), id: route.id, ownedByKiops: route.id?.startsWith('kiops-') ?? false })));
    return { proxy: { kind: 'caddy' as const, url: admin.url }, routes, upstreams: [...upstreams], lookedFor, help: null };
  }

  add(target: EngineTarget, infos: readonly Docker.ContainerInspectInfo[], request: { host: string; path: string; port: number }): Promise<{ id: string; upstream: string }> {
    const where = `${request.host}${request.path === '/' ? '' : request.path}`;
    return this.options.trail.audited(
      { action: 'domain.add', target: `caddy/${where}`, actorIdentity: target.engine.identity, environmentId: target.service.environment.id, details: { service: target.service.name, host: request.host, path: request.path, port: request.port, before: null } },
      async () => {
        await target.gate.require(target.permissionTarget, 'management');
        const admin = await this.require(target);
        const upstream = upstreamsOf(infos).find((candidate) => candidate.port === request.port);
        if (!upstream) {
          throw new AppError('NOT_FOUND', `No container of "${target.service.name}" publishes port ${request.port} (or exposes it with host networking), so Caddy on this host cannot reach it. Publish the port, then add the domain.`);
        }
        const routes = await admin.routes();
        const taken = routes.find((route) => route.hosts.includes(request.host) && pathOf(route) === request.path);
        if (taken) {
          const owner = taken.id ?? `an unnamed route of server "${taken.server}"`;
          throw new AppError('CONFLICT', `${where} is already routed by Caddy (${owner}) to ${taken.upstreams.join(', ') || 'a non-proxy handler'}; remove that route first.`, { owner, upstreams: taken.upstreams.join(', ') });
        }
        const [server] = await admin.servers();
        if (!server) throw new AppError('CONFLICT', `Caddy at ${admin.url} has no HTTP server to add routes to; give it a site first.`);
        const id = await admin.addRoute(server, { host: request.host, path: request.path, upstream: upstream.dial });
        return { id, upstream: upstream.dial };
      },
      { detailsFromResult: (result) => ({ after: `${where} -> ${result.upstream}`, routeId: result.id }) },
    );
  }

  remove(target: EngineTarget, infos: readonly Docker.ContainerInspectInfo[], request: { host: string; path: string }): Promise<{ removed: true }> {
    const where = `${request.host}${request.path === '/' ? '' : request.path}`;
    return this.options.trail.audited(
      { action: 'domain.remove', target: `caddy/${where}`, actorIdentity: target.engine.identity, environmentId: target.service.environment.id, details: { service: target.service.name, host: request.host, path: request.path } },
      async () => {
        await target.gate.require(target.permissionTarget, 'management');
        const admin = await this.require(target);
        const dials = new Set(upstreamsOf(infos).map((upstream) => upstream.dial));
        const route = (await admin.routes()).find((candidate) => candidate.hosts.includes(request.host) && pathOf(candidate) === request.path && candidate.upstreams.some((dial) => dials.has(dial)));
        if (!route) throw new AppError('NOT_FOUND', `Caddy has no route for ${where} to "${target.service.name}".`);
        if (route.id !== kiopsRouteId(request.host, request.path)) throw new AppError('CONFLICT', `The route for ${where} was not added by KIOPS (${route.id ?? 'no @id'}); change it where it was written (the Caddyfile).`);
        await admin.removeRoute(route.id);
        return { removed: true as const, before: `${where} -> ${route.upstreams.join(', ')}` };
      },
      { detailsFromResult: (result) => ({ before: result.before, after: null }) },
    ).then(() => ({ removed: true as const }));
  }

  private async require(target: EngineTarget): Promise<CaddyAdmin> {
    const { admin, lookedFor } = await this.find(target);
    if (!admin) throw new AppError('UNAVAILABLE', `No Caddy admin API answers for "${target.service.environment.name}" (looked for ${lookedFor.join('; ')}). ${setupHelp}`);
    return admin;
  }

  private async find(target: EngineTarget): Promise<{ admin: CaddyAdmin | null; lookedFor: string[] }> {
    const ssh = target.service.environment.access.ssh;
    if (ssh) return { admin: null, lookedFor: [`Caddy on ${ssh.username}@${ssh.host}:${ssh.port} (over SSH: not supported yet)`, 'Traefik labels (not supported yet)'] };
    for (const url of this.options.caddyAdminUrls) {
      const admin = new CaddyAdmin(url);
      if (await admin.answers()) return { admin, lookedFor: [`Caddy admin API at ${url}`] };
    }
    return { admin: null, lookedFor: [...this.options.caddyAdminUrls.map((url) => `Caddy admin API at ${url}`), 'Traefik labels (not supported yet)'] };
  }
}
