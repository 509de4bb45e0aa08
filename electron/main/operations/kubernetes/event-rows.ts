import type { CoreV1Event } from '@kubernetes/client-node';
import { isoTime } from './kubernetes-access.ts';

/** One Kubernetes event as the expand row and the Overview show it. */
export interface KubeEventRow {
  readonly uid: string;
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly count: number;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  /** "Pod/web-7f9c-abcde", "Deployment/web". */
  readonly object: string;
  readonly source: string;
}

export function toEventRow(event: CoreV1Event): KubeEventRow {
  const lastSeen = isoTime(event.lastTimestamp) ?? isoTime(event.eventTime) ?? isoTime(event.firstTimestamp) ?? isoTime(event.metadata.creationTimestamp);
  return {
    uid: event.metadata.uid ?? `${event.metadata.namespace ?? ''}/${event.metadata.name ?? ''}`,
    type: event.type ?? 'Normal',
    reason: event.reason ?? '',
    message: (event.message ?? '').slice(0, 2000),
    count: event.count ?? event.series?.count ?? 1,
    firstSeen: isoTime(event.firstTimestamp) ?? isoTime(event.eventTime) ?? lastSeen,
    lastSeen,
    object: `${event.involvedObject.kind ?? ''}/${event.involvedObject.name ?? ''}`,
    source: event.source?.component ?? event.reportingComponent ?? '',
  };
}

/** Newest first (by last occurrence), at most `limit`. */
export function newestEvents(events: readonly CoreV1Event[], limit: number): KubeEventRow[] {
  const rows = events.map(toEventRow);
  rows.sort((left, right) => Date.parse(right.lastSeen ?? '') - Date.parse(left.lastSeen ?? '') || right.uid.localeCompare(left.uid));
  return rows.slice(0, limit);
}
