import type { KeyObject } from 'node:crypto';
import { auditRowHash, type AuditHead } from './audit-chain.ts';
import type { AuditRow, StoredAuditRow, ValidAuditEntry } from './audit-row.ts';

/** A validated entry waiting to be chained: its details already serialized (and size-checked) once. */
export interface QueuedEntry {
  readonly valid: ValidAuditEntry;
  readonly detailsJson: string;
}

/** The row as stored: numbered after `after`, linked to its hash, sealed with the key. */
export function storedRowFor(key: KeyObject, after: AuditHead, valid: ValidAuditEntry, detailsJson: string, actor: string, at: Date): StoredAuditRow {
  const row: StoredAuditRow = {
    seq: after.seq + 1,
    at: at.toISOString(),
    actor,
    actor_identity: valid.actorIdentity ?? null,
    environment_id: valid.environmentId ?? null,
    action: valid.action,
    target: valid.target,
    outcome: valid.outcome,
    error: valid.error ?? null,
    details: detailsJson,
    prev_hash: after.hash,
    hash: null,
  };
  row.hash = auditRowHash(key, row);
  return row;
}

export function auditRowFrom(stored: StoredAuditRow, valid: ValidAuditEntry): AuditRow {
  return {
    seq: Number(stored.seq),
    at: String(stored.at),
    actor: String(stored.actor),
    actorIdentity: valid.actorIdentity ?? null,
    environmentId: valid.environmentId ?? null,
    action: valid.action,
    target: valid.target,
    outcome: valid.outcome,
    error: valid.error ?? null,
    details: valid.details,
    prevHash: String(stored.prev_hash),
    hash: String(stored.hash),
  };
}
