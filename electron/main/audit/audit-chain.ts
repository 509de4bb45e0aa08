import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import { auditProblems, type AuditProblem } from '../../../shared/contract/audit.ts';
import { auditColumns, type StoredAuditRow } from './audit-row.ts';

/**
 * Pure chain arithmetic: how a row and the head anchor are sealed with the audit key, and how
 * a sequence of stored rows is judged. No I/O here, so every tamper case is unit-testable.
 */

/** prev_hash of row 1. */
export const genesisHash = '0'.repeat(64);

export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
}

export const emptyHead: AuditHead = { seq: 0, hash: genesisHash };

// declared in the contract so the Audit Log page can name each problem in its own language
export { auditProblems, type AuditProblem };


export interface AuditFinding {
  readonly problem: AuditProblem;
  readonly atSeq: number;
  readonly message: string;
  /** `message` as a variant of `environments.audit.broken.*` and its parameters, for the error that quotes it. */
  readonly text: AuditFindingText;
}

export interface AuditFindingText {
  readonly variant: string;
  readonly params: Readonly<Record<string, number | string>>;
}

const said = (variant: string, params: Readonly<Record<string, number | string>> = {}): AuditFindingText => ({ variant, params });

/** The HMAC key: a KeyObject built once when the key is loaded (a Buffer is rebuilt per HMAC). */
export type AuditKey = KeyObject | Buffer;

export type AuditVerification =
  | {
      readonly ok: true;
      readonly rows: number;
      readonly headSeq: number;
      readonly anchorSeq: number;
      readonly resealedAt: readonly number[];
      /** Findings an operator acknowledged (an `audit.reseal` row names each); verification went on past them. */
      readonly acknowledged: readonly AuditFinding[];
    }
  | ({ readonly ok: false } & AuditFinding);

/** Both copies of the head: the file next to the database and the monotonic one in the OS keychain. */
export interface AnchorReadings {
  readonly file: AnchorReading;
  readonly keychain: AnchorReading;
}

/** How an `audit.reseal` row names the finding it acknowledged. */
export function acknowledgementKey(problem: string, atSeq: number): string {
  return `${problem}@${atSeq}`;
}

