import { z } from 'zod';
import { keyedTextSchema } from './keyed-text.ts';
import { serviceIdSchema } from './catalog.ts';
import { confirmationSchema } from './confirmation.ts';
import { call } from './define.ts';

// The Config/Secret tab of a Kubernetes service: the ConfigMaps and Secrets of its namespace as
// key-value tables. Secret values never travel in a list reply: one value is read on an explicit
// Reveal (audited with its key name). Every change is checked against the management permission
// in main, sent with the resourceVersion the operator saw (a stale one is CONFLICT), and audited
// with names and key names only, never values.

export const configKinds = ['configmap', 'secret'] as const;
export type ConfigKind = (typeof configKinds)[number];

/** A Kubernetes object name (RFC 1123 DNS subdomain). */
export const configObjectNameSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'must be lower-case letters, digits, "-" and "." (a Kubernetes object name)');

/** A ConfigMap or Secret key, validated as the API server does (IsConfigMapKey). */
export const configKeySchema = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[-._a-zA-Z0-9]+$/, 'may contain only letters, digits, "-", "_" and "."')
  .refine((key) => key !== '.' && key !== '..' && !key.startsWith('..'), 'must not be "." or start with ".."');

/** Kubernetes keeps a ConfigMap or Secret under 1 MiB in total. */
export const configValueMaxBytes = 1024 * 1024;

export const configUsages = ['env', 'envFrom', 'volume', 'imagePullSecret'] as const;

export const configKeyRowSchema = z.object({
  key: z.string(),
  /** Bytes of the value (decoded for Secrets). */
  size: z.number().int().nonnegative(),
  /** ConfigMap text values up to 32 KiB; always null for Secrets (use config.reveal) and binary data. */
  value: z.string().nullable(),
  binary: z.boolean(),
  /** The Deployment names this key (env valueFrom, volume items) or takes the whole object. */
  usedByService: z.boolean(),
});
export type ConfigKeyRowView = z.infer<typeof configKeyRowSchema>;

export const configObjectSchema = z.object({
  kind: z.enum(configKinds),
  name: z.string(),
  /** Secret type (Opaque, kubernetes.io/tls, …); "ConfigMap" for ConfigMaps. */
  type: z.string(),
  resourceVersion: z.string(),
  createdAt: z.string().nullable(),
  immutable: z.boolean(),
  /** How the service's Deployment references it; empty when it does not. */
  usage: z.array(z.enum(configUsages)),
  keys: z.array(configKeyRowSchema),
});
export type ConfigObjectView = z.infer<typeof configObjectSchema>;

export const configListSchema = z.object({
  namespace: z.string(),
  deployment: z.string(),
  /** Objects the service uses first, then the rest of the namespace, each group by kind and name. */
  objects: z.array(configObjectSchema),
  /** What could not be read (e.g. Secrets the cluster does not let this user list). */
  limitations: z.array(z.string()),
  /** `limitations` as keys for the window's language, line for line. */
  limitationTexts: z.array(keyedTextSchema).optional(),
});
export type ConfigListView = z.infer<typeof configListSchema>;

const objectRef = { serviceId: serviceIdSchema, kind: z.enum(configKinds), name: configObjectNameSchema };
const keyRef = { ...objectRef, key: configKeySchema, resourceVersion: z.string().min(1).max(64) };

export const configContract = {
  /** ConfigMaps and Secrets of the service's namespace: names, types, key names and sizes. No Secret values. Management. */
  'config.list': call(z.object({ serviceId: serviceIdSchema }).strict(), configListSchema),
  /** One Secret value on the operator's explicit request. Management; audited as secret.reveal with the key name. */
  'config.reveal': call(
    z.object({ serviceId: serviceIdSchema, kind: z.literal('secret'), name: configObjectNameSchema, key: configKeySchema }).strict(),
    z.object({ value: z.string(), encoding: z.enum(['utf8', 'base64']) }),
  ),
  /** Adds or changes one key. CONFLICT when the object changed since `resourceVersion`. Management; audited. */
  'config.setKey': call(
    z.object({ ...keyRef, value: z.string().max(configValueMaxBytes), confirmation: confirmationSchema }).strict(),
    z.object({ resourceVersion: z.string() }),
  ),
  /**
   * Removes one key. In a production environment `confirmation` must repeat the service name.
   * CONFLICT when the object changed since `resourceVersion`. Management; audited.
   */
  'config.deleteKey': call(z.object({ ...keyRef, confirmation: confirmationSchema }).strict(), z.object({ resourceVersion: z.string() })),
  /** An empty ConfigMap or Opaque Secret in the service's namespace. Management; audited. */
  'config.create': call(z.object({ ...objectRef, confirmation: confirmationSchema }).strict(), z.object({ resourceVersion: z.string() })),
} as const;
