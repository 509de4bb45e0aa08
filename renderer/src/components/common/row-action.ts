import { h, type VNode } from 'vue';
import { NButton } from 'naive-ui';

/**
 * A row action the operator may not run (row-actions.css): naive-ui's disabled NButton, bordered
 * and faded. A disabled button takes no click, but the pointer still enters it: `onReason` gets
 * the button (show the table's one tooltip with the reason) and null when the pointer leaves.
 */
export function disabledRowAction(label: string, testid: string, onReason: (button: HTMLElement | null) => void): VNode {
  return h(
    'button',
    {
      type: 'button',
      class: 'small-button action',
      disabled: true,
      'data-testid': testid,
      'data-disabled': 'true',
      onMouseenter: (event: MouseEvent) => onReason(event.currentTarget as HTMLElement),
      onMouseleave: () => onReason(null),
    },
    [label, h('span', { class: 'border', 'aria-hidden': 'true' })],
  );
}

/** A row action that is running: naive-ui's tiny secondary NButton spinning, which takes no click. */
export function busyRowAction(label: string, testid: string, danger = false): VNode {
  return h(NButton, { size: 'tiny', type: danger ? 'error' : 'default', secondary: true, loading: true, 'data-testid': testid }, () => label);
}
