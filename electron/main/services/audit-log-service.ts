import type { AuditRowView, AuditVerification as AuditVerificationView } from '../../../shared/contract/audit.ts';
import type { AuditSink } from '../audit/audit-sink.ts';
import type { AuditRow } from '../audit/audit-row.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import type { CallHandlers, StreamHandlers } from '../ipc/router.ts';

/** Fans newly stored rows out to live Audit Log pages; a sink like any other. */
export class AuditFeed implements AuditSink {
  readonly name = 'audit-log-page';
  private readonly listeners = new Set<(row: AuditRow) => void>();

  write(row: AuditRow): void {
    for (const listener of this.listeners) listener(row);
  }

  listen(listener: (row: AuditRow) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export function toAuditRowView(row: AuditRow): AuditRowView {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    ...(row.actorIdentity === null ? {} : { actorIdentity: row.actorIdentity }),
    ...(row.environmentId === null ? {} : { environmentId: row.environmentId }),
    action: row.action,
    target: row.target,
    outcome: row.outcome,
    ...(row.error === null ? {} : { error: row.error }),
    details: row.details,
    hash: row.hash,
  };
}

type AuditCalls = Pick<CallHandlers, 'audit.list' | 'audit.verify' | 'audit.acknowledge' | 'audit.export'>;
type AuditStreams = Pick<StreamHandlers, 'audit.appended'>;

/** The Audit Log page's calls: read, verify and export the trail, and follow new rows. */
export function auditLogHandlers(trail: AuditTrail, feed: AuditFeed, now: () => Date = () => new Date()): AuditCalls & AuditStreams {
  return {
    'audit.list': ({ limit, beforeSeq, action, outcome }) => {
      const rows = trail.list({ limit: limit + 1, beforeSeq, action, outcome });
      return { rows: rows.slice(0, limit).map(toAuditRowView), hasMore: rows.length > limit };
    },
    'audit.verify': async (): Promise<AuditVerificationView> => {
      const result = await trail.verifyNow();
      if (result.ok) {
        const acknowledged = result.acknowledged.length === 0 ? '' : ` ${result.acknowledged.length} acknowledged finding(s) passed: ${result.acknowledged.map((finding) => `${finding.problem} at row ${finding.atSeq}`).join(', ')}.`;
        return { ok: true, rows: result.rows, message: `The audit trail verifies: ${result.rows} rows, chain intact and anchored.${acknowledged}` };
      }
      return { ok: false, rows: 0, problem: result.problem, atSeq: result.atSeq, message: result.message };
    },
    'audit.acknowledge': async ({ reason }) => toAuditRowView(await trail.acknowledge(reason)),
    'audit.export': () => ({
      fileName: `kiops-audit-${now().toISOString().replaceAll(':', '-')}.jsonl`,
      jsonLines: [...trail.exportJsonLines()].join(''),
    }),
    'audit.appended': (_input, { emit, signal }) =>
      new Promise<void>((resolve) => {
        const stop = feed.listen((row) => emit(toAuditRowView(row)));
        signal.addEventListener('abort', () => {
          stop();
          resolve();
        });
      }),
  };
}
