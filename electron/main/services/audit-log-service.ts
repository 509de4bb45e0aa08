import type { AuditFilter as AuditFilterInput, AuditRowView, AuditVerification as AuditVerificationView } from '../../../shared/contract/audit.ts';
import type { AuditFilter } from '../audit/audit-query.ts';
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

/** An environment as the Audit Log names it; rows keep the id, the name is looked up when shown. */
export interface AuditEnvironmentName {
  readonly id: string;
  readonly name: string;
}

export function toAuditRowView(row: AuditRow, environmentName?: string): AuditRowView {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    ...(row.actorIdentity === null ? {} : { actorIdentity: row.actorIdentity }),
    ...(row.environmentId === null ? {} : { environmentId: row.environmentId }),
    ...(environmentName === undefined ? {} : { environmentName }),
    action: row.action,
    target: row.target,
    outcome: row.outcome,
    ...(row.error === null ? {} : { error: row.error }),
    details: row.details,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

type AuditCalls = Pick<CallHandlers, 'audit.list' | 'audit.verify' | 'audit.acknowledge' | 'audit.export'>;
type AuditStreams = Pick<StreamHandlers, 'audit.appended'>;

export interface AuditLogOptions {
  /** The environments that exist now, to name rows and to let text find rows by environment name. */
  readonly environments?: () => readonly AuditEnvironmentName[];
  readonly now?: () => Date;
}

/** The Audit Log page's calls: read (filtered in SQL), verify and export the trail, and follow new rows. */
export function auditLogHandlers(trail: AuditTrail, feed: AuditFeed, options: AuditLogOptions = {}): AuditCalls & AuditStreams {
  const now = options.now ?? (() => new Date());
  const names = (): Map<string, string> => new Map((options.environments?.() ?? []).map((env) => [env.id, env.name]));
  const view = (row: AuditRow, known: Map<string, string>) => toAuditRowView(row, row.environmentId === null ? undefined : known.get(row.environmentId));
  const filterOf = (input: AuditFilterInput, known: Map<string, string>): AuditFilter => {
    const text = input.text?.toLowerCase();
    const textEnvironmentIds = text === undefined ? [] : [...known].filter(([, name]) => name.toLowerCase().includes(text)).map(([id]) => id);
    return { ...definedOnly(input), ...(textEnvironmentIds.length === 0 ? {} : { textEnvironmentIds }) };
  };
  return {
    'audit.list': ({ limit, beforeSeq, ...filter }) => {
      const known = names();
      const rows = trail.list({ ...filterOf(filter, known), limit: limit + 1, ...(beforeSeq === undefined ? {} : { beforeSeq }) });
      return { rows: rows.slice(0, limit).map((row) => view(row, known)), hasMore: rows.length > limit };
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
    'audit.export': (filter) => {
      const selected = filterOf(filter, names());
      return {
        fileName: `kiops-audit-${Object.keys(filter).length === 0 ? '' : 'filtered-'}${now().toISOString().replaceAll(':', '-')}.jsonl`,
        jsonLines: [...trail.exportJsonLines(Object.keys(selected).length === 0 ? undefined : selected)].join(''),
      };
    },
    'audit.appended': (_input, { emit, signal }) =>
      new Promise<void>((resolve) => {
        const stop = feed.listen((row) => emit(view(row, names())));
        signal.addEventListener('abort', () => {
          stop();
          resolve();
        });
      }),
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
