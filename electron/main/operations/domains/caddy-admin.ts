import { createHash } from 'node:crypto';
import { request as httpRequest, type Agent } from 'node:http';
import { SocksProxyAgent } from 'socks-proxy-agent';
import { AppError } from '../../../../shared/errors.ts';

/** One Caddy HTTP route as the Domain Settings tab shows it. */
export interface CaddyRoute {
  /** The route's "@id" (KIOPS sets kiops-…); null for routes written by hand. */
  readonly id: string | null;
  readonly server: string;
  readonly hosts: readonly string[];
  readonly paths: readonly string[];
  /** reverse_proxy upstream dial addresses ("127.0.0.1:8080"). */
  readonly upstreams: readonly string[];
  /** The route's JSON as Caddy holds it (what a preview diffs). */
  readonly json: unknown;
}

interface RawRoute {
  '@id'?: string;
  match?: { host?: string[]; path?: string[] }[];
  handle?: { handler?: string; upstreams?: { dial?: string }[]; routes?: RawRoute[] }[];
}

const timeoutMs = 5_000;

/** The route id KIOPS gives the route for one host + path, so it can find and remove it later. */
export function kiopsRouteId(host: string, path: string): string {
  return `kiops-${createHash('sha256').update(`${host}\n${path}`).digest('hex').slice(0, 16)}`;
}

/** The route JSON KIOPS puts into Caddy for host + path → upstream. */
export function caddyRouteJson(route: { host: string; path: string; upstream: string }) {
  const match = { host: [route.host], ...(route.path === '/' ? {} : { path: [route.path.endsWith('*') ? route.path : `${route.path}*`] }) };
  return { '@id': kiopsRouteId(route.host, route.path), match: [match], handle: [{ handler: 'reverse_proxy', upstreams: [{ dial: route.upstream }] }], terminal: true };
}

function upstreamsOf(handlers: RawRoute['handle']): string[] {
  return (handlers ?? []).flatMap((handler) => [
    ...(handler.handler === 'reverse_proxy' ? (handler.upstreams ?? []).map((upstream) => upstream.dial ?? '').filter(Boolean) : []),
    ...(handler.handler === 'subroute' ? (handler.routes ?? []).flatMap((route) => upstreamsOf(route.handle)) : []),
  ]);
}

/**
 * Caddy's admin API (`/config/`, `/id/`), on the address the app reaches it at. Routes KIOPS
 * adds carry an "@id", so each change touches exactly one route and the rest of the config is
 * left as the operator wrote it; automatic HTTPS stays with Caddy.
 */
export class CaddyAdmin {
  readonly url: string;
  private readonly agent: Agent | undefined;

  /**
   * `socksUrl`: the environment's SSH SOCKS listener (the connection pool's), so `url` is
   * resolved and dialled on the SSH host: its 127.0.0.1 is the remote host's loopback.
   */
  constructor(url: string, socksUrl?: string) {
    this.url = url.replace(/\/$/, '');
    this.agent = socksUrl === undefined ? undefined : new SocksProxyAgent(socksUrl.replace(/^socks5:/, 'socks5h:'), { timeout: timeoutMs });
  }

  /** Whether a Caddy admin API answers here (false when nothing listens). */
  async answers(): Promise<boolean> {
    try {
      return (await this.send('GET', '/config/')).status === 200;
    } catch {
      return false;
    }
  }

  async routes(): Promise<CaddyRoute[]> {
    const servers = ((await this.request('GET', '/config/apps/http/servers')) ?? {}) as Record<string, { routes?: RawRoute[] }>;
    return Object.entries(servers).flatMap(([server, config]) =>
      (config.routes ?? []).map((route) => ({
        id: route['@id'] ?? null,
        server,
        hosts: (route.match ?? []).flatMap((match) => match.host ?? []),
        paths: (route.match ?? []).flatMap((match) => match.path ?? []),
        upstreams: upstreamsOf(route.handle),
        json: route,
      })),
    );
  }

  async servers(): Promise<string[]> {
    return Object.keys(((await this.request('GET', '/config/apps/http/servers')) ?? {}) as Record<string, unknown>);
  }

  /** Inserts the route first in `server`'s list, so it wins over catch-all routes. */
  async addRoute(server: string, route: { host: string; path: string; upstream: string }): Promise<string> {
    const body = caddyRouteJson(route);
    const id = body['@id'];
    const path = `/config/apps/http/servers/${encodeURIComponent(server)}/routes`;
    const existing = await this.request('GET', path);
    // PUT at index 0 inserts before the others; an empty list is replaced, a missing one created.
    if (Array.isArray(existing) && existing.length > 0) await this.request('PUT', `${path}/0`, body);
    else await this.request(Array.isArray(existing) ? 'PATCH' : 'PUT', path, [body]);
    return id;
  }

  async removeRoute(id: string): Promise<void> {
    await this.request('DELETE', `/id/${encodeURIComponent(id)}`);
  }

  private async request(method: string, path: string, body?: unknown): Promise<unknown> {
    let response: { status: number; text: string };
    try {
      response = await this.send(method, path, body);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new AppError('UNREACHABLE', `Caddy's admin API at ${this.url} does not answer (${detail}).`, undefined, { key: 'operations.domains.caddyUnreachable', params: { url: this.url, detail } });
    }
    const { status, text } = response;
    if (status < 200 || status > 299) {
      if (status === 404 && method === 'GET') return null;
      const message = (() => {
        try {
          return String((JSON.parse(text) as { error?: unknown }).error ?? text);
        } catch {
          return text;
        }
      })();
      throw new AppError('CONFLICT', `Caddy refused ${method} ${path}: ${message.slice(0, 300)}`, undefined, { key: 'operations.domains.caddyRefused', params: { method, path, detail: message.slice(0, 300) } });
    }
    return text.trim() === '' ? null : (JSON.parse(text) as unknown);
  }

  /** One HTTP exchange with the admin API (node:http, so an SSH SOCKS agent can carry it). */
  private send(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        `${this.url}${path}`,
        {
          method,
          ...(this.agent ? { agent: this.agent } : {}),
          headers: payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
          timeout: timeoutMs,
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > 8 * 1024 * 1024) return void outgoing.destroy(new Error('the admin API answered more than 8 MiB'));
            chunks.push(chunk);
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  }
}
