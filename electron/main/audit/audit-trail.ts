import { AsyncLocalStorage } from 'node:async_hooks';
import { createSecretKey, type KeyObject } from 'node:crypto';
import { AppError, type MessageText } from '../../../shared/errors.ts';
import { causeParams } from '../../../shared/message-params.ts';
import type { AppDatabase } from '../storage/database.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { AuditAnchorFile } from './audit-anchor-file.ts';
import { AuditAnchoring } from './audit-anchoring.ts';
import { checkAnchor, checkAnchors, emptyHead, signAnchor, verifyRows, type AnchorReading, type AuditFinding, type AuditHead, type AuditVerification } from './audit-chain.ts';
import { auditCsvLines, auditJsonLines } from './audit-export.ts';
import { loadAuditKey } from './audit-key.ts';
import { AuditKeychainAnchor } from './audit-keychain-anchor.ts';
import { AuditRepository, type AuditFilter, type AuditListQuery } from './audit-repository.ts';
import { parseAuditEntry, type AuditDetails, type AuditEntry, type AuditIntent, type AuditRow, type StoredAuditRow, type ValidAuditEntry } from './audit-row.ts';
import type { AuditSink } from './audit-sink.ts';
import { auditRowFrom, GroupCommitQueue, storedRowFor, type QueuedEntry } from './audit-append.ts';
import { AuditAction, errorMessage } from './audit-action.ts';
import {
  anchorFailureError,
  anchorFailureMessage,
  anchorFailureText,
  brokenError,
  brokenMessage,
  brokenText,
  keyProblemError,
  keyProblemText,
  notConnected,
  resealAction,
  writtenByTrail,
  type KeyProblem,
} from './audit-refusals.ts';

export { AuditAction, outcomeOf } from './audit-action.ts';

export interface AuditTrailOptions {
  readonly database: AppDatabase;
  readonly secrets: SecretStore;
  readonly anchor: AuditAnchorFile;
  /** The OS user running the app (`os.userInfo().username`). */
  readonly actor: string;
  /** Further sinks that receive each row after it is stored. */
  readonly sinks?: readonly AuditSink[];
  /** Told when a further sink throws or the head cannot be written; the row itself is stored. */
  readonly onProblem?: (where: string, error: unknown) => void;
  readonly now?: () => Date;
}

export type AuditTrailStatus =
  | { readonly writable: true }
  | { readonly writable: false; readonly reason: string; readonly text: MessageText; readonly finding?: AuditFinding };

export interface AuditedOptions<T> {
  /** Adds facts only known afterwards (exit code, new revision) to the success row. */
  readonly detailsFromResult?: (result: T) => AuditDetails;
}

export interface AuditFinish {
  readonly error?: string;
  /** Added to the started row's details in the outcome row. */
  readonly details?: AuditDetails;
}



/**
 * The append-only, hash-chained record of every operational action. Each row carries an
 * HMAC-SHA256 (key in the OS keychain) over its content and the previous row's hash. The head
 * (newest acknowledged row) is signed into `audit-head.json` and into the OS keychain beside
 * the key, a group of rows at a time (see audit/README.md).
 *
 * Writing fails closed: without the key, when the anchors disagree with the table (rows cut
 * off, an old database put back, the table emptied) or after verify() found tampering, every
 * write throws AUDIT_UNAVAILABLE and `audited` refuses to run the action, until an operator
 * acknowledges the finding. Reading, listing and exporting keep working.
 */
export class AuditTrail {
  private readonly repository: AuditRepository;
  private readonly secrets: SecretStore;
  private readonly anchor: AuditAnchorFile;
  private readonly anchoring: AuditAnchoring;
  private readonly keychainAnchor: AuditKeychainAnchor;
  private readonly actor: string;
  private readonly sinks: readonly AuditSink[];
  private readonly onProblem: (where: string, error: unknown) => void;
  private readonly now: () => Date;
  private key: KeyObject | null = null;
  private keyProblem: KeyProblem = notConnected;
  private finding: AuditFinding | null = null;
  private head: AuditHead = emptyHead;
  private readonly writes = new AsyncLocalStorage<{ count: number }>();
  private readonly queue = new GroupCommitQueue<QueuedEntry, AuditRow>((entries) => this.insertChained(this.prepareToWrite(), entries));

