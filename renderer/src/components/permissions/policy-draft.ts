import { organisationPolicySchema, type OperatorPermission, type PolicyView } from '../../../../shared/contract/policy.ts';

export type MatchKind = 'name' | 'tag' | 'id';

/** One rule as the editor holds it: which key it matches by, the value, what it allows. */
export interface RuleDraft {
  kind: MatchKind;
  value: string;
  allow: OperatorPermission[];
}

export interface PolicyDraft {
  /** For environments no rule matches. */
  default: OperatorPermission[];
  rules: RuleDraft[];
}

export function draftOf(view: PolicyView): PolicyDraft {
  const policy = view.policy;
  if (policy === undefined) return { default: ['logs'], rules: [{ kind: 'tag', value: 'production', allow: ['logs'] }, { kind: 'tag', value: 'non-production', allow: ['logs', 'commands', 'management'] }] };
  return {
    default: [...(policy.default ?? [])],
    rules: policy.rules.map((rule) => {
      const kind: MatchKind = rule.match.id !== undefined ? 'id' : rule.match.name !== undefined ? 'name' : 'tag';
      return { kind, value: rule.match[kind] ?? '', allow: [...rule.allow] };
    }),
  };
}

/** The draft as the file's schema reads it; the same schema main validates the save with. */
export function policyFromDraft(draft: PolicyDraft): ReturnType<typeof organisationPolicySchema.safeParse> {
  return organisationPolicySchema.safeParse({
    version: 1,
    default: draft.default,
    rules: draft.rules.map((rule) => ({ match: { [rule.kind]: rule.value.trim() }, allow: rule.allow })),
  });
}
