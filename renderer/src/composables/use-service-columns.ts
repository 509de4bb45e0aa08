import { computed, h } from 'vue';
import { useI18n } from 'vue-i18n';
import type { ServiceRow } from '../../../shared/contract/catalog.ts';
import { serviceStatusCell } from '../components/services/service-status-cell.ts';
import type { TableColumn } from '../components/common/virtual-table.ts';

export interface ServiceRowActions {
  favourite(row: ServiceRow): void;
  operate(row: ServiceRow): void;
  unregister(row: ServiceRow): void;
}

type Translate = (key: string, values?: Record<string, unknown>) => string;

/**
 * Service Management's columns: favourite star, identity, where it runs, status and the Operate stage.
 * A row is plain elements (spans and real buttons), drawn as naive-ui's NText, NTag and NButton from
 * the theme values the page sets on the table (service-row-look.ts): a dozen rows of those components
 * took 70–90 ms to mount when the page opened. Labels are translated once per table, not per row.
 */
export function serviceColumns(t: Translate, actions: ServiceRowActions): TableColumn<ServiceRow>[] {
  const texts = {
    favourite: t('services.favourite'),
    unfavourite: t('services.unfavourite'),
    manual: t('services.manual'),
    production: t('services.production'),
    operate: t('services.operate'),
    unregister: t('services.unregister'),
  };
  const runtimes = new Map<string, string>();
  const runtime = (row: ServiceRow): string => {
    let text = runtimes.get(row.runtime);
    if (text === undefined) runtimes.set(row.runtime, (text = t(`services.runtime.${row.runtime}`)));
    return text;
  };
  const tag = (type: string, text: string) => h('span', { class: `small-tag small-tag--${type}` }, text);
  return [
    {
      key: 'favourite',
      title: '',
      width: 48,
      render: (row) => {
        const label = row.favourite ? texts.unfavourite : texts.favourite;
        return h(
          'button',
          {
            type: 'button',
            'aria-label': label,
            title: label,
            class: row.favourite ? 'svc-star on' : 'svc-star',
            'data-testid': 'service-favourite',
            'data-favourite': String(row.favourite),
            onClick: () => actions.favourite(row),
          },
          row.favourite ? '★' : '☆',
        );
      },
    },
    {
      key: 'name',
      title: t('services.columns.name'),
      render: (row) =>
        h('div', { class: 'svc-cell' }, [
          h('span', { class: 'service-name', 'data-testid': 'service-name' }, row.name),
          row.source === 'manual' ? tag('default', texts.manual) : null,
        ]),
    },
    {
      key: 'environment',
      title: t('services.columns.environment'),
      render: (row) => h('div', { class: 'svc-cell' }, [h('span', { class: 'environment-name' }, row.environmentName), row.production ? tag('error', texts.production) : null]),
    },
    { key: 'runtime', title: t('services.columns.runtime'), width: 120, render: (row) => h('span', { 'data-testid': 'service-runtime' }, runtime(row)) },
    { key: 'namespace', title: t('services.columns.namespace'), width: 130, render: (row) => row.namespace ?? h('span', { class: 'svc-muted' }, '—') },
    { key: 'status', title: t('services.columns.status'), width: 210, render: (row) => serviceStatusCell(row, t) },
    {
      key: 'actions',
      title: t('services.columns.actions'),
      width: 170,
      render: (row) =>
        h('div', { class: 'svc-cell' }, [
          h('button', { type: 'button', class: 'small-button svc-button--primary', 'data-testid': 'service-operate', onClick: () => actions.operate(row) }, texts.operate),
          row.source === 'manual' ? h('button', { type: 'button', class: 'small-button svc-button--quaternary', 'data-testid': 'service-unregister', onClick: () => actions.unregister(row) }, texts.unregister) : null,
        ]),
    },
  ];
}

/** serviceColumns in the window's language, following it when it changes. */
export function useServiceColumns(actions: ServiceRowActions) {
  const { t } = useI18n();
  return computed<TableColumn<ServiceRow>[]>(() => serviceColumns(t, actions));
}