  constructor(options: AuditTrailOptions) {
    this.repository = new AuditRepository(options.database);
    this.secrets = options.secrets;
    this.anchor = options.anchor;
    this.actor = options.actor;
    this.sinks = options.sinks ?? [];
    this.onProblem = options.onProblem ?? ((where, error) => console.warn(`audit: ${where}:`, error instanceof Error ? error.message : error));
    this.now = options.now ?? (() => new Date());
    this.keychainAnchor = new AuditKeychainAnchor(options.secrets);
    this.anchoring = new AuditAnchoring({
      file: options.anchor,
      keychain: this.keychainAnchor,
      sign: (head) => {
        if (this.key === null) throw keyProblemError(this.keyProblem);
        return signAnchor(this.key, head, this.now().toISOString());
      },
      onProblem: (where, error) => this.onProblem(where, error),
    });
  }

  /** Loads (or, for a new trail, creates) the key and checks both anchors. Call again after the user unlocks the keychain. */
  async connectKeychain(): Promise<AuditTrailStatus> {
    const fileReading = this.anchor.read();
    let keychainReading = await this.keychainAnchor.read();
    const trailIsNew = this.repository.isEmpty() && fileReading.kind === 'absent' && keychainReading.kind === 'absent';
    const loaded = await loadAuditKey(this.secrets, trailIsNew);
    if (loaded.key === null) {
      this.key = null;
      this.keyProblem = { message: `The audit trail cannot record actions, so KIOPS Desktop refuses them: ${loaded.reason}`, variant: loaded.problem, params: loaded.params };
      return this.status();
    }
    const key = createSecretKey(loaded.key);
    this.key = key;
    try {
      if (trailIsNew && loaded.created) {
        // Written with the key, so "key present, no anchor" always means someone removed it.
        await this.anchoring.writeNow(emptyHead);
        keychainReading = this.anchoring.keychainCopy;
      } else if (keychainReading.kind === 'absent' && fileReading.kind === 'present') {
        keychainReading = await this.adoptHeadFile(key, fileReading);
      }
    } catch (error) {
      this.key = null;
      const detail = errorMessage(error);
      this.keyProblem = { message: `The audit trail cannot record actions, so KIOPS Desktop refuses them: its head could not be stored (${detail}).`, variant: 'headNotStored', params: causeParams('detail', error) };
      return this.status();
    }
    const anchored = keychainReading.kind === 'present' ? { seq: keychainReading.anchor.seq, hash: keychainReading.anchor.hash } : emptyHead;
    this.anchoring.reset(anchored, keychainReading);
    this.checkHead(key);
    return this.status();
  }

  /** A trail from before the keychain anchor: take over its head file if it matches the table. */
  private async adoptHeadFile(key: KeyObject, fileReading: AnchorReading): Promise<AnchorReading> {
    if (fileReading.kind !== 'present') return { kind: 'absent' };
    const head = this.repository.head();
    if (checkAnchor(key, fileReading, head, (seq) => this.repository.hashAt(seq)) !== null) return { kind: 'absent' };
    await this.anchoring.writeNow({ seq: fileReading.anchor.seq, hash: fileReading.anchor.hash });
    return this.anchoring.keychainCopy;
  }

  status(): AuditTrailStatus {
    if (this.key === null) return { writable: false, reason: this.keyProblem.message, text: keyProblemText(this.keyProblem) };
    if (this.finding !== null) return { writable: false, reason: brokenMessage(this.finding), text: brokenText(this.finding), finding: this.finding };
    if (this.anchoring.failure !== null) return { writable: false, reason: anchorFailureMessage(this.anchoring.failure), text: anchorFailureText(this.anchoring.failure) };
    return { writable: true };
  }

