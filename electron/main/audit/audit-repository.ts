import type Database from 'better-sqlite3';
import { parseStoredRow } from '../storage/stored-row.ts';
import { acknowledgementKey, emptyHead, type AuditHead } from './audit-chain.ts';
import { auditWhere, type AuditFilter, type AuditListQuery } from './audit-query.ts';
import { storedAuditRowSchema, type AuditRow, type StoredAuditRow } from './audit-row.ts';

export type { AuditFilter, AuditListQuery } from './audit-query.ts';

const selectColumns =
  'seq, at, actor, actor_identity, environment_id, action, target, outcome, error, details, prev_hash, hash';

/** SQL for the audit_trail table. Rows are inserted here and nowhere else; nothing updates or deletes. */
export class AuditRepository {
  private readonly db: Database.Database;
  private readonly headStatement: Database.Statement;
  private readonly hashAtStatement: Database.Statement;
  private readonly insertStatement: Database.Statement;
  private readonly pageStatement: Database.Statement;

  constructor(db: Database.Database) {
    this.db = db;
    this.headStatement = db.prepare('SELECT seq, hash FROM audit_trail ORDER BY seq DESC LIMIT 1');
    this.hashAtStatement = db.prepare('SELECT hash FROM audit_trail WHERE seq = ?').pluck();
    this.insertStatement = db.prepare(
      `INSERT INTO audit_trail (${selectColumns})
       VALUES (@seq, @at, @actor, @actor_identity, @environment_id, @action, @target, @outcome, @error, @details, @prev_hash, @hash)`,
    );
    this.pageStatement = db.prepare(`SELECT ${selectColumns} FROM audit_trail WHERE seq > ? ORDER BY seq LIMIT ?`);
  }

  head(): AuditHead {
    const row = this.headStatement.get() as { seq: unknown; hash: unknown } | undefined;
    if (row === undefined) return emptyHead;
    return { seq: Number(row.seq), hash: String(row.hash) };
  }

  hashAt(seq: number): string | null {
    const hash: unknown = this.hashAtStatement.get(seq);
    return typeof hash === 'string' ? hash : null;
  }

  insert(row: StoredAuditRow): void {
    this.insertStatement.run(row);
  }

  /** Several rows in one transaction: one commit, one sync. */
  insertAll(rows: readonly StoredAuditRow[]): void {
    this.db.transaction(() => {
      for (const row of rows) this.insertStatement.run(row);
    })();
  }

  /** Raw rows after `afterSeq`, oldest first, fully read so no cursor stays open between pages. */
  page(afterSeq: number, limit: number): StoredAuditRow[] {
    return this.pageStatement.all(afterSeq, limit) as StoredAuditRow[];
  }

  /** Every raw row in seq order, in pages; consumers may write elsewhere between pages. */
  *all(pageSize = 500): Generator<StoredAuditRow> {
    let after = 0;
    for (;;) {
      const rows = this.page(after, pageSize);
      yield* rows;
      const last = rows.at(-1);
      if (last === undefined || rows.length < pageSize) return;
      after = Number(last.seq);
    }
  }

  list(query: AuditListQuery): AuditRow[] {
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? 100), 1), 1000);
    const { where, parameters } = auditWhere(query);
    const rows = this.db.prepare(`SELECT ${selectColumns} FROM audit_trail ${where} ORDER BY seq DESC LIMIT ?`).all(...parameters, limit);
    return rows.map((row) => parseStoredRow(storedAuditRowSchema, row, { table: 'audit_trail', key: seqOf(row) }));
  }

  /** The raw rows a filter selects, oldest first, in pages (as `all`, for exports). */
  *matching(filter: AuditFilter, pageSize = 500): Generator<StoredAuditRow> {
    let after = 0;
    for (;;) {
      const { where, parameters } = auditWhere({ ...filter, afterSeq: after });
      const rows = this.db.prepare(`SELECT ${selectColumns} FROM audit_trail ${where} ORDER BY seq LIMIT ?`).all(...parameters, pageSize) as StoredAuditRow[];
      yield* rows;
      const last = rows.at(-1);
      if (last === undefined || rows.length < pageSize) return;
      after = Number(last.seq);
    }
  }

  /**
   * The findings operators acknowledged, as `problem@seq`, read from the `audit.reseal` rows'
   * details. verify() still checks each of those rows' HMAC and link, so a forged one fails there.
   */
  acknowledgements(): Set<string> {
    const keys = new Set<string>();
    const details = this.db.prepare("SELECT details FROM audit_trail WHERE action = 'audit.reseal'").pluck().all();
    for (const text of details) {
      try {
        const parsed: unknown = JSON.parse(String(text));
        if (typeof parsed === 'object' && parsed !== null && 'problem' in parsed && 'atSeq' in parsed) {
          keys.add(acknowledgementKey(String(parsed.problem), Number(parsed.atSeq)));
        }
      } catch {
        // a damaged reseal row acknowledges nothing
      }
    }
    return keys;
  }

  isEmpty(): boolean {
    return this.head().seq === 0;
  }
}

function seqOf(row: unknown): string | number {
  return typeof row === 'object' && row !== null && 'seq' in row && typeof row.seq === 'number' ? row.seq : '?';
}
