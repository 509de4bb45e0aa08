// Traefik's Docker provider reads routes from container labels:
//   traefik.http.routers.<router>.rule=Host(`a.example`) && PathPrefix(`/api`)
//   traefik.http.routers.<router>.entrypoints=websecure
//   traefik.http.routers.<router>.tls=true
//   traefik.http.routers.<router>.service=<router>
//   traefik.http.services.<router>.loadbalancer.server.port=8080
// These helpers read and write that label set; they never talk to an engine.

export type Labels = Readonly<Record<string, string>>;

export interface TraefikRoute {
  readonly router: string;
  readonly hosts: readonly string[];
  readonly path: string;
  /** The container port Traefik forwards to (the service's loadbalancer port), null when Traefik picks. */
  readonly port: number | null;
  readonly tls: boolean;
  readonly entrypoints: string;
}

const routerRule = /^traefik\.http\.routers\.([^.]+)\.rule$/;

/** Host(`a`, `b`) / Host(`a`) || Host(`b`) and the first PathPrefix(`/p`) of a rule; other matchers are ignored. */
export function parseRule(rule: string): { hosts: string[]; path: string } {
  const hosts = [...rule.matchAll(/Host\(([^)]*)\)/g)].flatMap((match) => [...(match[1] ?? '').matchAll(/[`"']([^`"']+)[`"']/g)].map((quoted) => quoted[1] ?? ''));
  const path = /PathPrefix\(\s*[`"']([^`"']+)[`"']\s*\)/.exec(rule)?.[1] ?? '/';
  return { hosts: hosts.filter(Boolean), path };
}

/** Every router a container's labels define with a rule. */
export function traefikRoutes(labels: Labels): TraefikRoute[] {
  return Object.entries(labels).flatMap(([key, rule]) => {
    const router = routerRule.exec(key)?.[1];
    if (router === undefined) return [];
    const service = labels[`traefik.http.routers.${router}.service`] ?? router;
    const port = Number.parseInt(labels[`traefik.http.services.${service}.loadbalancer.server.port`] ?? '', 10);
    return [{ router, ...parseRule(rule), port: Number.isFinite(port) ? port : null, tls: labels[`traefik.http.routers.${router}.tls`] === 'true', entrypoints: labels[`traefik.http.routers.${router}.entrypoints`] ?? '' }];
  });
}

/** A router name Traefik accepts, from the service name: lower case, letters, digits and "-". */
export function routerBase(service: string): string {
  return service.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50) || 'service';
}

/** `<service>-<n>` with the lowest n no router of these labels uses. */
export function nextRouterName(service: string, labels: Labels): string {
  const base = routerBase(service);
  const used = new Set(traefikRoutes(labels).map((route) => route.router));
  let index = 1;
  while (used.has(`${base}-${index}`)) index += 1;
  return `${base}-${index}`;
}

export function ruleFor(host: string, path: string): string {
  return path === '/' ? `Host(\`${host}\`)` : `Host(\`${host}\`) && PathPrefix(\`${path}\`)`;
}

/** The labels with one router added (traefik.enable set, the router's own service carrying the port). */
export function withRoute(labels: Labels, route: { router: string; host: string; path: string; port: number; tls: boolean }): Record<string, string> {
  const prefix = `traefik.http.routers.${route.router}`;
  return {
    ...labels,
    'traefik.enable': 'true',
    [`${prefix}.rule`]: ruleFor(route.host, route.path),
    [`${prefix}.entrypoints`]: route.tls ? 'websecure' : 'web',
    ...(route.tls ? { [`${prefix}.tls`]: 'true' } : {}),
    [`${prefix}.service`]: route.router,
    [`traefik.http.services.${route.router}.loadbalancer.server.port`]: String(route.port),
  };
}

/**
 * The labels without `router`: its own keys, and its service's keys when no other router uses
 * that service. traefik.enable stays (the operator may have set it for other reasons).
 */
export function withoutRoute(labels: Labels, router: string): Record<string, string> {
  const service = labels[`traefik.http.routers.${router}.service`] ?? router;
  const others = traefikRoutes(labels).filter((route) => route.router !== router);
  const serviceShared = others.some((route) => (labels[`traefik.http.routers.${route.router}.service`] ?? route.router) === service);
  return Object.fromEntries(
    Object.entries(labels).filter(([key]) => !key.startsWith(`traefik.http.routers.${router}.`) && (serviceShared || !key.startsWith(`traefik.http.services.${service}.`))),
  );
}

/** The labels that differ, for the audit row: "key=value" before and after. */
export function labelChange(before: Labels, after: Labels): { before: string; after: string } {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((key) => key.startsWith('traefik.') && before[key] !== after[key]).sort();
  const show = (labels: Labels) => keys.filter((key) => labels[key] !== undefined).map((key) => `${key}=${labels[key] ?? ''}`).join('\n') || null;
  return { before: show(before) ?? '(none)', after: show(after) ?? '(none)' };
}

/** Whether a container is Traefik itself: its image is traefik, or the image's OCI title says so. */
export function isTraefik(container: { readonly Image: string; readonly Labels?: Labels | null }): boolean {
  const repository = container.Image.split('@')[0]?.replace(/:[^/:]*$/, '') ?? '';
  return /(^|\/)traefik$/.test(repository) || container.Labels?.['org.opencontainers.image.title'] === 'Traefik';
}
