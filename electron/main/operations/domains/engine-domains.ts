import type Docker from 'dockerode';
import type { EngineDomainListView } from '../../../../shared/contract/domains.ts';
import { AppError, type MessageText } from '../../../../shared/errors.ts';
import { nestedListParams } from '../../../../shared/message-params.ts';
import type { AuditTrail } from '../../audit/audit-trail.ts';
import { targetLabel } from '../../connections/ssh/ssh-errors.ts';
import type { EngineTarget } from '../handlers/service-targets.ts';
import type { ChangePreview } from '../changes/change-preview.ts';
import { CaddyAdmin } from './caddy-admin.ts';
import { caddyPreview, traefikPreview, type EngineDomainChange } from './engine-domain-preview.ts';
import { addCaddyRoute, caddyRows, removeCaddyRoute, upstreamsOf } from './caddy-domains.ts';
import { containerPorts, findTraefik, TraefikDomains, traefikRows } from './traefik-domains.ts';

export { upstreamsOf } from './caddy-domains.ts';

export interface EngineDomainsOptions {
  readonly trail: Pick<AuditTrail, 'audited'>;
  /** Caddy admin addresses tried for an engine on this machine, in order (Caddy's default is localhost:2019). */
  readonly caddyAdminUrls: readonly string[];
  /** Caddy admin addresses tried on an SSH host, as that host sees them (dialled through the SSH connection). */
  readonly remoteCaddyAdminUrls: readonly string[];
  /** The SOCKS listener of the environment's SSH connection, null when its engine is reached directly. */
  readonly sshSocksUrl: (environmentId: string) => Promise<string | null>;
}

type Proxy = { readonly kind: 'caddy'; readonly admin: CaddyAdmin; readonly where: string } | { readonly kind: 'traefik'; readonly where: string };

const setupHelp =
  'No reverse proxy was found for this host. Either run Caddy with its admin API on 127.0.0.1:2019 (the default: `caddy run`, or the Debian package `caddy`) and KIOPS adds routes through it, leaving automatic HTTPS to Caddy; or run Traefik as a container with its Docker provider (image `traefik`, `--providers.docker`, entrypoints `web`/`websecure`) and KIOPS writes `traefik.http.routers.*` labels on the service’s containers.';

