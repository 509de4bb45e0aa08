import { AppError } from '../../../shared/errors.ts';
import { causeParams } from '../../../shared/message-params.ts';
import type { AuditAnchorFile } from './audit-anchor-file.ts';
import { emptyHead, type AnchorReading, type AuditHead, type SignedAnchor } from './audit-chain.ts';
import type { AuditKeychainAnchor } from './audit-keychain-anchor.ts';

interface Waiter {
  readonly seq: number;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Group commit for the chain's head. Rows are committed to SQLite one by one (each commit is
 * durable on its own); anchoring them — the signed head file, then the keychain copy — is shared
 * by every row committed while the previous anchor write was in flight. A row is acknowledged
 * (its `whenAnchored` resolves) only once both copies cover it, so no acknowledged row can be
 * cut off unnoticed. Rows committed but not yet anchored when the app dies are still chained
 * and signed; only they could be cut off unnoticed, and nobody was told they were recorded.
 */
export class AuditAnchoring {
  private readonly file: AuditAnchorFile;
  private readonly keychain: AuditKeychainAnchor;
  private readonly sign: (head: AuditHead) => SignedAnchor;
  private readonly onProblem: (where: string, error: unknown) => void;
  private anchoredHead: AuditHead = emptyHead;
  private target: AuditHead = emptyHead;
  private keychainReading: AnchorReading = { kind: 'absent' };
  private waiters: Waiter[] = [];
  private running: Promise<void> | null = null;
  private lastFailure: unknown = null;

  constructor(options: {
    file: AuditAnchorFile;
    keychain: AuditKeychainAnchor;
    sign: (head: AuditHead) => SignedAnchor;
    onProblem: (where: string, error: unknown) => void;
  }) {
    this.file = options.file;
    this.keychain = options.keychain;
    this.sign = options.sign;
    this.onProblem = options.onProblem;
  }

  /** The head both copies agree on, as last written or read. */
  get anchored(): AuditHead {
    return this.anchoredHead;
  }

  /** The keychain copy as this process last read or wrote it (verify compares the table with it). */
  get keychainCopy(): AnchorReading {
    return this.keychainReading;
  }

  /** Why the last anchor write failed, or null. */
  get failure(): unknown {
    return this.lastFailure;
  }

  /** After open or an acknowledgement: what is on disk and in the keychain now. */
  reset(anchored: AuditHead, keychain: AnchorReading): void {
    this.anchoredHead = anchored;
    this.target = anchored;
    this.keychainReading = keychain;
  }

  /** Writes both copies now (a new trail's seq 0, an adopted head, an acknowledgement). */
  async writeNow(head: AuditHead): Promise<void> {
    const signed = this.sign(head);
    await this.file.writeAsync(signed);
    await this.keychain.write(signed);
    this.keychainReading = { kind: 'present', anchor: signed };
    this.anchoredHead = head;
  }

  /** A row was committed (each one after the last): it joins the next group. */
  committed(head: AuditHead): void {
    this.target = head;
  }

  /** Resolves once the row numbered `seq` is covered by both copies; rejects if they cannot be written. */
  whenAnchored(seq: number): Promise<void> {
    if (seq <= this.anchoredHead.seq) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ seq, resolve, reject });
      this.kick();
    });
  }

  /** Starts a group unless one is running; the running one picks up whatever arrives meanwhile. */
  kick(): void {
    if (this.running !== null) return;
    this.running = this.run().finally(() => {
      this.running = null;
      // A waiter that arrived after the last check of the loop must not be stranded.
      if (this.lastFailure === null && this.waiters.some((waiter) => waiter.seq > this.anchoredHead.seq)) this.kick();
    });
  }

  /** After a failed write: try the pending group again in the background. */
  retry(): void {
    this.kick();
  }

  /** Waits until nothing is pending (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.running !== null) await this.running;
  }

  private async run(): Promise<void> {
    // Let the rows of this turn of the event loop join the group before the first write.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.anchoredHead.seq !== this.target.seq || this.anchoredHead.hash !== this.target.hash) {
      const head = this.target;
      try {
        await this.writeNow(head);
        this.lastFailure = null;
      } catch (error) {
        this.lastFailure = error;
        this.onProblem('audit head', error);
        const failed = this.waiters;
        this.waiters = [];
        const detail = error instanceof Error ? error.message : String(error);
        const reason = new AppError(
          'AUDIT_UNAVAILABLE',
          `The audit head could not be written (${detail}), so the row is not tamper-evident; KIOPS Desktop refuses actions until it can.`,
          undefined,
          { key: 'environments.audit.headNotWritten', params: causeParams('detail', error) },
        );
        for (const waiter of failed) waiter.reject(reason);
        return;
      }
      const done = this.waiters.filter((waiter) => waiter.seq <= head.seq);
      this.waiters = this.waiters.filter((waiter) => waiter.seq > head.seq);
      for (const waiter of done) waiter.resolve();
    }
  }
}
