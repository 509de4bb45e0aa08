import { h } from 'vue';
import { NTag, NText, type DataTableColumns } from 'naive-ui';
import type { ContainerRowView, ContainerStatsView } from '../../../../shared/contract/containers.ts';
import ContainerRestartButton from './ContainerRestartButton.vue';
import { containerTagType, formatBytes, formatPercent } from './container-format.ts';

export interface ContainerColumnsContext {
  readonly t: (key: string, values?: Record<string, unknown>) => string;
  readonly statsOf: (id: string) => ContainerStatsView | undefined;
  readonly disabledReason: string | null | undefined;
  readonly restarting: ReadonlySet<string>;
  readonly restart: (row: ContainerRowView, stopTimeoutSeconds: number) => void;
}

const muted = (text: string) => h(NText, { depth: 3 }, () => text);

/** Name, state (coloured), image, CPU %, memory usage / limit, network rx / tx, Restart. */
export function containerColumns(context: ContainerColumnsContext): DataTableColumns<ContainerRowView> {
  const { t } = context;
  // Stats exist only for running containers; until the second sample CPU is "measuring…".
  const stat = (row: ContainerRowView, show: (sample: ContainerStatsView) => string | null) => {
    if (row.stateTone !== 'running') return muted(t('containerList.notRunning'));
    const sample = context.statsOf(row.id);
    const text = sample ? show(sample) : null;
    return text === null ? muted(t('containerList.measuring')) : h('span', { class: 'stat' }, text);
  };
  return [
    { key: 'name', title: t('containerList.columns.name'), minWidth: 160, ellipsis: { tooltip: true } },
    {
      key: 'state',
      title: t('containerList.columns.state'),
      width: 180,
      ellipsis: { tooltip: true },
      render: (row) =>
        h('span', { class: 'state' }, [
          h(NTag, { type: containerTagType(row.stateTone), size: 'small', bordered: false, 'data-testid': 'container-state', 'data-tone': row.stateTone }, () => t(`containerList.state.${row.stateTone}`)),
          h(NText, { depth: 3, class: 'status-text' }, () => ` ${row.statusText}`),
        ]),
    },
    { key: 'image', title: t('containerList.columns.image'), minWidth: 140, ellipsis: { tooltip: true } },
    { key: 'cpu', title: t('containerList.columns.cpu'), width: 80, render: (row) => stat(row, (sample) => (sample.cpuPercent === null ? null : formatPercent(sample.cpuPercent))) },
    {
      key: 'memory',
      title: t('containerList.columns.memory'),
      width: 160,
      render: (row) => stat(row, (sample) => (sample.memory === null ? null : `${formatBytes(sample.memory.usageBytes)} / ${sample.memory.limitBytes === null ? '∞' : formatBytes(sample.memory.limitBytes)}`)),
    },
    {
      key: 'network',
      title: t('containerList.columns.network'),
      width: 150,
      render: (row) => stat(row, (sample) => (sample.network === null ? '—' : `${formatBytes(sample.network.rxBytes)} / ${formatBytes(sample.network.txBytes)}`)),
    },
    {
      key: 'actions',
      title: t('containerList.columns.actions'),
      width: 100,
      render: (row) =>
        h(ContainerRestartButton, { row, disabledReason: context.disabledReason, busy: context.restarting.has(row.id), onRestart: (seconds: number) => context.restart(row, seconds) }),
    },
  ];
}
