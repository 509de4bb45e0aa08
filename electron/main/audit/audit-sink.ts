import type { AuditRow } from './audit-row.ts';

/**
 * Somewhere else audit rows go once they are durable in the SQLite trail (syslog,
 * OpenTelemetry, a team collector). The SQLite trail is the first sink and the authority: it
 * numbers, chains and persists each row before any other sink sees it, so adding a sink is one
 * adapter implementing this and one line in the composition root.
 *
 * `write` runs synchronously on the recording path: queue and send in the background, never
 * block on the network. A throw is reported to the trail's `onProblem` and does not undo the
 * action or the stored row.
 */
export interface AuditSink {
  readonly name: string;
  write(row: AuditRow): void;
}
