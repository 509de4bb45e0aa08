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

/** The notice plus every policy or RBAC detail withholding the permission. */
export function withheldReason(permissions: OperatorPermissionsView, permission: OperatorPermissionName): string {
  const details = permissions.reasons.filter((reason) => reason.permission === permission).map((reason) => reason.message);
  return [permissionNotice, ...details].join(' ');
}

/** Pure: the tabs an operator gets for a runtime and permission set, and the ones hidden with why. */
export function operationsTabs(runtime: 'kubernetes' | 'docker' | 'podman', permissions: OperatorPermissionsView): Pick<OperationsFrame, 'tabs' | 'hiddenTabs'> {
  const rules = runtime === 'kubernetes' ? kubernetesTabs : engineTabs;
  const tabs: OperationsTab[] = [];
  const hiddenTabs: OperationsFrame['hiddenTabs'] = [];
  for (const rule of rules) {
    if (rule.requires !== undefined && !permissions[rule.requires]) {
      hiddenTabs.push({ id: rule.id, requires: rule.requires, reason: withheldReason(permissions, rule.requires) });
      continue;
    }
    tabs.push({
      id: rule.id,
      ...(rule.requires === undefined ? {} : { requires: rule.requires }),
      ...(rule.manages && !permissions.management ? { actionsDisabledReason: withheldReason(permissions, 'management') } : {}),
    });
  }
  return { tabs, hiddenTabs };
}