  /**
   * Appends one row; when this returns the row is committed (WAL, synchronous=FULL) and chained,
   * and its anchoring is on its way (see `recordDurably`). Details must never hold secret values.
   */
  record(entry: AuditEntry): AuditRow {
    if (entry.action === resealAction) throw writtenByTrail();
    if (entry.outcome === 'started') throw new AppError('INVALID_INPUT', 'Use start() for a "started" row, so its outcome can be chained to it.', undefined, { key: 'environments.audit.useStart' });
    return this.appendEntry(entry);
  }

  /** `record`, resolving once the row is anchored: after that it cannot be cut off unnoticed. */
  async recordDurably(entry: AuditEntry): Promise<AuditRow> {
    const row = this.record(entry);
    await this.acknowledged(row);
    return row;
  }

  /**
   * Writes the "started" row of an action: when this resolves the row is committed (durable in
   * SQLite, chained); throws — and so nothing may run — when it cannot be written. Its anchoring
   * runs alongside the action and `finish` waits for it, so the caller is acknowledged only once
   * both rows are anchored. Finish the returned handle with the outcome.
   */
  async start(intent: AuditIntent): Promise<AuditAction> {
    if (intent.action === resealAction) throw writtenByTrail();
    const { entry, detailsJson } = parseAuditEntry({ ...intent, outcome: 'started' });
    const row = await this.appendQueued(entry, detailsJson);
    return new AuditAction(this, entry, row);
  }

  /** `start` for synchronous callers (a process about to be spawned in the same tick). */
  begin(intent: AuditIntent): AuditAction {
    if (intent.action === resealAction) throw writtenByTrail();
    const { entry, detailsJson } = parseAuditEntry({ ...intent, outcome: 'started' });
    const row = this.appendValid(entry, detailsJson);
    return new AuditAction(this, entry, row);
  }

  /** A refusal decided before any audited path (permission, policy, unknown target): one anchored row. */
  refused(intent: AuditIntent, error: unknown): Promise<AuditRow> {
    return this.recordDurably({ ...intent, outcome: 'refused', error: errorMessage(error) });
  }

  /** Runs `work` and counts the rows it (and whatever it awaits) appended. */
  async tracking<T>(work: () => Promise<T>): Promise<{ result: T; rowsWritten: number }> {
    const counter = { count: 0 };
    const result = await this.writes.run(counter, work);
    return { result, rowsWritten: counter.count };
  }

  /** @internal for AuditAction: validate once and append. */
  appendEntry(entry: AuditEntry): AuditRow {
    const { entry: valid, detailsJson } = parseAuditEntry(entry);
    return this.appendValid(valid, detailsJson);
  }

  /** @internal for AuditAction: validate once and append with the rows arriving alongside. */
  appendEntryQueued(entry: AuditEntry): Promise<AuditRow> {
    const { entry: valid, detailsJson } = parseAuditEntry(entry);
    return this.appendQueued(valid, detailsJson);
  }

  /** Resolves once every row recorded so far is anchored (tests, shutdown). */
  async whenAnchored(): Promise<void> {
    await this.anchoring.whenAnchored(this.head.seq);
    await this.anchoring.settled();
  }

  /** @internal Resolves once `row` is anchored; rejects with AUDIT_UNAVAILABLE if it cannot be. */
  acknowledged(row: AuditRow): Promise<void> {
    return this.anchoring.whenAnchored(row.seq);
  }

  private appendValid(valid: ValidAuditEntry, detailsJson: string): AuditRow {
    this.queue.flush(); // rows queued earlier go first, so the chain keeps arrival order
    const key = this.prepareToWrite();
    const [row] = this.insertChained(key, [{ valid, detailsJson }]);
    if (row === undefined) throw new AppError('INTERNAL', 'The audit row was not stored.', undefined, { key: 'environments.audit.rowNotStored' });
    this.countWrites(1);
    return row;
  }

  /**
   * Group commit: rows that arrive together (in the same turn of the event loop) go into one
   * SQLite transaction, one sync for all of them. Each resolves only after that commit, so a
   * caller still never acts before its row is durable.
   */
  private appendQueued(valid: ValidAuditEntry, detailsJson: string): Promise<AuditRow> {
    this.prepareToWrite();
    this.countWrites(1);
    return this.queue.push({ valid, detailsJson });
  }

