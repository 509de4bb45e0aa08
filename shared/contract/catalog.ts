import { z } from 'zod';
import { errorBodySchema, errorCodes } from '../errors.ts';
import { recordIdSchema } from './connections.ts';
import { call } from './define.ts';
import { keyedTextSchema } from './keyed-text.ts';
import { environmentKinds } from './environments.ts';
import { composeProjectSchema, containerNameSchema, kubeObjectNameSchema, namespaceNameSchema, serviceIdSchema } from './names.ts';
import { displayName } from './text.ts';

// Service Management: every deployed service the app can see (Kubernetes Deployments in the
// namespaces the user picked per environment, Docker/Podman Compose projects and standalone
// containers) plus services registered by hand. Rows are slim: the Operations Modal fetches
// details itself.

/** `<environmentId>:<kind>:<key>`; stable across restarts, so favourites survive. Parsed at the boundary (names.ts). */
export { serviceIdSchema };

export const serviceHealths = ['healthy', 'degraded', 'down', 'scaled-to-zero', 'not-found'] as const;
export type ServiceHealth = (typeof serviceHealths)[number];

const kubeName = kubeObjectNameSchema;
const namespaceName = namespaceNameSchema;
const containerName = containerNameSchema;
const composeProject = composeProjectSchema;

/** What a service points at inside its environment. */
export const serviceTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('deployment'), namespace: namespaceName, deployment: kubeName }).strict(),
  z.object({ kind: z.literal('compose'), project: composeProject }).strict(),
  z.object({ kind: z.literal('containers'), containerNames: z.array(containerName).min(1).max(50) }).strict(),
]);
export type ServiceTarget = z.infer<typeof serviceTargetSchema>;

export const serviceRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  environmentId: z.string(),
  environmentName: z.string(),
  runtime: z.enum(environmentKinds),
  production: z.boolean(),
  namespace: z.string().optional(),
  target: serviceTargetSchema,
  /** Kubernetes: ready / desired replicas. Docker/Podman: running / total containers. */
  status: z.object({ health: z.enum(serviceHealths), ready: z.number().int().nonnegative(), desired: z.number().int().nonnegative() }),
  favourite: z.boolean(),
  source: z.enum(['discovered', 'manual']),
  /** Shown from the last listing that reached its environment, which is unreachable now. */
  stale: z.boolean().optional(),
});
export type ServiceRow = z.infer<typeof serviceRowSchema>;

/** How discovery went in one environment; an unreachable one is a state with its message, not a failed list. */
export const catalogEnvironmentSchema = z.object({
  environmentId: z.string(),
  environmentName: z.string(),
  runtime: z.enum(environmentKinds),
  production: z.boolean(),
  /** Kubernetes only: the namespaces searched for Deployments. */
  namespaces: z.array(z.string()).optional(),
  state: z.enum(['ok', 'error']),
  /** The error as main sent it: code, English message and, when keyed, its key and parameters for the window's language. */
  error: z.object({ code: z.enum(errorCodes), message: z.string(), messageKey: errorBodySchema.shape.messageKey, params: errorBodySchema.shape.params }).optional(),
  /** In the error state: when the rows shown (stale) were last read from the environment, ISO 8601. */
  lastSeenAt: z.string().optional(),
});
export type CatalogEnvironment = z.infer<typeof catalogEnvironmentSchema>;

const catalogListing = z.object({ services: z.array(serviceRowSchema), environments: z.array(catalogEnvironmentSchema) });
export type CatalogListing = z.infer<typeof catalogListing>;

export const catalogContract = {
  /**
   * Discovers services in every environment (or only the given ones, for Retry), each in
   * parallel with its own timeout. Favourites first, then by name.
   */
  'catalog.list': call(z.object({ environmentIds: z.array(recordIdSchema).max(200).optional() }).strict(), catalogListing),
  /** The namespaces of a Kubernetes environment (when the user may list them) and the ones picked. */
  'catalog.namespaces': call(
    z.object({ environmentId: recordIdSchema }).strict(),
    z.object({
      selected: z.array(z.string()),
      available: z.array(z.string()),
      problem: z.string().optional(),
      /** `problem` as a key and parameters, for the window's language (see mainErrorText). */
      problemText: keyedTextSchema.optional(),
    }),
  ),
  /** Which namespaces to search for Deployments in a Kubernetes environment; persisted. */
  'catalog.setNamespaces': call(
    z.object({ environmentId: recordIdSchema, namespaces: z.array(namespaceName).min(1).max(50) }).strict(),
    z.object({ selected: z.array(z.string()) }),
  ),
  'catalog.setFavourite': call(z.object({ serviceId: serviceIdSchema, favourite: z.boolean() }).strict(), z.object({ favourite: z.boolean() })),
  /** A service registered by hand (audited); it stays listed even while its target is missing. */
  'catalog.register': call(
    z.object({ name: displayName(100), environmentId: recordIdSchema, target: serviceTargetSchema }).strict(),
    z.object({ id: z.string() }),
  ),
  /** Removes a hand-registered service (audited). Discovered services cannot be removed here. */
  'catalog.unregister': call(z.object({ serviceId: serviceIdSchema }).strict(), z.object({ removed: z.literal(true) })),
} as const;
