import { h, type Ref } from 'vue';
import { NTag, NText, type DataTableColumns } from 'naive-ui';
import type { PodRowView } from '../../../../shared/contract/pods.ts';
import PodPendingCause from './PodPendingCause.vue';
import PodCrashCause from './PodCrashCause.vue';
import PodRowActions from './PodRowActions.vue';
import { podAge, podTagType } from './pod-format.ts';

export interface PodColumnsContext {
  readonly t: (key: string, values?: Record<string, unknown>) => string;
  readonly serviceId: string;
  readonly now: number;
  readonly disabledReason: string | null | undefined;
  readonly busy: ReadonlySet<string>;
  readonly expanded: Ref<string[]>;
  readonly toggle: (uid: string) => void;
  readonly restart: (pod: string) => void;
  readonly forceDelete: (pod: string) => void;
  readonly previousLogs: (pod: string, container: string) => void;
}

/** Rows with an explanation to open: Pending pods (likely causes) and crash-looping ones (how the last run ended). */
export function hasCause(row: PodRowView): boolean {
  return row.isPending || row.crashLoop !== undefined;
}

/** The Pod List's columns: kubectl's NAME, STATUS (coloured), READY, RESTARTS, AGE, NODE, then actions. */
export function podColumns(context: PodColumnsContext): DataTableColumns<PodRowView> {
  const { t } = context;
  return [
    {
      type: 'expand',
      // The spec: the expand row opens for Pending pods; a crash loop gets its explanation there too.
      expandable: hasCause,
      renderExpand: (row) =>
        row.crashLoop && !row.isPending
          ? h(PodCrashCause, { pod: row.name, facts: row.crashLoop, onPreviousLogs: () => context.previousLogs(row.name, row.crashLoop?.container ?? '') })
          : h(PodPendingCause, { serviceId: context.serviceId, pod: row.name, disabledReason: context.disabledReason, busy: context.busy.has(row.name), onForceDelete: () => context.forceDelete(row.name) }),
    },
    { key: 'name', title: t('podList.columns.name'), minWidth: 180, ellipsis: { tooltip: true } },
    {
      key: 'displayStatus',
      title: t('podList.columns.status'),
      width: 150,
      render: (row) =>
        h(NTag, { type: podTagType(row.statusTone), size: 'small', bordered: false, 'data-testid': 'pod-status', 'data-tone': row.statusTone }, () => row.displayStatus),
    },
    { key: 'ready', title: t('podList.columns.ready'), width: 64 },
    { key: 'restarts', title: t('podList.columns.restarts'), width: 80 },
    { key: 'createdAt', title: t('podList.columns.age'), width: 70, render: (row) => h('time', { datetime: row.createdAt ?? '', title: row.createdAt ?? '' }, podAge(row.createdAt, context.now)) },
    { key: 'node', title: t('podList.columns.node'), width: 130, ellipsis: { tooltip: true }, render: (row) => row.node ?? h(NText, { depth: 3 }, () => t('podList.noNode')) },
    {
      key: 'actions',
      title: t('podList.columns.actions'),
      width: 270,
      render: (row) =>
        h(PodRowActions, {
          row,
          disabledReason: context.disabledReason,
          busy: context.busy.has(row.name),
          expanded: context.expanded.value.includes(row.uid),
          onRestart: () => context.restart(row.name),
          onForceDelete: () => context.forceDelete(row.name),
          onToggleCause: () => context.toggle(row.uid),
        }),
    },
  ];
}