  /**
   * Chains `entries` after the head and stores them: one autocommit INSERT for a single row (an
   * explicit BEGIN…COMMIT costs a second sync), one transaction for several. The contiguous-seq
   * trigger refuses rows after rows another writer added or removed; then the anchors decide.
   */
  private insertChained(key: KeyObject, entries: readonly QueuedEntry[]): AuditRow[] {
    const build = (): StoredAuditRow[] => {
      let after = this.head;
      return entries.map(({ valid, detailsJson }) => {
        const row = storedRowFor(key, after, valid, detailsJson, this.actor, this.now());
        after = { seq: Number(row.seq), hash: String(row.hash) };
        return row;
      });
    };
    const store = (rows: StoredAuditRow[]) => {
      if (rows.length === 1 && rows[0] !== undefined) this.repository.insert(rows[0]);
      else this.repository.insertAll(rows);
    };
    let stored = build();
    try {
      store(stored);
    } catch (error) {
      if (!isSeqConflict(error)) throw error;
      this.checkHead(key);
      if (this.finding !== null) throw brokenError(this.finding);
      stored = build();
      store(stored);
    }
    const rows = stored.map((row, index) => auditRowFrom(row, entries[index]?.valid as ValidAuditEntry));
    const last = rows.at(-1);
    if (last !== undefined) this.head = { seq: last.seq, hash: last.hash };
    // After the commit, never before: an anchor ahead of the table would read as truncation.
    this.anchoring.committed(this.head);
    this.anchoring.kick();
    for (const row of rows) {
      for (const sink of this.sinks) {
        try {
          sink.write(row);
        } catch (error) {
          this.onProblem(`sink ${sink.name}`, error);
        }
      }
    }
    return rows;
  }

  private countWrites(rows: number): void {
    const counter = this.writes.getStore();
    if (counter !== undefined) counter.count += rows;
  }

  /**
   * The one wrapper for every mutating service call: writes the "started" row (refusing before
   * acting when it cannot), runs `action`, chains success or failure (with the error message)
   * to it, then returns or rethrows. Both rows are anchored before the caller sees the result.
   * The thrown error's message is stored as is: services throw AppErrors whose messages hold
   * no secret values (the same rule as for details).
   */
  async audited<T>(intent: AuditIntent, action: () => T | Promise<T>, options: AuditedOptions<T> = {}): Promise<T> {
    const started = await this.start(intent);
    let result: T;
    try {
      result = await action();
    } catch (error) {
      const message = errorMessage(error);
      try {
        await started.fail(error);
      } catch (auditError) {
        const auditDetail = errorMessage(auditError);
        throw new AppError(
          'AUDIT_UNAVAILABLE',
          `${intent.action} on ${intent.target} failed (${message}), and the failure could not be recorded in the audit trail: ${auditDetail}`,
          undefined,
          { key: 'environments.audit.failureNotRecorded', params: { action: intent.action, target: intent.target, ...causeParams('detail', error), ...causeParams('auditDetail', auditError) } },
        );
      }
      throw error;
    }
    try {
      const extra = options.detailsFromResult?.(result);
      await started.finish('success', extra === undefined ? {} : { details: extra });
    } catch (auditError) {
      const auditDetail = errorMessage(auditError);
      throw new AppError(
        'AUDIT_UNAVAILABLE',
        `${intent.action} on ${intent.target} was carried out, but it could not be recorded in the audit trail: ${auditDetail}`,
        undefined,
        { key: 'environments.audit.doneNotRecorded', params: { action: intent.action, target: intent.target, auditDetail } },
      );
    }
    return result;
  }

  /** Newest first. Works without the keychain. */
  list(query: AuditListQuery = {}): AuditRow[] {
    return this.repository.list(query);
  }

  /**
   * Re-computes every row's HMAC and link, then checks both anchors (the keychain copy as this
   * process last read or wrote it). Needs the key. A finding stops appends until acknowledged.
   */
  verify(): AuditVerification {
    return this.verifyWith(this.anchoring.keychainCopy);
  }

