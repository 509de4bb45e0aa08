import { AppError, isAppError, type ErrorCode } from '../../../shared/errors.ts';
import type { AppDatabase } from '../storage/database.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { AuditAnchorFile } from './audit-anchor-file.ts';
import { auditRowHash, checkAnchor, emptyHead, signAnchor, verifyRows, type AuditFinding, type AuditHead, type AuditVerification } from './audit-chain.ts';
import { auditCsvLines, auditJsonLines } from './audit-export.ts';
import { loadAuditKey } from './audit-key.ts';
import { AuditRepository, type AuditListQuery } from './audit-repository.ts';
import { parseAuditEntry, type AuditDetails, type AuditEntry, type AuditIntent, type AuditOutcome, type AuditRow, type StoredAuditRow } from './audit-row.ts';
import type { AuditSink } from './audit-sink.ts';

export interface AuditTrailOptions {
  readonly database: AppDatabase;
  readonly secrets: SecretStore;
  readonly anchor: AuditAnchorFile;
  /** The OS user running the app (`os.userInfo().username`). */
  readonly actor: string;
  /** Further sinks that receive each row after it is stored. */
  readonly sinks?: readonly AuditSink[];
  /** Told when a further sink throws or the head file cannot be written; the row itself is stored. */
  readonly onProblem?: (where: string, error: unknown) => void;
  readonly now?: () => Date;
}

export type AuditTrailStatus =
  | { readonly writable: true }
  | { readonly writable: false; readonly reason: string; readonly finding?: AuditFinding };

export interface AuditedOptions<T> {
  /** Adds facts only known afterwards (exit code, new revision) to the success row. */
  readonly detailsFromResult?: (result: T) => AuditDetails;
}

const resealAction = 'audit.reseal';

// Errors meaning "the app decided not to do it" rather than "it was tried and failed".
const refusalCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'PERMISSION_DENIED',
  'BLOCKED_COMMAND',
  'FORBIDDEN_ORIGIN',
  'INVALID_INPUT',
  'KEYCHAIN_UNAVAILABLE',
  'LIMIT_REACHED',
]);

/**
 * The append-only, hash-chained record of every operational action. Each row carries an
 * HMAC-SHA256 (key in the OS keychain) over its content and the previous row's hash; the
 * newest row's hash is also signed into `audit-head.json` outside the database.
 *
 * Writing fails closed: without the key, or when the head file disagrees with the table
 * (rows cut off, head file removed), `record` throws AUDIT_UNAVAILABLE and `audited` refuses to
 * run the action. Reading, listing and exporting keep working.
 */
export class AuditTrail {
  private readonly repository: AuditRepository;
  private readonly secrets: SecretStore;
  private readonly anchor: AuditAnchorFile;
  private readonly actor: string;
  private readonly sinks: readonly AuditSink[];
  private readonly onProblem: (where: string, error: unknown) => void;
  private readonly now: () => Date;
  private key: Buffer | null = null;
  private keyProblem = 'The audit trail has not been connected to the OS keychain yet.';
  private finding: AuditFinding | null = null;
  private head: AuditHead = emptyHead;
  private anchoredSeq = 0;

  constructor(options: AuditTrailOptions) {
    this.repository = new AuditRepository(options.database);
    this.secrets = options.secrets;
    this.anchor = options.anchor;
    this.actor = options.actor;
    this.sinks = options.sinks ?? [];
    this.onProblem = options.onProblem ?? ((where, error) => console.warn(`audit: ${where}:`, error instanceof Error ? error.message : error));
    this.now = options.now ?? (() => new Date());
  }

  /** Loads (or, for a new trail, creates) the key and checks the head file. Call again after the user unlocks the keychain. */
  async connectKeychain(): Promise<AuditTrailStatus> {
    const trailIsNew = this.repository.isEmpty() && this.anchor.read().kind === 'absent';
    const loaded = await loadAuditKey(this.secrets, trailIsNew);
    if (loaded.key === null) {
      this.key = null;
      this.keyProblem = `The audit trail cannot record actions, so KIOPS Desktop refuses them: ${loaded.reason}`;
    } else {
      this.key = loaded.key;
      this.checkHead(loaded.key);
    }
    return this.status();
  }

