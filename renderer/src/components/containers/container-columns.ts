import { h, type VNode } from 'vue';
import type { ContainerRowView, ContainerStatsView } from '../../../../shared/contract/containers.ts';
import { cutShortTip } from '../common/cut-short-tip.ts';
import { busyRowAction, disabledRowAction } from '../common/row-action.ts';
import type { TableColumn } from '../common/virtual-table.ts';
import { containerTagType, formatBytes, formatPercent } from './container-format.ts';

export interface ContainerColumnsContext {
  readonly t: (key: string, values?: Record<string, unknown>) => string;
  readonly statsOf: (id: string) => ContainerStatsView | undefined;
  readonly disabledReason: string | null | undefined;
  readonly restarting: ReadonlySet<string>;
  /** Asks before a restart (the table's one pop-confirm, AnchoredConfirm), with the stop timeout to choose. */
  readonly askRestart: (row: ContainerRowView, anchor: HTMLElement) => void;
  /** The table's one tooltip (AnchoredTip): above `element`, or hidden. */
  readonly showTip: (element: HTMLElement, text: string) => void;
  readonly hideTip: () => void;
}

/**
 * Name, state (coloured), image, CPU %, memory usage / limit, network rx / tx, Restart. A row is
 * plain elements, as the Pod List's: texts cut short by CSS with the whole text in the table's one
 * tooltip, the state a tag drawn as naive-ui's NTag and Restart a plain button drawn as a tiny
 * secondary NButton, from the colours ContainerListTab sets (container-row-look.ts). Restart asks
 * through the table's one pop-confirm; when the operator may not run it, it is disabled and the
 * tooltip gives the reason; while it runs it is an NButton spinning, which takes no click.
 */
export function containerColumns(context: ContainerColumnsContext): TableColumn<ContainerRowView>[] {
  const { t } = context;
  const texts = { restart: t('containerList.restart'), noActions: t('containerList.noActions'), notRunning: t('containerList.notRunning'), measuring: t('containerList.measuring') };
  const textCell = cutShortTip(context.showTip, context.hideTip);
  const muted = (text: string) => h('span', { class: 'virtual-table-muted' }, text);
  // Stats exist only for running containers; until the second sample CPU is "measuring…".
  const stat = (row: ContainerRowView, show: (sample: ContainerStatsView) => string | null) => {
    if (row.stateTone !== 'running') return muted(texts.notRunning);
    const sample = context.statsOf(row.id);
    const text = sample ? show(sample) : null;
    return text === null ? muted(texts.measuring) : h('span', { class: 'stat' }, text);
  };
  const restart = (row: ContainerRowView): VNode => {
    if (!row.actionsAvailable.includes('restart')) return h('span', { class: 'virtual-table-muted', 'data-testid': 'container-no-actions' }, texts.noActions);
    if (context.disabledReason !== null) {
      const reason = context.disabledReason;
      // no tooltip while the reason is not known yet (NTooltip's `disabled`)
      return disabledRowAction(texts.restart, 'container-restart', (button) => (button !== null && reason ? context.showTip(button, reason) : context.hideTip()));
    }
    if (context.restarting.has(row.id)) return busyRowAction(texts.restart, 'container-restart');
    return h('button', { type: 'button', class: 'small-button action', 'data-testid': 'container-restart', onClick: (event: MouseEvent) => context.askRestart(row, event.currentTarget as HTMLElement) }, texts.restart);
  };
  return [
    { key: 'name', title: t('containerList.columns.name'), minWidth: 160, render: (row) => h('span', { class: 'virtual-table-text', ...textCell }, row.name) },
    {
      key: 'state',
      title: t('containerList.columns.state'),
      width: 180,
      render: (row) =>
        h('span', { class: 'virtual-table-text state', ...textCell }, [
          h('span', { class: `small-tag small-tag--${containerTagType(row.stateTone)}`, 'data-testid': 'container-state', 'data-tone': row.stateTone }, t(`containerList.state.${row.stateTone}`)),
          h('span', { class: 'virtual-table-muted status-text' }, ` ${row.statusText}`),
        ]),
    },
    { key: 'image', title: t('containerList.columns.image'), minWidth: 140, render: (row) => h('span', { class: 'virtual-table-text', ...textCell }, row.image) },
    { key: 'cpu', title: t('containerList.columns.cpu'), width: 96, render: (row) => stat(row, (sample) => (sample.cpuPercent === null ? null : formatPercent(sample.cpuPercent))) },
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
    { key: 'actions', title: t('containerList.columns.actions'), width: 100, render: (row) => restart(row) },
  ];
}