  /** `verify`, reading the keychain copy afresh. */
  async verifyNow(): Promise<AuditVerification> {
    if (this.key === null) throw keyProblemError(this.keyProblem, 'The audit trail cannot be verified: ');
    await this.anchoring.settled();
    return this.verifyWith(await this.keychainAnchor.read());
  }

  private verifyWith(keychain: AnchorReading): AuditVerification {
    if (this.key === null) throw keyProblemError(this.keyProblem, 'The audit trail cannot be verified: ');
    const result = verifyRows(this.key, this.repository.all(), { file: this.anchor.read(), keychain }, this.repository.acknowledgements());
    if (!result.ok && this.finding === null) {
      const { ok: _ok, ...finding } = result;
      this.finding = finding;
    }
    return result;
  }

  /** JSON lines, oldest first, with hashes; works without the keychain. A filter exports only the rows it selects. */
  exportJsonLines(filter?: AuditFilter): Generator<string> {
    return auditJsonLines(filter === undefined ? this.repository.all() : this.repository.matching(filter));
  }

  exportCsv(): Generator<string> {
    return auditCsvLines(this.repository.all());
  }

  /**
   * After someone has reviewed a finding (rows cut off, an old database put back, a row edited,
   * a head copy lost or altered): records an `audit.reseal` row describing what was found and
   * why it was accepted, chains it to the table as it now is and re-anchors both head copies.
   * The finding stays visible in the trail as that row (verify reports it as acknowledged); it
   * is not erased. Resolves once the row is anchored.
   */
  async acknowledge(reason: string): Promise<AuditRow> {
    const key = this.key;
    if (key === null) throw keyProblemError(this.keyProblem);
    const finding = this.finding;
    if (finding === null) throw new AppError('CONFLICT', 'The audit trail is intact; there is nothing to acknowledge.', undefined, { key: 'environments.audit.intact' });
    if (finding.problem === 'wrong-key') throw new AppError('AUDIT_UNAVAILABLE', `${finding.message} Restore the original key to continue.`, undefined, { key: `environments.audit.restoreKey.${finding.text.variant}`, params: finding.text.params });
    if (reason.trim().length === 0) throw new AppError('INVALID_INPUT', 'Say why the audit trail finding is being acknowledged.', undefined, { key: 'environments.audit.reasonNeeded' });
    const fileReading = this.anchor.read();
    const keychainReading = this.anchoring.keychainCopy;
    const summary = (reading: AnchorReading) => (reading.kind === 'present' ? { seq: reading.anchor.seq, hash: reading.anchor.hash } : null);
    // Accept the table as it is now; the row below is what records that decision.
    this.finding = null;
    this.head = this.repository.head();
    this.anchoring.reset(this.head, keychainReading);
    try {
      const { entry, detailsJson } = parseAuditEntry({
        action: resealAction,
        target: 'audit-trail',
        outcome: 'success',
        details: {
          problem: finding.problem,
          atSeq: finding.atSeq,
          finding: finding.message,
          reason,
          previousHead: summary(fileReading),
          previousKeychainHead: summary(keychainReading),
        },
      });
      const row = this.appendValid(entry, detailsJson);
      await this.acknowledged(row);
      return row;
    } catch (error) {
      this.finding = finding;
      throw error;
    }
  }

  private checkHead(key: KeyObject): void {
    this.head = this.repository.head();
    this.finding = checkAnchors(key, { file: this.anchor.read(), keychain: this.anchoring.keychainCopy }, this.head, (seq) => this.repository.hashAt(seq));
  }

  /** Throws AUDIT_UNAVAILABLE unless a row could be appended right now. */
  private prepareToWrite(): KeyObject {
    if (this.key === null) throw keyProblemError(this.keyProblem);
    if (this.finding !== null) throw brokenError(this.finding);
    if (this.anchoring.failure !== null) {
      // Try again in the background; this row is refused, a later one goes through once it works.
      this.anchoring.retry();
      throw anchorFailureError(this.anchoring.failure);
    }
    return this.key;
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

function isSeqConflict(error: unknown): boolean {
  return error instanceof Error && error.message.includes('audit trail seq must follow the head');
}
