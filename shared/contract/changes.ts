import { z } from 'zod';
import { keyedTextSchema } from './keyed-text.ts';
import { serviceIdSchema } from './catalog.ts';
import { configKeySchema, configKinds, configObjectNameSchema, configValueMaxBytes } from './config.ts';
import { call } from './define.ts';
import { imageReferenceSchema } from './deployments.ts';
import { hostnameSchema, ingressPathSchema, ingressPathTypes, routePath } from './domains.ts';
import { maxReplicaCount } from './scaling.ts';

// Dry-run previews: before an image change, a rollback, a restart, a scale, an HPA change, a
// ConfigMap/Secret edit or a Docker/Podman redeploy, the confirmation shows what will change.
// Kubernetes: the mutation's exact request sent with dryRun=All, diffed against the object as it
// is. Docker/Podman: the recreate plan. A preview changes nothing; Secret values never appear.

const containerNameSchema = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a container name');
const resourceVersion = z.string().min(1).max(64);

/** The same input as the mutation it previews, minus the confirmation. */
export const previewedChangeSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('deployment.setImage'), container: containerNameSchema, image: imageReferenceSchema }).strict(),
  z.object({ action: z.literal('deployment.rollback'), toRevision: z.number().int().min(1).max(2 ** 31).optional() }).strict(),
  z.object({ action: z.literal('deployment.restart') }).strict(),
  z.object({ action: z.literal('scaling.setReplicas'), replicas: z.number().int().min(0).max(maxReplicaCount) }).strict(),
  // Bounds are not cross-checked here: the API server's validation answers, in its own words.
  z.object({ action: z.literal('scaling.deleteHpa') }).strict(),
  z.object({ action: z.literal('scaling.setHpa'), minReplicas: z.number().int().min(1).max(maxReplicaCount), maxReplicas: z.number().int().min(1).max(maxReplicaCount), targetCpu: z.number().int().min(1).max(100) }).strict(),
  z.object({ action: z.literal('config.setKey'), kind: z.enum(configKinds), name: configObjectNameSchema, key: configKeySchema, value: z.string().max(configValueMaxBytes), resourceVersion }).strict(),
  z.object({ action: z.literal('config.deleteKey'), kind: z.enum(configKinds), name: configObjectNameSchema, key: configKeySchema, resourceVersion }).strict(),
  z
    .object({
      action: z.literal('domains.add'),
      host: hostnameSchema,
      path: ingressPathSchema.default('/'),
      pathType: z.enum(ingressPathTypes).default('Prefix'),
      service: configObjectNameSchema.optional(),
      servicePort: z.number().int().min(1).max(65535),
      tlsSecret: configObjectNameSchema.optional(),
      ingressClass: configObjectNameSchema.optional(),
    })
    .strict(),
  z.object({ action: z.literal('domains.remove'), host: hostnameSchema, path: ingressPathSchema }).strict(),
  // Docker/Podman domains: Caddy's route JSON before/after, or Traefik's labels and recreate plan.
  z.object({ action: z.literal('engineDomains.add'), host: hostnameSchema, path: routePath.default('/'), port: z.number().int().min(1).max(65535), tls: z.boolean().default(true) }).strict(),
  z.object({ action: z.literal('engineDomains.remove'), host: hostnameSchema, path: routePath.default('/') }).strict(),
  z.object({ action: z.literal('containers.redeploy'), containerId: z.string().regex(/^[a-f0-9]{12,64}$/, 'must be a container id'), image: imageReferenceSchema.optional() }).strict(),
  z.object({ action: z.literal('containers.rollback'), historyId: z.number().int().min(1).max(2 ** 53 - 1) }).strict(),
]);
export type PreviewedChange = z.infer<typeof previewedChangeSchema>;
/** What the renderer sends (zod defaults not applied yet). */
export type PreviewedChangeInput = z.input<typeof previewedChangeSchema>;

export const changeLineSchema = z.object({
  path: z.string(),
  change: z.enum(['added', 'removed', 'changed', 'unchanged']),
  /** Null when absent on that side, or hidden (Secret values, environment variable values). */
  before: z.string().nullable(),
  after: z.string().nullable(),
});
export type ChangeLineView = z.infer<typeof changeLineSchema>;

export const recreatePlanSchema = z.object({
  container: z.string(),
  imageFrom: z.string(),
  imageIdFrom: z.string(),
  imageTo: z.string(),
  /** Null when the image is not on the engine yet: it is pulled when the change is applied. */
  imageIdTo: z.string().nullable(),
  carriedOver: z.array(z.string()),
});

export const changePreviewSchema = z.object({
  target: z.string(),
  method: z.enum(['server-dry-run', 'recreate-plan']),
  lines: z.array(changeLineSchema),
  /** The bounded one-line form the mutation's audit row records. */
  summary: z.string(),
  /** Why the change would be refused as it is (validation, admission, permission, locks). */
  errors: z.array(z.string()),
  /** `errors` as keys for the window's language, line for line (null where main wrote no key). */
  errorTexts: z.array(keyedTextSchema.nullable()).optional(),
  plans: z.array(recreatePlanSchema),
});
export type ChangePreviewView = z.infer<typeof changePreviewSchema>;

export const changesContract = {
  /** What a change would do, without doing it. Read-only: nothing is stored, nothing audited. */
  'changes.preview': call(z.object({ serviceId: serviceIdSchema, change: previewedChangeSchema }).strict(), changePreviewSchema),
} as const;
