import { z } from 'zod';
import { call, stream } from './define.ts';

export const auditOutcomes = ['started', 'success', 'failure', 'refused'] as const;

/** What verify() can find wrong with the trail. */
export const auditProblems = [
  'edited',
  'deleted',
  'reordered',
  'unlinked',
  'truncated',
  'anchor-missing',
  'anchor-invalid',
  'anchor-mismatch',
  'anchor-behind',
  'wrong-key',
] as const;
export type AuditProblem = (typeof auditProblems)[number];

/** One audit row as the Audit Log page shows it. Details never hold secret values. */
export const auditRowSchema = z.object({
  seq: z.number().int().positive(),
  at: z.string(),
  actor: z.string(),
  actorIdentity: z.string().optional(),
  environmentId: z.string().optional(),
  /** The environment's name as it is now (absent when it was removed since). */
  environmentName: z.string().optional(),
  action: z.string(),
  target: z.string(),
  outcome: z.enum(auditOutcomes),
  error: z.string().optional(),
  details: z.record(z.string(), z.unknown()),
  /** The previous row's hash: with seq and hash, the row's place in the chain. */
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditRowView = z.infer<typeof auditRowSchema>;

/**
 * What the Audit Log page narrows the trail to; main applies it in SQL. Text, actor and action
 * match when they are contained, ignoring case (text searches action, target, actor, identity,
 * error, details and the environment's name); environment and outcome match exactly; `from`
 * and `to` bound the time, both inclusive.
 */
export const auditFilterShape = {
  text: z.string().trim().min(1).max(200).optional(),
  actor: z.string().trim().min(1).max(200).optional(),
  environmentId: z.string().min(1).max(200).optional(),
  action: z.string().trim().min(1).max(100).optional(),
  outcome: z.enum(auditOutcomes).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
};
export const auditFilterSchema = z.object(auditFilterShape).strict();
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export const auditListInputSchema = z
  .object({
    limit: z.number().int().min(1).max(500).default(100),
    beforeSeq: z.number().int().positive().optional(),
    ...auditFilterShape,
  })
  .strict();

export const auditVerificationSchema = z.object({
  ok: z.boolean(),
  rows: z.number().int().nonnegative(),
  problem: z.enum(auditProblems).optional(),
  atSeq: z.number().int().optional(),
  message: z.string(),
});
export type AuditVerification = z.infer<typeof auditVerificationSchema>;

export const auditContract = {
  'audit.list': call(auditListInputSchema, z.object({ rows: z.array(auditRowSchema), hasMore: z.boolean() })),
  'audit.verify': call(z.object({}).strict(), auditVerificationSchema),
  /**
   * After a reviewed integrity finding (rows cut, an old database put back, a row edited): records
   * an `audit.reseal` row naming the finding and the reason, re-anchors the trail and lets it
   * record again. Refused (CONFLICT) when there is nothing to acknowledge.
   */
  'audit.acknowledge': call(z.object({ reason: z.string().trim().min(1).max(1000) }).strict(), auditRowSchema),
  /** The rows the filters select (all rows without filters), oldest first, as stored with their hashes. */
  'audit.export': call(auditFilterSchema, z.object({ fileName: z.string(), jsonLines: z.string() })),
  /** New rows as they are recorded, so the Audit Log page stays live without polling. */
  'audit.appended': stream(z.object({}).strict(), auditRowSchema),
} as const;
