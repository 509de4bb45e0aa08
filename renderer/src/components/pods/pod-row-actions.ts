import { h, type VNode } from 'vue';
import { busyRowAction, disabledRowAction } from '../common/row-action.ts';
import type { PodRowView } from '../../../../shared/contract/pods.ts';

/** The action labels, translated once for the whole table. */
export interface PodActionTexts {
  readonly viewCause: string;
  readonly hideCause: string;
  readonly restart: string;
  readonly forceDelete: string;
}

export interface PodRowActionsOptions {
  readonly row: PodRowView;
  readonly texts: PodActionTexts;
  /** Why the operator may not run them; null when allowed, undefined while not known yet. */
  readonly disabledReason: string | null | undefined;
  readonly busy: boolean;
  readonly expanded: boolean;
  readonly onRestart: (button: HTMLElement) => void;
  readonly onForceDelete: (button: HTMLElement) => void;
  readonly onToggleCause: () => void;
  /** The pointer entered (the button) or left (null) a disabled action. */
  readonly onReason: (button: HTMLElement | null) => void;
}

const actions = [
  { key: 'restart', testid: 'pod-restart', danger: false },
  { key: 'forceDelete', testid: 'pod-force-delete', danger: true },
] as const;

/**
 * Restart and Force delete for every pod; "View cause" opens the expand row of a Pending or
 * crash-looping pod. A row scrolling into view gets plain buttons, drawn as naive-ui's tiny
 * secondary NButtons from the colours PodTable sets (pod-row-look.ts): no component, pop-confirm
 * or tooltip per row, since a fast scroll brings in every row in view on each frame. Restart and
 * Force delete ask through the table's one pop-confirm (AnchoredConfirm: pointed at the clicked
 * button, or in production straight to the API guard's dialog). When the operator may not run
 * them they are disabled and the table's one tooltip shows the reason on hover. A busy pod's
 * actions are NButtons spinning, which take no click.
 */
export function podRowActions(options: PodRowActionsOptions): VNode {
  const { row, texts } = options;
  const buttons: VNode[] = [];
  if (row.isPending || row.crashLoop) {
    buttons.push(h('button', { type: 'button', class: 'small-button action--warning', 'data-testid': 'pod-view-cause', onClick: options.onToggleCause }, options.expanded ? texts.hideCause : texts.viewCause));
  }
  for (const action of actions) {
    if (options.disabledReason !== null) {
      buttons.push(disabledRowAction(texts[action.key], action.testid, options.onReason));
    } else if (options.busy) {
      buttons.push(busyRowAction(texts[action.key], action.testid, action.danger));
    } else {
      const ask = action.key === 'restart' ? options.onRestart : options.onForceDelete;
      buttons.push(h('button', { type: 'button', class: ['small-button', action.danger ? 'action--error' : 'action'], 'data-testid': action.testid, onClick: (event: MouseEvent) => ask(event.currentTarget as HTMLElement) }, texts[action.key]));
    }
  }
  return h('div', { class: 'actions' }, buttons);
}
