import { h } from 'vue';
import type { AuditRowView } from '../../../../shared/contract/audit.ts';
import { outcomeTagType } from '../../audit/outcome.ts';
import type { Locale } from '../../i18n/index.ts';
import { formatDateTime } from '../../shell/date-time.ts';
import { cutShortTip } from '../common/cut-short-tip.ts';
import type { TableColumn } from '../common/virtual-table.ts';

export interface AuditColumnsContext {
  readonly t: (key: string) => string;
  readonly locale: Locale;
  /** The table's one tooltip (AnchoredTip): above `element`, or hidden. */
  readonly showTip: (element: HTMLElement, text: string) => void;
  readonly hideTip: () => void;
}

/**
 * The Audit Log's columns: seq, time, actor, environment, action, target, outcome, error. A row is
 * plain elements, since "Load more" makes the trail thousands of rows and a fast scroll mounts
 * every row in view on each frame: texts cut short by CSS (the whole text in the table's one
 * tooltip, measured only when the pointer enters), the outcome a tag drawn as naive-ui's NTag
 * from the colours AuditLogTable sets (audit-row-look.ts). The fixed widths and the two shares
 * (target, error) fit the page beside the navigation in a 1,280 px window; below that the table
 * scrolls sideways.
 */
export function auditColumns(context: AuditColumnsContext): TableColumn<AuditRowView>[] {
  const { t, locale } = context;
  const texts = { removed: t('auditPage.environmentRemoved'), outcome: { started: t('audit.outcome.started'), success: t('audit.outcome.success'), failure: t('audit.outcome.failure'), refused: t('audit.outcome.refused') } };
  const textCell = cutShortTip(context.showTip, context.hideTip);
  const text = (value: string, extra: Record<string, unknown> = {}) => h('span', { ...extra, class: ['virtual-table-text', extra.class], ...textCell }, value);
  const none = () => h('span', { class: 'virtual-table-muted' }, '—');
  return [
    { key: 'seq', title: t('audit.columns.seq'), width: 64, render: (row) => String(row.seq) },
    // the UTC instant on hover: rows are compared across machines and time zones
    { key: 'at', title: t('audit.columns.at'), width: 170, render: (row) => h('time', { datetime: row.at, title: row.at }, formatDateTime(row.at, locale)) },
    { key: 'actor', title: t('audit.columns.actor'), width: 110, render: (row) => text(row.actor) },
    {
      key: 'environment',
      title: t('auditPage.environment'),
      width: 140,
      // the same container on a laptop engine and on an SSH host differ here
      render: (row) => (row.environmentId === undefined ? none() : text(row.environmentName ?? texts.removed, { 'data-testid': 'audit-row-environment' })),
    },
    { key: 'action', title: t('audit.columns.action'), width: 160, render: (row) => text(row.action) },
    { key: 'target', title: t('audit.columns.target'), minWidth: 110, render: (row) => text(row.target) },
    {
      key: 'outcome',
      title: t('audit.columns.outcome'),
      width: 96,
      render: (row) => h('span', { class: `small-tag small-tag--${outcomeTagType(row.outcome)}`, 'data-outcome': row.outcome }, texts.outcome[row.outcome]),
    },
    { key: 'error', title: t('audit.columns.error'), minWidth: 110, render: (row) => (row.error ? text(row.error, { class: 'audit-cell-error' }) : none()) },
  ];
}
