import { z } from 'zod';
import { call } from './define.ts';

/** The three operator permissions the Operations Modal asks about. */
export const operatorPermissions = ['logs', 'commands', 'management'] as const;
export type OperatorPermission = (typeof operatorPermissions)[number];

const permissionList = z.array(z.enum(operatorPermissions, { error: () => `must be one of ${operatorPermissions.join(', ')}` }));
const matchSchema = z
  .strictObject({ id: z.string().min(1).optional(), name: z.string().min(1).optional(), tag: z.string().min(1).optional() })
  .refine((match) => [match.id, match.name, match.tag].filter((value) => value !== undefined).length === 1, 'give exactly one of id, name or tag');

/**
 * The organisation policy file's schema (electron/main/permissions/README.md). The same schema
 * reads the file and validates what the in-app editor saves, so the editor can write nothing
 * the file could not say.
 */
export const organisationPolicySchema = z.strictObject({
  version: z.literal(1, { error: () => 'must be 1' }),
  default: permissionList.optional(),
  rules: z.array(z.strictObject({ match: matchSchema, allow: permissionList })).default([]),
});
export type OrganisationPolicy = z.infer<typeof organisationPolicySchema>;

/**
 * Without a policy file: everything on non-production environments, only logs on production.
 * Reading logs is what incident response needs first and changes nothing; running commands in
 * production containers and restarting or scaling production workloads should be a decision an
 * organisation writes down, not a default. Cluster RBAC still applies on top.
 */
export const defaultGrants: { readonly production: readonly OperatorPermission[]; readonly other: readonly OperatorPermission[] } = {
  production: ['logs'],
  other: ['logs', 'commands', 'management'],
};

export const policyViewSchema = z.object({
  /** Where the file is (or would be): it stays the source of truth. */
  path: z.string(),
  state: z.enum(['absent', 'loaded', 'invalid']),
  /** The rules as the file says them; absent when there is no file or it is invalid. */
  policy: organisationPolicySchema.optional(),
  /** Why an invalid file is invalid, with its line. */
  problem: z.string().optional(),
  /** A fingerprint of the file as read, passed back by `policy.save` so it never overwrites a change made meanwhile. */
  revision: z.string(),
  /** False when the file is read-only (managed by the organisation): the editor shows it and saves nothing. */
  writable: z.boolean(),
  readOnlyReason: z.string().optional(),
  /** How the file is written; absent when there is none. A JSON file cannot hold comments (a YAML one keeps them on save). */
  format: z.enum(['yaml', 'json']).optional(),
});
export type PolicyView = z.infer<typeof policyViewSchema>;

export const policyContract = {
  /** The organisation policy file as it is now. */
  'policy.get': call(z.object({}).strict(), policyViewSchema),
  /**
   * Validates with the file's schema and writes the file atomically (audited, before and after).
   * Refused (CONFLICT) when the file changed since `revision` was read, and (PERMISSION_DENIED)
   * when the file is read-only.
   */
  'policy.save': call(z.object({ policy: organisationPolicySchema, revision: z.string().max(200) }).strict(), policyViewSchema),
} as const;
