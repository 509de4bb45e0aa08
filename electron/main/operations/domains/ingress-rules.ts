import type { V1Ingress, V1Service } from '@kubernetes/client-node';
import type { BackendServiceView, DomainRuleView } from '../../../../shared/contract/domains.ts';

/** The Services whose (non-empty) selector picks pods with these template labels. */
export function servicesSelecting(services: readonly V1Service[], podLabels: Record<string, string> | undefined): V1Service[] {
  const labels = podLabels ?? {};
  return services.filter((service) => {
    const selector = service.spec?.selector ?? {};
    const entries = Object.entries(selector);
    return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
  });
}

export function backendServiceRow(service: V1Service): BackendServiceView {
  return {
    name: service.metadata?.name ?? '',
    type: service.spec?.type ?? 'ClusterIP',
    ports: (service.spec?.ports ?? []).map((port) => ({ name: port.name ?? null, port: port.port, protocol: port.protocol ?? 'TCP' })),
  };
}

/** Every host + path of these Ingresses whose backend is one of `serviceNames`. */
export function domainRules(ingresses: readonly V1Ingress[], serviceNames: ReadonlySet<string>): DomainRuleView[] {
  const rows: DomainRuleView[] = [];
  for (const ingress of ingresses) {
    const tls = ingress.spec?.tls ?? [];
    for (const rule of ingress.spec?.rules ?? []) {
      for (const path of rule.http?.paths ?? []) {
        const backend = path.backend.service;
        if (!backend || !serviceNames.has(backend.name)) continue;
        const secret = tls.find((entry) => rule.host !== undefined && (entry.hosts ?? []).includes(rule.host));
        rows.push({
          ingress: ingress.metadata?.name ?? '',
          host: rule.host ?? null,
          path: path.path ?? '/',
          pathType: path.pathType,
          service: backend.name,
          port: backend.port?.number !== undefined ? String(backend.port.number) : (backend.port?.name ?? ''),
          tlsSecret: secret?.secretName ?? null,
          ingressClass: ingress.spec?.ingressClassName ?? ingress.metadata?.annotations?.['kubernetes.io/ingress.class'] ?? null,
        });
      }
    }
  }
  return rows.sort((left, right) => (left.host ?? '').localeCompare(right.host ?? '') || left.path.localeCompare(right.path));
}

export interface NewRoute {
  readonly host: string;
  readonly path: string;
  readonly pathType: string;
  readonly service: string;
  readonly port: number;
  readonly tlsSecret?: string | undefined;
}

/** Adds host + path → service:port to an Ingress (in place), with the host under `tlsSecret` when given. */
export function addRoute(ingress: V1Ingress, route: NewRoute): void {
  const spec = (ingress.spec ??= {});
  const rules = (spec.rules ??= []);
  let rule = rules.find((candidate) => candidate.host === route.host);
  if (!rule) {
    rule = { host: route.host, http: { paths: [] } };
    rules.push(rule);
  }
  const http = (rule.http ??= { paths: [] });
  http.paths.push({ path: route.path, pathType: route.pathType, backend: { service: { name: route.service, port: { number: route.port } } } });
  if (route.tlsSecret) {
    const tls = (spec.tls ??= []);
    const entry = tls.find((candidate) => candidate.secretName === route.tlsSecret);
    if (!entry) tls.push({ hosts: [route.host], secretName: route.tlsSecret });
    else if (!(entry.hosts ?? []).includes(route.host)) entry.hosts = [...(entry.hosts ?? []), route.host];
  }
}

/**
 * Removes host + path (only where it routes to one of `serviceNames`) from an Ingress in place.
 * A host left without paths loses its rule and its TLS entry. Says whether anything was removed.
 */
export function removeRoute(ingress: V1Ingress, host: string, path: string, serviceNames: ReadonlySet<string>): boolean {
  const spec = ingress.spec;
  const rule = spec?.rules?.find((candidate) => candidate.host === host);
  if (!spec || !rule?.http) return false;
  const before = rule.http.paths.length;
  rule.http.paths = rule.http.paths.filter((candidate) => !((candidate.path ?? '/') === path && candidate.backend.service && serviceNames.has(candidate.backend.service.name)));
  if (rule.http.paths.length === before) return false;
  if (rule.http.paths.length === 0) {
    spec.rules = (spec.rules ?? []).filter((candidate) => candidate !== rule);
    spec.tls = (spec.tls ?? []).map((entry) => ({ ...entry, hosts: (entry.hosts ?? []).filter((name) => name !== host) })).filter((entry) => entry.hosts.length > 0);
  }
  return true;
}

/** Whether an Ingress still routes anything (rules or a default backend). */
export function routesAnything(ingress: V1Ingress): boolean {
  return (ingress.spec?.rules ?? []).length > 0 || ingress.spec?.defaultBackend !== undefined;
}
