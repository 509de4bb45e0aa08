import { z } from 'zod';
import { keyedTextSchema } from './keyed-text.ts';
import { withoutControlCharacters } from './text.ts';
import { serviceIdSchema } from './catalog.ts';
import { configObjectNameSchema } from './config.ts';
import { confirmationSchema } from './confirmation.ts';
import { call } from './define.ts';

// The Domain Settings tab of a Kubernetes service: the Ingress rules (networking.k8s.io/v1)
// that route to the Services selecting the Deployment's pods, and adding or removing a host +
// path. Changes need the management permission (checked in main) and are audited.

const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** An RFC 1123 host name, lower case; a wildcard only as the whole first label ("*.example.com"). */
export function hostnameProblem(host: string): string | null {
  if (host.length === 0 || host.length > 253) return 'must be 1 to 253 characters';
  const labels = host.split('.');
  if (labels.length < 2 && labels[0] === '*') return 'a wildcard needs a domain after it ("*.example.com")';
  for (const [index, label] of labels.entries()) {
    if (label === '*' && index === 0) continue;
    if (label.includes('*')) return 'a wildcard is allowed only as the whole first label ("*.example.com")';
    if (!dnsLabel.test(label)) return `"${label}" is not a valid label (lower-case letters, digits and "-", not at either end, at most 63)`;
  }
  if (labels.every((label) => /^[0-9]+$/.test(label))) return 'must be a host name, not an IP address';
  return null;
}

export const hostnameSchema = z.string().superRefine((host, context) => {
  const problem = hostnameProblem(host);
  if (problem) context.addIssue({ code: 'custom', message: `host ${problem}` });
});

export const ingressPathTypes = ['Prefix', 'Exact', 'ImplementationSpecific'] as const;

export const ingressPathSchema = withoutControlCharacters(
  z
    .string()
    .min(1)
    .max(1024)
    .regex(/^\/[^\s;{}]*$/, 'must start with "/" and contain no spaces, ";" or braces'),
);

export const domainRuleSchema = z.object({
  ingress: z.string(),
  /** null: the rule has no host (any host). */
  host: z.string().nullable(),
  path: z.string(),
  pathType: z.string(),
  service: z.string(),
  /** Port number, or the Service port's name. */
  port: z.string(),
  tlsSecret: z.string().nullable(),
  ingressClass: z.string().nullable(),
});
export type DomainRuleView = z.infer<typeof domainRuleSchema>;

export const backendServiceSchema = z.object({
  name: z.string(),
  type: z.string(),
  ports: z.array(z.object({ name: z.string().nullable(), port: z.number().int(), protocol: z.string() })),
});
export type BackendServiceView = z.infer<typeof backendServiceSchema>;

export const domainListSchema = z.object({
  namespace: z.string(),
  deployment: z.string(),
  rules: z.array(domainRuleSchema),
  /** Services whose selector picks the Deployment's pods: the backends a new rule may use. */
  services: z.array(backendServiceSchema),
  ingressClasses: z.array(z.object({ name: z.string(), isDefault: z.boolean() })),
  limitations: z.array(z.string()),
  /** `limitations` as keys for the window's language, line for line. */
  limitationTexts: z.array(keyedTextSchema).optional(),
});
export type DomainListView = z.infer<typeof domainListSchema>;

/** Domain Settings of a Docker/Podman service: routes in the host's reverse proxy (Caddy or Traefik). */
export const engineDomainListSchema = z.object({
  /**
   * The proxy found for this host; null when none answered (then `help` says how to set one up).
   * `url`: Caddy's admin address ('' for Traefik); `where`: how it was reached, for the tab.
   */
  proxy: z.object({ kind: z.enum(['caddy', 'traefik']), url: z.string(), where: z.string() }).nullable(),
  routes: z.array(z.object({ host: z.string(), path: z.string(), upstream: z.string(), id: z.string().nullable(), ownedByKiops: z.boolean() })),
  /** Container ports the proxy can reach (Caddy: published, or exposed under host networking; Traefik: exposed). */
  upstreams: z.array(z.object({ container: z.string(), port: z.number().int(), dial: z.string() })),
  /** What was looked for, in order. */
  lookedFor: z.array(z.string()),
  /** `lookedFor` as keys for the window's language, line for line. */
  lookedForTexts: z.array(keyedTextSchema).optional(),
  help: z.string().nullable(),
  /** `help` as a key (present when `help` is). */
  helpText: keyedTextSchema.optional(),
});
export type EngineDomainListView = z.infer<typeof engineDomainListSchema>;

export const routePath = z
  .string()
  .min(1)
  .max(1024)
  .regex(/^\/[A-Za-z0-9._~!$&'()+,=:@%/-]*$/, 'must start with "/" and contain only URL path characters');

export const domainsContract = {
  /** Caddy routes to this Docker/Podman service's container ports, or what was looked for. Read-only. */
  'engineDomains.list': call(z.object({ serviceId: serviceIdSchema }).strict(), engineDomainListSchema),
  /**
   * Routes host (+ path) to one of the service's container ports: through Caddy's admin API as a
   * route the app owns ("@id"; automatic HTTPS stays with Caddy), or as Traefik router labels
   * (the containers are recreated through the redeploy path; `tls` picks entrypoint websecure +
   * tls, else web). CONFLICT, naming the owner, when that host + path is routed already.
   * Management; audited with before/after.
   */
  'engineDomains.add': call(
    z.object({ serviceId: serviceIdSchema, host: hostnameSchema, path: routePath.default('/'), port: z.number().int().min(1).max(65535), tls: z.boolean().default(true), confirmation: confirmationSchema }).strict(),
    z.object({ id: z.string(), upstream: z.string() }),
  ),
  /** Removes a host (+ path) route (Caddy route or Traefik router) the app added for this service. Management; audited. */
  'engineDomains.remove': call(z.object({ serviceId: serviceIdSchema, host: hostnameSchema, path: routePath.default('/'), confirmation: confirmationSchema }).strict(), z.object({ removed: z.literal(true) })),
  /** Ingress rules routing to this service, and the Services it may be routed through. Read-only. */
  'domains.list': call(z.object({ serviceId: serviceIdSchema }).strict(), domainListSchema),
  /**
   * Routes host + path to one of the service's Services: extends the Ingress named after the
   * Deployment, or creates it. `service` may be left out when exactly one Service selects the pods.
   * CONFLICT when another rule already routes that host + path. Management; audited.
   */
  'domains.add': call(
    z
      .object({
        serviceId: serviceIdSchema,
        host: hostnameSchema,
        path: ingressPathSchema.default('/'),
        pathType: z.enum(ingressPathTypes).default('Prefix'),
        service: configObjectNameSchema.optional(),
        servicePort: z.number().int().min(1).max(65535),
        tlsSecret: configObjectNameSchema.optional(),
        ingressClass: configObjectNameSchema.optional(),
        confirmation: confirmationSchema,
      })
      .strict(),
    z.object({ ingress: z.string(), created: z.boolean() }),
  ),
  /** Removes the host + path rule that routes to this service. In production `confirmation` must repeat the service name. Management; audited. */
  'domains.remove': call(
    z.object({ serviceId: serviceIdSchema, host: hostnameSchema, path: ingressPathSchema, confirmation: confirmationSchema }).strict(),
    z.object({ ingress: z.string(), deletedIngress: z.boolean() }),
  ),
} as const;
