import { z } from 'zod';
import { AppError } from '../../../shared/errors.ts';

export const auditOutcomes = ['started', 'success', 'failure', 'refused'] as const;
export type AuditOutcome = (typeof auditOutcomes)[number];

/**
 * Extra facts about an action, as a JSON object. NEVER secret values: for a secret or config
 * edit pass the key names (`{ keys: ['DB_PASSWORD'] }`), for a command pass argv without
 * injected credentials. Rows are kept forever and exported, so whatever goes in stays.
 */
export type AuditDetails = Record<string, z.core.util.JSONType>;

const maxDetailsChars = 16_384;
const maxErrorChars = 2_000;

/** What a caller knows about an action; the trail adds seq, time, actor and the chain. */
export interface AuditEntry {
  /** Dotted verb, object first: `pod.delete`, `deployment.scale`, `command.run`. */
  readonly action: string;
  /** What was acted on, readable: `prod/payments/pod/api-7f9c`. */
  readonly target: string;
  readonly outcome: AuditOutcome;
  /** The identity the action ran as on the far side: cluster user, engine identity. */
  readonly actorIdentity?: string;
  readonly environmentId?: string;
  /** Why it failed or was refused. Keep it free of secrets too. */
  readonly error?: string;
  readonly details?: AuditDetails;
}

/** An entry before its outcome is known; `audited()` fills in the outcome and error. */
export type AuditIntent = Omit<AuditEntry, 'outcome' | 'error'>;

export interface AuditRow {
  readonly seq: number;
  /** ISO 8601, UTC. */
  readonly at: string;
  /** The OS user running the app. */
  readonly actor: string;
  readonly actorIdentity: string | null;
  readonly environmentId: string | null;
  readonly action: string;
  readonly target: string;
  readonly outcome: AuditOutcome;
  readonly error: string | null;
  readonly details: AuditDetails;
  readonly prevHash: string;
  readonly hash: string;
}

const detailsSchema = z.record(z.string(), z.json());

export const auditEntrySchema = z.object({
  action: z
    .string()
    .max(100)
    .regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/, 'must be a dotted lower-case verb such as pod.delete'),
  target: z.string().min(1).max(500),
  outcome: z.enum(auditOutcomes),
  actorIdentity: z.string().min(1).max(200).optional(),
  environmentId: z.string().min(1).max(200).optional(),
  // Truncated rather than refused: losing the row over a long error message would be worse.
  error: z
    .string()
    .optional()
    .transform((error) => (error === undefined || error.length <= maxErrorChars ? error : `${error.slice(0, maxErrorChars)}…`)),
  details: detailsSchema.default({}),
});

export type ValidAuditEntry = z.output<typeof auditEntrySchema>;

/** Validates an entry and serializes its details; INVALID_INPUT names the offending field. */
export function parseAuditEntry(entry: AuditEntry): { entry: ValidAuditEntry; detailsJson: string } {
  const result = auditEntrySchema.safeParse(entry);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'entry'}: ${issue.message}`).join('; ');
    throw new AppError('INVALID_INPUT', `The audit entry for "${String(entry.action)}" is not valid: ${problems}.`, undefined, {
      key: 'environments.audit.entryInvalid',
      params: { action: String(entry.action), detail: problems },
    });
  }
  const detailsJson = JSON.stringify(result.data.details);
  if (detailsJson.length > maxDetailsChars) {
    throw new AppError('INVALID_INPUT', `The audit details for "${entry.action}" are larger than ${maxDetailsChars} characters; record a summary.`, undefined, {
      key: 'environments.audit.detailsTooLarge',
      params: { action: entry.action, max: maxDetailsChars },
    });
  }
  return { entry: result.data, detailsJson };
}

/** Column names in the order they are hashed. Changing this breaks every existing chain. */
export const auditColumns = [
  'seq',
  'at',
  'actor',
  'actor_identity',
  'environment_id',
  'action',
  'target',
  'outcome',
  'error',
  'details',
  'prev_hash',
] as const;

/** A row exactly as SQLite returned it: unvalidated, because verify() must judge damaged rows too. */
export type StoredAuditRow = Record<(typeof auditColumns)[number] | 'hash', unknown>;

const hexHash = z.string().regex(/^[0-9a-f]{64}$/);

export const storedAuditRowSchema = z
  .object({
    seq: z.number().int().positive(),
    at: z.iso.datetime(),
    actor: z.string(),
    actor_identity: z.string().nullable(),
    environment_id: z.string().nullable(),
    action: z.string(),
    target: z.string(),
    outcome: z.enum(auditOutcomes),
    error: z.string().nullable(),
    details: z.string().transform((text, context) => {
      try {
        return detailsSchema.parse(JSON.parse(text));
      } catch {
        context.addIssue({ code: 'custom', message: 'details is not a JSON object' });
        return z.NEVER;
      }
    }),
    prev_hash: hexHash,
    hash: hexHash,
  })
  .transform(
    (row): AuditRow => ({
      seq: row.seq,
      at: row.at,
      actor: row.actor,
      actorIdentity: row.actor_identity,
      environmentId: row.environment_id,
      action: row.action,
      target: row.target,
      outcome: row.outcome,
      error: row.error,
      details: row.details,
      prevHash: row.prev_hash,
      hash: row.hash,
    }),
  );
