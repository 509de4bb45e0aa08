import { computed, h } from 'vue';
import { useI18n } from 'vue-i18n';
import { NButton, NSpace, NTag, NText, type DataTableColumns } from 'naive-ui';
import type { ServiceRow } from '../../../shared/contract/catalog.ts';
import ServiceStatusTag from '../components/services/ServiceStatusTag.vue';

export interface ServiceRowActions {
  favourite(row: ServiceRow): void;
  operate(row: ServiceRow): void;
  unregister(row: ServiceRow): void;
}

/** Service Management's columns: favourite star, identity, where it runs, status and the Operate stage. */
export function useServiceColumns(actions: ServiceRowActions) {
  const { t } = useI18n();
  return computed<DataTableColumns<ServiceRow>>(() => [
    {
      key: 'favourite',
      title: '',
      width: 48,
      render: (row) =>
        h(
          NButton,
          {
            text: true,
            'aria-label': row.favourite ? t('services.unfavourite') : t('services.favourite'),
            title: row.favourite ? t('services.unfavourite') : t('services.favourite'),
            class: row.favourite ? 'star on' : 'star',
            'data-testid': 'service-favourite',
            'data-favourite': String(row.favourite),
            onClick: () => actions.favourite(row),
          },
          () => (row.favourite ? '★' : '☆'),
        ),
    },
    {
      key: 'name',
      title: t('services.columns.name'),
      render: (row) =>
        h(NSpace, { size: 6, align: 'center', wrap: false }, () => [
          h(NText, { strong: true, class: 'service-name', 'data-testid': 'service-name' }, () => row.name),
          row.source === 'manual' ? h(NTag, { size: 'small', bordered: false }, () => t('services.manual')) : null,
        ]),
    },
    {
      key: 'environment',
      title: t('services.columns.environment'),
      render: (row) =>
        h(NSpace, { size: 6, align: 'center', wrap: false }, () => [
          h('span', { class: 'environment-name' }, row.environmentName),
          row.production ? h(NTag, { size: 'small', type: 'error', bordered: false }, () => t('services.production')) : null,
        ]),
    },
    { key: 'runtime', title: t('services.columns.runtime'), width: 120, render: (row) => h('span', { 'data-testid': 'service-runtime' }, t(`services.runtime.${row.runtime}`)) },
    { key: 'namespace', title: t('services.columns.namespace'), width: 130, render: (row) => row.namespace ?? h(NText, { depth: 3 }, () => '—') },
    { key: 'status', title: t('services.columns.status'), width: 210, render: (row) => h(ServiceStatusTag, { row }) },
    {
      key: 'actions',
      title: t('services.columns.actions'),
      width: 170,
      render: (row) =>
        h(NSpace, { size: 6, wrap: false }, () => [
          h(NButton, { size: 'small', type: 'primary', 'data-testid': 'service-operate', onClick: () => actions.operate(row) }, () => t('services.operate')),
          row.source === 'manual'
            ? h(NButton, { size: 'small', quaternary: true, 'data-testid': 'service-unregister', onClick: () => actions.unregister(row) }, () => t('services.unregister'))
            : null,
        ]),
    },
  ]);
}
