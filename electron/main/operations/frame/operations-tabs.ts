import type { KeyedText } from '../../../../shared/contract/keyed-text.ts';
import type { OperationsFrame, OperationsTab, OperationsTabId, OperatorPermissionName, OperatorPermissionsView } from '../../../../shared/contract/operations.ts';

type TabRule = { readonly id: OperationsTabId; readonly requires?: OperatorPermissionName; readonly manages?: boolean };

// The spec's tab order. Config/Secret is Kubernetes only and needs management; Log Viewer and
// Command Execution are shown only with their permissions. Tabs that hold management actions
// stay visible without management, with those actions disabled and explained.
const kubernetesTabs: readonly TabRule[] = [
  { id: 'overview' },
  { id: 'pods', manages: true },
  { id: 'deployment', manages: true },
  { id: 'config', requires: 'management' },
  { id: 'logs', requires: 'logs' },
  { id: 'commands', requires: 'commands' },
  { id: 'domains', manages: true },
];

const engineTabs: readonly TabRule[] = [
  { id: 'overview' },
  { id: 'containers', manages: true },
  { id: 'deployment', manages: true },
  { id: 'logs', requires: 'logs' },
  { id: 'commands', requires: 'commands' },
  { id: 'domains', manages: true },
];

export const permissionNotice = 'Request permission from your organization manager.';

/**
 * The notice plus every policy or RBAC detail withholding the permission, in main's English and
 * keyed (`mainErrors.withheld.notice*`, the details as parts) when every detail is keyed.
 */
export function withheldReason(permissions: OperatorPermissionsView, permission: OperatorPermissionName): { english: string; text?: KeyedText } {
  const reasons = permissions.reasons.filter((reason) => reason.permission === permission);
  const english = [permissionNotice, ...reasons.map((reason) => reason.message)].join(' ');
  const details = reasons.flatMap((reason) => (reason.text === undefined ? [] : [reason.text]));
  if (details.length < reasons.length) return { english };
  return { english, text: details.length === 0 ? { key: 'withheld.notice' } : { key: 'withheld.noticeWith', parts: { details } } };
}

/** Pure: the tabs an operator gets for a runtime and permission set, and the ones hidden with why. */
export function operationsTabs(runtime: 'kubernetes' | 'docker' | 'podman', permissions: OperatorPermissionsView): Pick<OperationsFrame, 'tabs' | 'hiddenTabs'> {
  const rules = runtime === 'kubernetes' ? kubernetesTabs : engineTabs;
  const tabs: OperationsTab[] = [];
  const hiddenTabs: OperationsFrame['hiddenTabs'] = [];
  for (const rule of rules) {
    if (rule.requires !== undefined && !permissions[rule.requires]) {
      const { english, text } = withheldReason(permissions, rule.requires);
      hiddenTabs.push({ id: rule.id, requires: rule.requires, reason: english, ...(text === undefined ? {} : { reasonText: text }) });
      continue;
    }
    tabs.push({
      id: rule.id,
      ...(rule.requires === undefined ? {} : { requires: rule.requires }),
      ...(rule.manages && !permissions.management ? disabledBecause(withheldReason(permissions, 'management')) : {}),
    });
  }
  return { tabs, hiddenTabs };
}

function disabledBecause(reason: { english: string; text?: KeyedText }): Pick<OperationsTab, 'actionsDisabledReason' | 'actionsDisabledText'> {
  return { actionsDisabledReason: reason.english, ...(reason.text === undefined ? {} : { actionsDisabledText: reason.text }) };
}
