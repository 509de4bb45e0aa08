import { describe, expect, it } from 'vitest';
import { policyFromDraft, type PolicyDraft } from './policy-draft.ts';

describe('the policy editor draft, read by the file schema', () => {
  const variants: [PolicyDraft, unknown][] = [
    [{ default: ['logs'], rules: [{ kind: 'tag', value: ' production ', allow: ['logs', 'commands'] }] }, { version: 1, default: ['logs'], rules: [{ match: { tag: 'production' }, allow: ['logs', 'commands'] }] }],
    [{ default: [], rules: [{ kind: 'name', value: 'prod-*', allow: [] }, { kind: 'id', value: 'env-1', allow: ['management'] }] }, { version: 1, default: [], rules: [{ match: { name: 'prod-*' }, allow: [] }, { match: { id: 'env-1' }, allow: ['management'] }] }],
  ];
  for (const [index, [draft, policy]] of variants.entries()) {
    it(`variant ${index + 1} becomes the policy the file would hold`, () => {
      const result = policyFromDraft(draft);
      expect(result.success && result.data).toEqual(policy);
    });
  }

  for (const kind of ['name', 'tag', 'id'] as const) {
    it(`a ${kind} rule without a value is refused by the schema, naming the rule`, () => {
      const result = policyFromDraft({ default: [], rules: [{ kind: 'tag', value: 'production', allow: [] }, { kind, value: '  ', allow: ['logs'] }] });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path.slice(0, 2)).toEqual(['rules', 1]);
    });
  }
});
