import { computed, h } from 'vue';
import { storeToRefs } from 'pinia';
import { useI18n } from 'vue-i18n';
import { NTag, NText, type DataTableColumns } from 'naive-ui';
import type { AuditRowView } from '../../../shared/contract/audit.ts';
import { outcomeTagType } from '../audit/outcome.ts';
import { formatDateTime } from '../shell/date-time.ts';
import { usePreferencesStore } from '../stores/preferences.ts';

/** The Audit Log table's columns, labelled and formatted in the current language. */
export function useAuditLogColumns() {
  const { t } = useI18n();
  const { locale } = storeToRefs(usePreferencesStore());

  return computed<DataTableColumns<AuditRowView>>(() => [
    { key: 'seq', title: t('audit.columns.seq'), width: 72 },
    {
      key: 'at',
      title: t('audit.columns.at'),
      width: 180,
      // the UTC instant on hover: rows are compared across machines and time zones
      render: (row) => h('time', { datetime: row.at, title: row.at }, formatDateTime(row.at, locale.value)),
    },
    { key: 'actor', title: t('audit.columns.actor'), width: 120, ellipsis: { tooltip: true } },
    {
      key: 'environment',
      title: t('auditPage.environment'),
      width: 150,
      ellipsis: { tooltip: true },
      // the same container on a laptop engine and on an SSH host differ here
      render: (row) =>
        row.environmentId === undefined
          ? h(NText, { depth: 3 }, () => '—')
          : h('span', { 'data-testid': 'audit-row-environment' }, row.environmentName ?? t('auditPage.environmentRemoved')),
    },
    { key: 'action', title: t('audit.columns.action'), width: 170, ellipsis: { tooltip: true } },
    { key: 'target', title: t('audit.columns.target'), ellipsis: { tooltip: true } },
    {
      key: 'outcome',
      title: t('audit.columns.outcome'),
      width: 100,
      render: (row) =>
        h(NTag, { type: outcomeTagType(row.outcome), size: 'small', bordered: false, 'data-outcome': row.outcome }, () =>
          t(`audit.outcome.${row.outcome}`),
        ),
    },
    {
      key: 'error',
      title: t('audit.columns.error'),
      ellipsis: { tooltip: true },
      render: (row) => (row.error ? h(NText, { type: 'error' }, () => row.error) : h(NText, { depth: 3 }, () => '—')),
    },
  ]);
}
