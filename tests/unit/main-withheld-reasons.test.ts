import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { operationsTabs, withheldReason } from '../../electron/main/operations/frame/operations-tabs.ts';
import { parseOrganisationPolicy, policyGrants, type PolicyState } from '../../electron/main/permissions/organisation-policy.ts';
import { OperatorPermissionGate } from '../../electron/main/permissions/permission-gate.ts';
import type { PermissionEnvironment, PermissionReason } from '../../electron/main/permissions/permission-types.ts';
import type { RbacReviewer } from '../../electron/main/permissions/rbac-reviewer.ts';
import { keyedText } from '../../shared/errors.ts';
import type { OperatorPermissionsView } from '../../shared/contract/operations.ts';
import { expectReasonShown } from './status-reason-support.ts';

// Why the Operations Modal hides a tab or disables its actions (issue #15 §2 and §6): main's
// policy and RBAC reasons reach the window keyed, and read in Korean without English prose,
// in English exactly as main writes them. Names, paths and the YAML parser's words are data.

const path = '/home/operator ä/.config/kiops/organisation-policy.yaml';
const environments: PermissionEnvironment[] = [
  { id: 'env-prod', name: 'shop 운영', kind: 'kubernetes', production: true, tags: ['eu'] },
  { id: 'env-dev', name: 'dev cluster', kind: 'docker', production: false },
];

/** The frame's permissions as main sends them, from the real policy decision. */
function viewOf(reasons: readonly PermissionReason[]): OperatorPermissionsView {
  const withheld = new Set(reasons.map((reason) => reason.permission));
  return {
    logs: !withheld.has('logs'),
    commands: !withheld.has('commands'),
    management: !withheld.has('management'),
    reasons: reasons.map((reason) => ({ permission: reason.permission, source: reason.source, message: reason.message, ...(reason.text ? { text: keyedText(reason.text) } : {}) })),
  };
}

/** Every reason the frame would show for this view: hidden tabs and disabled actions, both runtimes. */
function expectFrameShown(view: OperatorPermissionsView): number {
  let shown = 0;
  for (const runtime of ['kubernetes', 'docker'] as const) {
    const { tabs, hiddenTabs } = operationsTabs(runtime, view);
    for (const hidden of hiddenTabs) {
      expectReasonShown(hidden.reason, hidden.reasonText);
      shown += 1;
    }
    for (const tab of tabs.filter((candidate) => candidate.actionsDisabledReason !== undefined)) {
      expectReasonShown(tab.actionsDisabledReason ?? '', tab.actionsDisabledText);
      shown += 1;
    }
  }
  return shown;
}

const policies: [string, PolicyState][] = [
  ['no policy file', { kind: 'absent', path }],
  ['a rule matching by tag', parseOrganisationPolicy('version: 1\nrules:\n  - match: { tag: production }\n    allow: [logs]\n  - match: { name: "dev*" }\n    allow: [logs, commands]\n', path)],
  ['a rule matching by id', parseOrganisationPolicy('version: 1\nrules:\n  - match: { id: env-prod }\n    allow: []\n  - match: { id: env-dev }\n    allow: [logs]\n', path)],
  ['no rule and an empty default', parseOrganisationPolicy('version: 1\ndefault: []\nrules:\n  - match: { tag: nowhere }\n    allow: [logs]\n', path)],
  ['a file that is not valid YAML', parseOrganisationPolicy('version: 1\nrules: [\n', path)],
  ['a file the schema refuses', parseOrganisationPolicy('version: 1\nrules:\n  - match: { tag: production }\n    allow: [everything]\n', path)],
];

describe('why a permission is withheld, in both languages', () => {
  it.each(policies)('%s: every hidden tab and disabled action reads in Korean, and in English as main wrote it', (_what, state) => {
    let shown = 0;
    for (const environment of environments) shown += expectFrameShown(viewOf(policyGrants(state, environment).reasons));
    expect(shown).toBeGreaterThan(0);
  });

  it('the cluster refusing (RBAC) beside the policy: both details are keyed and joined as main joins them', async () => {
    const reviewer = {
      review: async () => ({
        namespace: 'shop-ns',
        granted: new Set(),
        denied: new Map([['logs', [{ verb: 'get', group: '', resource: 'pods', subresource: 'log', namespace: 'shop-ns', reason: 'no' }]], ['commands', [{ verb: 'create', group: '', resource: 'pods', subresource: 'exec', namespace: 'shop-ns', reason: 'no' }]]]),
        outcomes: [],
        checkedAt: 0,
      }),
    } as unknown as RbacReviewer;
    const gate = new OperatorPermissionGate({ current: async () => ({ kind: 'absent', path }) }, reviewer);
    const set = await gate.permissions({ environment: environments[0]!, cluster: { kubeConfig: new KubeConfig(), namespace: 'shop-ns' } });
    expect(set.reasons.map((reason) => reason.source)).toEqual(['policy', 'policy', 'rbac', 'rbac']);
    const view = viewOf(set.reasons);
    const commands = withheldReason(view, 'commands');
    expect(commands.english).toBe(`Request permission from your organization manager. ${set.reasons.filter((reason) => reason.permission === 'commands').map((reason) => reason.message).join(' ')}`);
    expect(expectReasonShown(commands.english, commands.text)).toContain('create pods/exec');
    expect(expectFrameShown(view)).toBeGreaterThan(0);
  });

  it('a reason main did not key keeps the whole line in main’s English rather than half-translated', () => {
    const view: OperatorPermissionsView = { logs: true, commands: false, management: true, reasons: [{ permission: 'commands', source: 'policy', message: 'Command execution is not granted: an older main.' }] };
    expect(withheldReason(view, 'commands')).toEqual({ english: 'Request permission from your organization manager. Command execution is not granted: an older main.' });
  });
});