function hmacHex(key: AuditKey, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A short public name for a key, so a trail can say "written with another key" without revealing it. */
export function auditKeyId(key: AuditKey): string {
  return hmacHex(key, 'kiops-audit-key-id').slice(0, 16);
}

/**
 * HMAC over every column but `hash`, in a fixed order, with a domain tag. `seq` is inside so
 * renumbering rows breaks them; `details` is hashed as the stored text, so no JSON
 * canonicalization question arises.
 */
export function auditRowHash(key: AuditKey, row: StoredAuditRow, seqOverride?: number): string {
  const values = auditColumns.map((column) => (column === 'seq' && seqOverride !== undefined ? seqOverride : row[column]));
  return hmacHex(key, JSON.stringify(['kiops-audit-row/1', ...values]));
}

/** The head as written to `audit-head.json`, signed so it cannot be rewound or forged without the key. */
export interface SignedAnchor {
  readonly format: 'kiops-audit-head/1';
  readonly seq: number;
  readonly hash: string;
  readonly keyId: string;
  readonly writtenAt: string;
  readonly mac: string;
}

function anchorMac(key: AuditKey, anchor: Omit<SignedAnchor, 'mac'>): string {
  return hmacHex(key, JSON.stringify([anchor.format, anchor.seq, anchor.hash, anchor.keyId, anchor.writtenAt]));
}

export function signAnchor(key: AuditKey, head: AuditHead, writtenAt: string): SignedAnchor {
  const unsigned = { format: 'kiops-audit-head/1', seq: head.seq, hash: head.hash, keyId: auditKeyId(key), writtenAt } as const;
  return { ...unsigned, mac: anchorMac(key, unsigned) };
}

export type AnchorReading =
  | { readonly kind: 'absent' }
  | { readonly kind: 'unreadable'; readonly message: string }
  | { readonly kind: 'present'; readonly anchor: SignedAnchor };

/**
 * Compares the head file with the table. `hashAt` looks up a stored row hash by seq. The anchor
 * may trail the table: rows are committed first and anchored after, a group at a time, so a
 * crash leaves the unacknowledged rows of the last group unanchored (they are still chained and
 * signed; only their completeness is unconfirmed, and nobody was told they were recorded). An
 * anchor ahead of the table means rows were cut off the end.
 */
export function checkAnchor(
  key: AuditKey,
  reading: AnchorReading,
  head: AuditHead,
  hashAt: (seq: number) => string | null,
): AuditFinding | null {
  if (reading.kind === 'absent') {
    if (head.seq <= 1) return null;
    return {
      problem: 'anchor-missing',
      atSeq: head.seq,
      message: `The audit head file is missing although the trail has ${head.seq} rows; rows cut from the end could not be noticed.`,
      text: said('headFileMissing', { rows: head.seq }),
    };
  }
  if (reading.kind === 'unreadable') return { problem: 'anchor-invalid', atSeq: head.seq, message: `The audit head file is unreadable: ${reading.message}`, text: said('headFileUnreadable', { detail: reading.message }) };
  const anchor = reading.anchor;
  if (anchor.keyId !== auditKeyId(key)) {
    return {
      problem: 'wrong-key',
      atSeq: 0,
      message: `The trail was sealed with another audit key (${anchor.keyId}) than the one in the OS keychain (${auditKeyId(key)}); it cannot be verified with this key.`,
      text: said('wrongKey', { sealedKey: anchor.keyId, currentKey: auditKeyId(key) }),
    };
  }
  const { mac, ...unsigned } = anchor;
  if (!sameHash(mac, anchorMac(key, unsigned))) {
    return { problem: 'anchor-invalid', atSeq: anchor.seq, message: 'The audit head file was altered: its signature does not match.', text: said('headFileAltered') };
  }
  if (anchor.seq > head.seq) {
    return {
      problem: 'truncated',
      atSeq: head.seq + 1,
      message: `Rows ${head.seq + 1}–${anchor.seq} were cut from the end of the trail (the head file records row ${anchor.seq}, the table ends at ${head.seq}).`,
      text: said('headFileCut', { first: head.seq + 1, last: anchor.seq, tableEnd: head.seq }),
    };
  }
  const stored = anchor.seq === 0 ? genesisHash : hashAt(anchor.seq);
  if (stored === null || !sameHash(stored, anchor.hash)) {
    return { problem: 'anchor-mismatch', atSeq: anchor.seq, message: `Row ${anchor.seq} is not the row the head file recorded; the end of the trail was replaced.`, text: said('headFileReplaced', { row: anchor.seq }) };
  }
  return null;
}

/**
 * Compares the keychain anchor with the table, then the head file with both. The keychain copy
 * is the authority on length: restoring an old database (with or without its head file),
 * cutting rows or emptying the table leaves the table shorter than the keychain says. "Key
 * present, no keychain anchor" is tampering too: the anchor is written when the key is made.
 */
export function checkAnchors(key: AuditKey, readings: AnchorReadings, head: AuditHead, hashAt: (seq: number) => string | null): AuditFinding | null {
  const keychain = readings.keychain;
  if (keychain.kind === 'absent') {
    return {
      problem: 'anchor-missing',
      atSeq: head.seq,
      message:
        head.seq === 0
          ? 'The audit key is in the OS keychain but the trail is empty and its keychain anchor is gone: the trail was emptied or replaced.'
          : `The keychain copy of the audit head is missing although the trail has ${head.seq} rows; rows cut from the end could not be noticed.`,
      text: head.seq === 0 ? said('keychainEmptied') : said('keychainMissing', { rows: head.seq }),
    };
  }
  if (keychain.kind === 'unreadable') {
    return { problem: 'anchor-invalid', atSeq: head.seq, message: `The keychain copy of the audit head is unreadable: ${keychain.message}`, text: said('keychainUnreadable', { detail: keychain.message }) };
  }
  const anchor = keychain.anchor;
  if (anchor.keyId === auditKeyId(key)) {
    const { mac, ...unsigned } = anchor;
    if (!sameHash(mac, anchorMac(key, unsigned))) {
      return { problem: 'anchor-invalid', atSeq: anchor.seq, message: 'The keychain copy of the audit head was altered: its signature does not match.', text: said('keychainAltered') };
    }
    if (anchor.seq > head.seq) {
      return {
        problem: 'truncated',
        atSeq: head.seq + 1,
        message:
          head.seq === 0
            ? `The trail is empty, but the OS keychain records ${anchor.seq} rows: the trail was emptied or an older copy of the database was put back.`
            : `Rows ${head.seq + 1}–${anchor.seq} are missing: the OS keychain records row ${anchor.seq}, the table ends at ${head.seq} (rows were cut, or an older copy of the database was put back).`,
        text: head.seq === 0 ? said('keychainTrailEmptied', { rows: anchor.seq }) : said('keychainCut', { first: head.seq + 1, last: anchor.seq, tableEnd: head.seq }),
      };
    }
    const stored = anchor.seq === 0 ? genesisHash : hashAt(anchor.seq);
    if (stored === null || !sameHash(stored, anchor.hash)) {
      return { problem: 'anchor-mismatch', atSeq: anchor.seq, message: `Row ${anchor.seq} is not the row the OS keychain recorded; the trail was replaced.`, text: said('keychainReplaced', { row: anchor.seq }) };
    }
  }
  const fileFinding = checkAnchor(key, readings.file, head, hashAt);
  if (fileFinding !== null) return fileFinding;
  if (anchor.keyId !== auditKeyId(key)) return checkAnchor(key, keychain, head, hashAt);
  // The file is written before the keychain in each group, so it is never legitimately behind it.
  if (readings.file.kind === 'present' && readings.file.anchor.seq < anchor.seq) {
    return {
      problem: 'anchor-behind',
      atSeq: readings.file.anchor.seq + 1,
      message: `The head file records row ${readings.file.anchor.seq} but the OS keychain records row ${anchor.seq}: an older head file was put back.`,
      text: said('headFileBehind', { fileRow: readings.file.anchor.seq, keychainRow: anchor.seq }),
    };
  }
  return null;
}

/**
 * Walks rows in seq order and reports the first thing wrong. The classification follows
 * what an attacker with the file but not the key can do: change a row (edited), remove rows
 * (deleted; a gap, or later rows renumbered down), swap two rows (reordered), or splice in
 * rows from elsewhere (unlinked).
 */
export function verifyRows(
  key: AuditKey,
  rows: Iterable<StoredAuditRow>,
  readings: AnchorReadings,
  acknowledgements: ReadonlySet<string> = new Set(),
): AuditVerification {
  for (const reading of [readings.file, readings.keychain]) {
    if (reading.kind === 'present' && reading.anchor.keyId !== auditKeyId(key)) {
      // Checked first: with a foreign key every row would look edited, which says nothing useful.
      const finding = checkAnchor(key, reading, emptyHead, () => null);
      if (finding !== null) return { ok: false, ...finding };
    }
  }
  const anchorSeqs = new Set<number>();
  for (const reading of [readings.file, readings.keychain]) if (reading.kind === 'present') anchorSeqs.add(reading.anchor.seq);
  const hashesAtAnchors = new Map<number, string>();
  let head: AuditHead = emptyHead;
  let count = 0;
  const resealedAt: number[] = [];
  const acknowledged: AuditFinding[] = [];
  let pending: StoredAuditRow | undefined;

  const judge = (row: StoredAuditRow, next: StoredAuditRow | undefined): AuditFinding | null => {
    const expected = head.seq + 1;
    if (row.seq !== expected) {
      const seq = typeof row.seq === 'number' ? row.seq : NaN;
      const several = seq - 1 > expected;
      const missing = several ? `Rows ${expected}–${seq - 1} are` : `Row ${expected} is`;
      const text = several ? said('rowsMissing', { first: expected, last: seq - 1 }) : said('rowMissing', { row: expected });
      return { problem: 'deleted', atSeq: expected, message: `${missing} missing from the trail.`, text };
    }
    if (!sameHash(String(row.hash), auditRowHash(key, row))) {
      if (sameHash(String(row.hash), auditRowHash(key, row, expected + 1))) {
        if (next !== undefined && sameHash(String(next.hash), auditRowHash(key, next, expected))) {
          return { problem: 'reordered', atSeq: expected, message: `Rows ${expected} and ${expected + 1} were swapped.`, text: said('swapped', { row: expected, next: expected + 1 }) };
        }
        return { problem: 'deleted', atSeq: expected, message: `Row ${expected} was removed and the rows after it renumbered.`, text: said('renumbered', { row: expected }) };
      }
      return { problem: 'edited', atSeq: expected, message: `Row ${expected} was changed after it was recorded.`, text: said('edited', { row: expected }) };
    }
    if (!sameHash(String(row.prev_hash), head.hash)) {
      return { problem: 'unlinked', atSeq: expected, message: `Row ${expected} does not follow row ${head.seq}; rows were replaced or spliced in.`, text: said('unlinked', { row: expected, previous: head.seq }) };
    }
    return null;
  };

  const accept = (row: StoredAuditRow): void => {
    head = { seq: Number(row.seq), hash: String(row.hash) };
    count += 1;
    if (anchorSeqs.has(head.seq)) hashesAtAnchors.set(head.seq, head.hash);
    if (row.action === 'audit.reseal') resealedAt.push(head.seq);
  };

  // A finding an operator acknowledged (audit.reseal names it) is reported and passed: the row is
  // taken as stored and the walk goes on, so later tampering is not hidden behind it.
  const settle = (row: StoredAuditRow, next: StoredAuditRow | undefined): AuditFinding | null => {
    const finding = judge(row, next);
    if (finding !== null) {
      if (!acknowledgements.has(acknowledgementKey(finding.problem, finding.atSeq))) return finding;
      acknowledged.push(finding);
    }
    accept(row);
    return null;
  };

  for (const row of rows) {
    if (pending !== undefined) {
      const finding = settle(pending, row);
      if (finding !== null) return { ok: false, ...finding };
    }
    pending = row;
  }
  if (pending !== undefined) {
    const finding = settle(pending, undefined);
    if (finding !== null) return { ok: false, ...finding };
  }

  const anchorFinding = checkAnchors(key, readings, head, (seq) => hashesAtAnchors.get(seq) ?? null);
  if (anchorFinding !== null) return { ok: false, ...anchorFinding };
  const keychainSeq = readings.keychain.kind === 'present' ? readings.keychain.anchor.seq : 0;
  return { ok: true, rows: count, headSeq: head.seq, anchorSeq: keychainSeq, resealedAt, acknowledged };
}