  status(): AuditTrailStatus {
    if (this.key === null) return { writable: false, reason: this.keyProblem };
    if (this.finding !== null) return { writable: false, reason: brokenMessage(this.finding), finding: this.finding };
    return { writable: true };
  }

  /**
   * Appends one row; when this returns the row is committed (WAL, synchronous=FULL) and chained.
   * Details must never hold secret values: pass key names, not values.
   */
  record(entry: AuditEntry): AuditRow {
    if (entry.action === resealAction) throw new AppError('INVALID_INPUT', `"${resealAction}" rows are written by the trail itself.`);
    return this.append(entry);
  }

  private append(entry: AuditEntry): AuditRow {
    const { entry: valid, detailsJson } = parseAuditEntry(entry);
    const key = this.prepareToWrite();
    const stored = this.repository.inWriteTransaction(() => {
      const current = this.repository.head();
      if (current.seq !== this.head.seq || current.hash !== this.head.hash) {
        // Someone else wrote or removed rows since we last looked: only carry on if the head file agrees.
        this.checkHead(key);
        if (this.finding !== null) throw new AppError('AUDIT_UNAVAILABLE', brokenMessage(this.finding));
      }
      const row: StoredAuditRow = {
        seq: current.seq + 1,
        at: this.now().toISOString(),
        actor: this.actor,
        actor_identity: valid.actorIdentity ?? null,
        environment_id: valid.environmentId ?? null,
        action: valid.action,
        target: valid.target,
        outcome: valid.outcome,
        error: valid.error ?? null,
        details: detailsJson,
        prev_hash: current.hash,
        hash: null,
      };
      row.hash = auditRowHash(key, row);
      this.repository.insert(row);
      return row;
    });
    const row: AuditRow = {
      seq: Number(stored.seq),
      at: String(stored.at),
      actor: this.actor,
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
    this.head = { seq: row.seq, hash: row.hash };
    // After the commit, never before: an anchor ahead of the table would read as truncation.
    // If this write fails the anchor is one row behind, which verify() accepts; the next
    // record() retries it and refuses if it still cannot.
    this.tryWriteAnchor(key);
    for (const sink of this.sinks) {
      try {
        sink.write(row);
      } catch (error) {
        this.onProblem(`sink ${sink.name}`, error);
      }
    }
    return row;
  }

  /**
   * The one wrapper for every mutating service call: refuses before acting when the trail
   * cannot record, runs `action`, records success or failure (with the error message), then
   * returns or rethrows. The row is durable before the caller sees the result.
   * The thrown error's message is stored as is: services throw AppErrors whose messages hold
   * no secret values (the same rule as for details).
   */
  async audited<T>(intent: AuditIntent, action: () => T | Promise<T>, options: AuditedOptions<T> = {}): Promise<T> {
    parseAuditEntry({ ...intent, outcome: 'success' });
    this.prepareToWrite();
    let result: T;
    try {
      result = await action();
    } catch (error) {
      const message = errorMessage(error);
      try {
        this.record({ ...intent, outcome: outcomeOf(error), error: message });
      } catch (auditError) {
        throw new AppError(
          'AUDIT_UNAVAILABLE',
          `${intent.action} on ${intent.target} failed (${message}), and the failure could not be recorded in the audit trail: ${errorMessage(auditError)}`,
        );
      }
      throw error;
    }
    const extra = options.detailsFromResult?.(result);
    try {
      this.record({ ...intent, outcome: 'success', details: extra === undefined ? intent.details : { ...intent.details, ...extra } });
    } catch (auditError) {
      throw new AppError(
        'AUDIT_UNAVAILABLE',
        `${intent.action} on ${intent.target} was carried out, but it could not be recorded in the audit trail: ${errorMessage(auditError)}`,
      );
    }
    return result;
  }

  /** Newest first. Works without the keychain. */
  list(query: AuditListQuery = {}): AuditRow[] {
    return this.repository.list(query);
  }

  /** Re-computes every row's HMAC and link, then checks the head file. Needs the key. */
  verify(): AuditVerification {
    if (this.key === null) throw new AppError('AUDIT_UNAVAILABLE', `The audit trail cannot be verified: ${this.keyProblem}`);
    return verifyRows(this.key, this.repository.all(), this.anchor.read());
  }

  /** JSON lines, oldest first, with hashes; works without the keychain. */
  exportJsonLines(): Generator<string> {
    return auditJsonLines(this.repository.all());
  }

  exportCsv(): Generator<string> {
    return auditCsvLines(this.repository.all());
  }

  /**
   * After someone has reviewed a head-file problem (rows cut off, head file lost or altered):
   * records an `audit.reseal` row describing what was found and why it was accepted, chains it
   * to the table as it now is and writes a fresh head file. The problem stays visible in the
   * trail as that row; it is not erased.
   */
  reseal(reason: string): AuditRow {
    const key = this.key;
    if (key === null) throw new AppError('AUDIT_UNAVAILABLE', this.keyProblem);
    const finding = this.finding;
    if (finding === null) throw new AppError('CONFLICT', 'The audit trail is intact; there is nothing to reseal.');
    if (finding.problem === 'wrong-key') throw new AppError('AUDIT_UNAVAILABLE', `${finding.message} Restore the original key to continue.`);
    if (reason.trim().length === 0) throw new AppError('INVALID_INPUT', 'Say why the audit trail is being resealed.');
    const reading = this.anchor.read();
    // Accept the table as it is now; the row below is what records that decision.
    this.finding = null;
    this.head = this.repository.head();
    this.anchoredSeq = this.head.seq;
    try {
      return this.append({
        action: resealAction,
        target: 'audit-trail',
        outcome: 'success',
        details: {
          problem: finding.problem,
          atSeq: finding.atSeq,
          finding: finding.message,
          reason,
          previousHead: reading.kind === 'present' ? { seq: reading.anchor.seq, hash: reading.anchor.hash } : null,
        },
      });
    } catch (error) {
      this.checkHead(key);
      throw error;
    }
  }


  private checkHead(key: Buffer): void {
    const reading = this.anchor.read();
    this.head = this.repository.head();
    this.finding = checkAnchor(key, reading, this.head, (seq) => this.repository.hashAt(seq));
    this.anchoredSeq = reading.kind === 'present' ? reading.anchor.seq : 0;
  }

  /** Throws AUDIT_UNAVAILABLE unless a row could be appended right now. */
  private prepareToWrite(): Buffer {
    if (this.key === null) throw new AppError('AUDIT_UNAVAILABLE', this.keyProblem);
    if (this.finding !== null) throw new AppError('AUDIT_UNAVAILABLE', brokenMessage(this.finding));
    if (this.anchoredSeq < this.head.seq && !this.tryWriteAnchor(this.key)) {
      throw new AppError(
        'AUDIT_UNAVAILABLE',
        `The audit head file ${this.anchor.path} cannot be written, so actions would not be tamper-evident; KIOPS Desktop refuses them until it can (is the disk full?).`,
      );
    }
    return this.key;
  }

  private tryWriteAnchor(key: Buffer): boolean {
    try {
      this.anchor.write(signAnchor(key, this.head, this.now().toISOString()));
      this.anchoredSeq = this.head.seq;
      return true;
    } catch (error) {
      this.onProblem('audit head file', error);
      return false;
    }
  }
}

export interface OpenAuditTrailOptions extends Omit<AuditTrailOptions, 'anchor'> {
  /** The app's data folder; the head file `audit-head.json` lives next to the database. */
  readonly dataDir: string;
}

/** Builds the trail and connects it to the keychain. A trail without its key still opens (read-only). */
export async function openAuditTrail(options: OpenAuditTrailOptions): Promise<AuditTrail> {
  const { dataDir, ...rest } = options;
  const trail = new AuditTrail({ ...rest, anchor: AuditAnchorFile.inDataDir(dataDir) });
  await trail.connectKeychain();
  return trail;
}

function brokenMessage(finding: AuditFinding): string {
  return `The audit trail failed its integrity check: ${finding.message} KIOPS Desktop refuses operational actions until someone reviews the Audit Log and reseals the trail.`;
}

function outcomeOf(error: unknown): AuditOutcome {
  return isAppError(error) && refusalCodes.has(error.code) ? 'refused' : 'failure';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
