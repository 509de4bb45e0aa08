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

interface Waiting<E, R> {
  readonly entry: E;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * Collects what arrives in one turn of the event loop and commits it together; each `push`
 * resolves with its own result after that commit, or rejects with the commit's error.
 */
export class GroupCommitQueue<E, R> {
  private pending: Waiting<E, R>[] = [];
  private readonly commit: (entries: E[]) => R[];

  constructor(commit: (entries: E[]) => R[]) {
    this.commit = commit;
  }

  push(entry: E): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ entry, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  /** Commits what is waiting now (also called before a synchronous write, to keep the order). */
  flush(): void {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    let results: R[];
    try {
      results = this.commit(batch.map((waiting) => waiting.entry));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
      return;
    }
    batch.forEach((waiting, index) => waiting.resolve(results[index] as R));
  }
}
