import { h, type Ref, type VNodeChild } from 'vue';
import type { PodRowView } from '../../../../shared/contract/pods.ts';
import type { AnchoredQuestion } from '../common/AnchoredConfirm.vue';
import { cutShortTip } from '../common/cut-short-tip.ts';
import type { TableColumn } from '../common/virtual-table.ts';
import PodPendingCause from './PodPendingCause.vue';
import PodCrashCause from './PodCrashCause.vue';
import { podRowActions } from './pod-row-actions.ts';
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
  /** The table's one pop-confirm (AnchoredConfirm). */
  readonly ask: (question: AnchoredQuestion) => void;
  /** The table's one tooltip (AnchoredTip): above `element`, or hidden. */
  readonly showTip: (element: HTMLElement, text: string) => void;
  readonly hideTip: () => void;
}

/** The table's columns, and what an open row's expand panel shows. */
export interface PodColumns {
  readonly cells: readonly TableColumn<PodRowView>[];
  readonly expand: (row: PodRowView) => VNodeChild;
}

/** Rows with an explanation to open: Pending pods (likely causes) and crash-looping ones (how the last run ended). */
export function hasCause(row: PodRowView): boolean {
  return row.isPending || row.crashLoop !== undefined;
}

/**
 * The Pod List's columns: kubectl's NAME, STATUS (coloured), READY, RESTARTS, AGE, NODE, then actions.
 * A row is plain elements, since a fast scroll mounts every row in view on each frame: names cut
 * short by CSS (the full name in the table's tooltip, measured only when the pointer enters), the
 * status a tag drawn as naive-ui's NTag from the colours PodTable sets, the actions plain buttons
 * (pod-row-actions.ts). The expand panel opens for Pending pods (the spec); a crash loop gets its
 * explanation there too.
 */
export function podColumns(context: PodColumnsContext): PodColumns {
  const { t } = context;
  const texts = { viewCause: t('podList.viewCause'), hideCause: t('podList.hideCause'), restart: t('podList.restart'), forceDelete: t('podList.forceDelete') };
  const textCell = cutShortTip(context.showTip, context.hideTip);
  const expand = (row: PodRowView): VNodeChild =>
    row.crashLoop && !row.isPending
      ? h(PodCrashCause, { pod: row.name, facts: row.crashLoop, onPreviousLogs: () => context.previousLogs(row.name, row.crashLoop?.container ?? '') })
      : h(PodPendingCause, { serviceId: context.serviceId, pod: row.name, disabledReason: context.disabledReason, busy: context.busy.has(row.name), onForceDelete: () => context.forceDelete(row.name) });
  const cells: TableColumn<PodRowView>[] = [
    { key: 'name', title: t('podList.columns.name'), minWidth: 180, render: (row) => h('span', { class: 'virtual-table-text', ...textCell }, row.name) },
    {
      key: 'displayStatus',
      title: t('podList.columns.status'),
      width: 150,
      render: (row) => h('span', { class: `small-tag small-tag--${podTagType(row.statusTone)}`, 'data-testid': 'pod-status', 'data-tone': row.statusTone }, row.displayStatus),
    },
    { key: 'ready', title: t('podList.columns.ready'), width: 64, render: (row) => row.ready },
    { key: 'restarts', title: t('podList.columns.restarts'), width: 80, render: (row) => String(row.restarts) },
    { key: 'createdAt', title: t('podList.columns.age'), width: 70, render: (row) => h('time', { datetime: row.createdAt ?? '', title: row.createdAt ?? '' }, podAge(row.createdAt, context.now)) },
    {
      key: 'node',
      title: t('podList.columns.node'),
      width: 130,
      render: (row) => (row.node === null ? h('span', { class: 'virtual-table-text virtual-table-muted', ...textCell }, t('podList.noNode')) : h('span', { class: 'virtual-table-text', ...textCell }, row.node)),
    },
    {
      key: 'actions',
      title: t('podList.columns.actions'),
      width: 270,
      render: (row) =>
        podRowActions({
          row,
          texts,
          disabledReason: context.disabledReason,
          busy: context.busy.has(row.name),
          expanded: context.expanded.value.includes(row.uid),
          onRestart: (anchor: HTMLElement) => context.ask({ anchor, positiveText: texts.restart, text: t('podList.restartConfirm', { pod: row.name }), run: () => context.restart(row.name) }),
          onForceDelete: (anchor: HTMLElement) => context.ask({ anchor, positiveText: texts.forceDelete, text: t('podList.forceDeleteConfirm', { pod: row.name }), run: () => context.forceDelete(row.name) }),
          onToggleCause: () => context.toggle(row.uid),
          // NTooltip's `disabled` when the reason is empty: the action stays disabled, without a tooltip
          onReason: (anchor: HTMLElement | null) => (anchor !== null && context.disabledReason ? context.showTip(anchor, context.disabledReason) : context.hideTip()),
        }),
    },
  ];
  return { cells, expand };
}