/** Caddy's default admin port on the engine's own host, for engines not on this machine; null for local ones. */
export function engineHostCaddyUrl(environment: EngineTarget['service']['environment']): string | null {
  const host = environment.target.kind === 'engine' && environment.target.tcp ? environment.target.tcp.host : (environment.access.ssh?.host ?? null);
  if (!host || /^(localhost|127\.|::1$|\[::1\]$)/.test(host)) return null;
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:2019`;
}

const whereOf = (host: string, path: string): string => `${host}${path === '/' ? '' : path}`;

/**
 * Domain Settings for a Docker/Podman service through the host's reverse proxy, found per host:
 * Caddy's admin API (on this machine, or on the SSH host through the app's SSH connection),
 * else a running Traefik container whose Docker provider reads the service's labels. Every
 * change is audited with what was routed before and after.
 */
export class EngineDomains {
  private readonly options: EngineDomainsOptions;

  constructor(options: EngineDomainsOptions) {
    this.options = options;
  }

  async list(target: EngineTarget, infos: readonly Docker.ContainerInspectInfo[]): Promise<EngineDomainListView> {
    const { proxy, lookedFor, lookedForTexts } = await this.find(target);
    if (!proxy) return { proxy: null, routes: [], upstreams: [...upstreamsOf(infos)], lookedFor, lookedForTexts, help: setupHelp, helpText: { key: 'operations.domains.setupHelp' } };
    if (proxy.kind === 'caddy') return { proxy: { kind: 'caddy', url: proxy.admin.url, where: proxy.where }, routes: await caddyRows(proxy.admin, infos), upstreams: [...upstreamsOf(infos)], lookedFor, lookedForTexts, help: null };
    return { proxy: { kind: 'traefik', url: '', where: proxy.where }, routes: traefikRows(target, infos), upstreams: containerPorts(infos), lookedFor, lookedForTexts, help: null };
  }

  /** What add/remove would change: Caddy's route JSON, or Traefik's labels and recreate plan. Reads only. */
  async preview(target: EngineTarget, infos: readonly Docker.ContainerInspectInfo[], change: EngineDomainChange): Promise<ChangePreview> {
    return this.previewWith(await this.require(target), target, infos, change);
  }

  private previewWith(proxy: Proxy, target: EngineTarget, infos: readonly Docker.ContainerInspectInfo[], change: EngineDomainChange): Promise<ChangePreview> {
    if (proxy.kind === 'caddy') return caddyPreview(proxy.admin, target, infos, change);
    const traefik = new TraefikDomains(target, this.options.trail);
    return traefikPreview(target.engine.docker, target.engine.kind, change, () => (change.action === 'add' ? traefik.planAdd(infos, change) : Promise.resolve(traefik.planRemove(infos, change))));
  }

  /** The preview's bounded summary for the audit row, taken before the change is made. */
  private async diffOf(proxy: Proxy, target: EngineTarget, infos: readonly Docker.ContainerInspectInfo[], change: EngineDomainChange): Promise<string> {
    const preview = await this.previewWith(proxy, target, infos, change);
    return preview.errors.length ? 'refused' : preview.summary;
  }

  add(target: EngineTarget, infos: readonly Docker.ContainerInspectInfo[], request: { host: string; path: string; port: number; tls: boolean }): Promise<{ id: string; upstream: string }> {
    const where = whereOf(request.host, request.path);
    return this.options.trail
      .audited(
        { action: 'domain.add', target: `domain/${where}`, actorIdentity: target.engine.identity, environmentId: target.service.environment.id, details: { service: target.service.name, host: request.host, path: request.path, port: request.port } },
        async () => {
          await target.gate.require(target.permissionTarget, 'management');
          const proxy = await this.require(target);
          const diff = await this.diffOf(proxy, target, infos, { action: 'add', ...request });
          if (proxy.kind === 'caddy') {
            const added = await addCaddyRoute(proxy.admin, target, infos, request);
            return { ...added, proxy: 'caddy', before: null, after: `${where} -> ${added.upstream}`, diff };
          }
          return { ...(await new TraefikDomains(target, this.options.trail).add(infos, request)), proxy: 'traefik', diff };
        },
        { detailsFromResult: (result) => ({ proxy: result.proxy, before: result.before, after: result.after, routeId: result.id, diff: result.diff }) },
      )
      .then((result) => ({ id: result.id, upstream: result.upstream }));
  }

  remove(target: EngineTarget, infos: readonly Docker.ContainerInspectInfo[], request: { host: string; path: string }): Promise<{ removed: true }> {
    const where = whereOf(request.host, request.path);
    return this.options.trail
      .audited(
        { action: 'domain.remove', target: `domain/${where}`, actorIdentity: target.engine.identity, environmentId: target.service.environment.id, details: { service: target.service.name, host: request.host, path: request.path } },
        async () => {
          await target.gate.require(target.permissionTarget, 'management');
          const proxy = await this.require(target);
          const diff = await this.diffOf(proxy, target, infos, { action: 'remove', ...request });
          if (proxy.kind === 'caddy') return { proxy: 'caddy', ...(await removeCaddyRoute(proxy.admin, target, infos, request)), after: null, diff };
          return { proxy: 'traefik', ...(await new TraefikDomains(target, this.options.trail).remove(infos, request)), diff };
        },
        { detailsFromResult: (result) => ({ proxy: result.proxy, before: result.before, after: result.after, diff: result.diff }) },
      )
      .then(() => ({ removed: true as const }));
  }

  private async require(target: EngineTarget): Promise<Proxy> {
    const { proxy, lookedFor, lookedForTexts } = await this.find(target);
    const places = nestedListParams('lookedFor', lookedFor.map((english, index) => ({ english, text: lookedForTexts[index] ?? { key: '' } })));
    if (!proxy) throw new AppError('UNAVAILABLE', `No reverse proxy found for "${target.service.environment.name}" (looked for ${lookedFor.join('; ')}). ${setupHelp}`, undefined, { key: 'operations.domains.noProxy', params: { environment: target.service.environment.name, ...places } });
    return proxy;
  }

  private async find(target: EngineTarget): Promise<{ proxy: Proxy | null; lookedFor: string[]; lookedForTexts: MessageText[] }> {
    const ssh = target.service.environment.access.ssh;
    const socksUrl = ssh ? await this.options.sshSocksUrl(target.service.environment.id) : null;
    const urls = socksUrl && ssh ? this.options.remoteCaddyAdminUrls : this.options.caddyAdminUrls;
    const on = socksUrl && ssh ? ` on ${targetLabel(ssh)} (through SSH)` : '';
    // An engine reached directly or over VPN (tcp://, or an SSH host's address without the tunnel)
    // has its Caddy on that host: its own admin address is tried after the configured ones.
    const hostUrl = socksUrl ? null : engineHostCaddyUrl(target.service.environment);
    // each place also as a key, for the window's language
    const via: { key: string; params: Record<string, string> } = socksUrl && ssh ? { key: 'operations.domains.lookedFor.caddyThroughSsh', params: { host: targetLabel(ssh) } } : { key: 'operations.domains.lookedFor.caddy', params: {} };
    const tried = [...urls.map((url) => ({ url, note: on, ...via })), ...(hostUrl && !urls.includes(hostUrl) ? [{ url: hostUrl, note: ' (the engine host’s own address)', key: 'operations.domains.lookedFor.caddyEngineHost', params: {} }] : [])];
    const lookedFor: string[] = [];
    const lookedForTexts: MessageText[] = [];
    for (const { url, note, key, params } of tried) {
      const admin = new CaddyAdmin(url, socksUrl ?? undefined);
      lookedFor.push(`Caddy admin API at ${admin.url}${note}`);
      lookedForTexts.push({ key, params: { url: admin.url, ...params } });
      if (await admin.answers()) return { proxy: { kind: 'caddy', admin, where: `Caddy admin API at ${admin.url}${note}` }, lookedFor, lookedForTexts };
    }
    lookedFor.push(`a running Traefik container on this ${target.engine.kind} engine`);
    lookedForTexts.push({ key: 'operations.domains.lookedFor.traefik', params: { engine: target.engine.kind } });
    const traefik = await findTraefik(target.engine.docker);
    if (traefik) return { proxy: { kind: 'traefik', where: `Traefik container "${traefik.name}" (${traefik.image}), Docker provider labels` }, lookedFor, lookedForTexts };
    return { proxy: null, lookedFor, lookedForTexts };
  }
}
