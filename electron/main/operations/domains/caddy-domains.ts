import type Docker from 'dockerode';
import { AppError } from '../../../../shared/errors.ts';
import { containerName } from '../containers/engine.ts';
import type { EngineTarget } from '../handlers/service-targets.ts';
import { kiopsRouteId, type CaddyAdmin, type CaddyRoute } from './caddy-admin.ts';

export interface Upstream {
  readonly container: string;
  readonly port: number;
  readonly dial: string;
}

export interface DomainRow {
  readonly host: string;
  readonly path: string;
  readonly upstream: string;
  readonly id: string | null;
  readonly ownedByKiops: boolean;
}

/** The ports of the service's containers a proxy on the engine's host can reach: published ones, or any exposed port under host networking. */
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

export const pathOf = (route: CaddyRoute): string => (route.paths[0] ?? '/').replace(/\*$/, '') || '/';
const whereOf = (host: string, path: string): string => `${host}${path === '/' ? '' : path}`;

/** Caddy routes whose upstream is one of the service's container ports. */
export async function caddyRows(admin: CaddyAdmin, infos: readonly Docker.ContainerInspectInfo[]): Promise<DomainRow[]> {
  const dials = new Set(upstreamsOf(infos).map((upstream) => upstream.dial));
  return (await admin.routes())
    .filter((route) => route.upstreams.some((dial) => dials.has(dial)))
    .flatMap((route) => route.hosts.map((host) => ({ host, path: pathOf(route), upstream: route.upstreams.join(', '), id: route.id, ownedByKiops: route.id?.startsWith('kiops-') ?? false })));
}

/** Adds an "@id" route first in Caddy's first server; CONFLICT naming the route that has host + path already. */
export async function addCaddyRoute(admin: CaddyAdmin, target: EngineTarget, infos: readonly Docker.ContainerInspectInfo[], request: { host: string; path: string; port: number }): Promise<{ id: string; upstream: string }> {
  const { server, upstream } = await planCaddyRoute(admin, target, infos, request);
  const id = await admin.addRoute(server, { host: request.host, path: request.path, upstream });
  return { id, upstream };
}

/** The server and upstream a new route goes to, after the checks: the port is reachable, host + path is free. */
export async function planCaddyRoute(admin: CaddyAdmin, target: EngineTarget, infos: readonly Docker.ContainerInspectInfo[], request: { host: string; path: string; port: number }): Promise<{ server: string; upstream: string }> {
  const where = whereOf(request.host, request.path);
  const upstream = upstreamsOf(infos).find((candidate) => candidate.port === request.port);
  if (!upstream) {
    throw new AppError('NOT_FOUND', `No container of "${target.service.name}" publishes port ${request.port} (or exposes it with host networking), so Caddy on this host cannot reach it. Publish the port, then add the domain.`, undefined, { key: 'operations.domains.caddyNoPublishedPort', params: { service: target.service.name, port: request.port } });
  }
  const taken = (await admin.routes()).find((route) => route.hosts.includes(request.host) && pathOf(route) === request.path);
  if (taken) {
    const owner = taken.id ?? `an unnamed route of server "${taken.server}"`;
    const upstreams = taken.upstreams.join(', ');
    throw new AppError('CONFLICT', `${where} is already routed by Caddy (${owner}) to ${upstreams || 'a non-proxy handler'}; remove that route first.`, { owner, upstreams }, {
      key: `operations.domains.caddyTaken.${taken.id === null ? 'unnamed' : 'named'}${upstreams ? '' : 'NonProxy'}`,
      params: { where, ...(taken.id === null ? { server: taken.server } : { owner: taken.id }), ...(upstreams ? { upstreams } : {}) },
    });
  }
  const [server] = await admin.servers();
  if (!server) throw new AppError('CONFLICT', `Caddy at ${admin.url} has no HTTP server to add routes to; give it a site first.`, undefined, { key: 'operations.domains.caddyNoServer', params: { url: admin.url } });
  return { server, upstream: upstream.dial };
}

/** Removes the route KIOPS added for host + path to this service; one written by hand is left alone. */
export async function removeCaddyRoute(admin: CaddyAdmin, target: EngineTarget, infos: readonly Docker.ContainerInspectInfo[], request: { host: string; path: string }): Promise<{ before: string }> {
  const route = await ownedCaddyRoute(admin, target, infos, request);
  await admin.removeRoute(route.id ?? '');
  return { before: `${whereOf(request.host, request.path)} -> ${route.upstreams.join(', ')}` };
}

/** The route KIOPS added for host + path to this service; NOT_FOUND or CONFLICT (written by hand) otherwise. */
export async function ownedCaddyRoute(admin: CaddyAdmin, target: EngineTarget, infos: readonly Docker.ContainerInspectInfo[], request: { host: string; path: string }): Promise<CaddyRoute> {
  const where = whereOf(request.host, request.path);
  const dials = new Set(upstreamsOf(infos).map((upstream) => upstream.dial));
  const route = (await admin.routes()).find((candidate) => candidate.hosts.includes(request.host) && pathOf(candidate) === request.path && candidate.upstreams.some((dial) => dials.has(dial)));
  if (!route) throw new AppError('NOT_FOUND', `Caddy has no route for ${where} to "${target.service.name}".`, undefined, { key: 'operations.domains.caddyRouteMissing', params: { where, service: target.service.name } });
  if (route.id !== kiopsRouteId(request.host, request.path)) throw new AppError('CONFLICT', `The route for ${where} was not added by KIOPS (${route.id ?? 'no @id'}); change it where it was written (the Caddyfile).`, undefined, route.id === null ? { key: 'operations.domains.caddyRouteNotOursNoId', params: { where } } : { key: 'operations.domains.caddyRouteNotOurs', params: { where, routeId: route.id } });
  return route;
}
