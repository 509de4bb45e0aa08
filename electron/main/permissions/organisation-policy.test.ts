import { describe, expect, it } from 'vitest';
import { globMatches, parseOrganisationPolicy, policyGrants, type PolicyState } from './organisation-policy.ts';
import type { PermissionEnvironment } from './permission-types.ts';

const prod: PermissionEnvironment = { id: 'env-prod', name: 'payments-prod', kind: 'kubernetes', production: true };
const staging: PermissionEnvironment = { id: 'env-stg', name: 'payments-staging', kind: 'docker', production: false, tags: ['team-payments'] };
const granted = (state: PolicyState, environment: PermissionEnvironment) => [...policyGrants(state, environment).granted].sort();

describe('organisation policy defaults (no file)', () => {
  const absent: PolicyState = { kind: 'absent', path: '/etc/kiops/policy.yaml' };
  it('allows everything on non-production and only logs on production', () => {
    expect(granted(absent, staging)).toEqual(['commands', 'logs', 'management']);
    expect(granted(absent, prod)).toEqual(['logs']);
    const reasons = policyGrants(absent, prod).reasons;
    expect(reasons.map((reason) => reason.permission)).toEqual(['commands', 'management']);
    expect(reasons[0]?.message).toContain('production');
  });
});

describe('organisation policy files', () => {
  const yaml = [
    'version: 1',
    'default: [logs]',
    'rules:',
    '  - match: { id: env-prod }',
    '    allow: [logs, commands]',
    '  - match: { tag: production }',
    '    allow: []',
    '  - match: { name: "payments-*" }',
    '    allow: [logs, commands, management]',
  ].join('\n');

  it('parses YAML and applies the first matching rule', () => {
    const state = parseOrganisationPolicy(yaml, 'policy.yaml');
    expect(state.kind).toBe('loaded');
    expect(granted(state, prod)).toEqual(['commands', 'logs']);
    expect(granted(state, { ...prod, id: 'other-prod' })).toEqual([]);
    expect(granted(state, staging)).toEqual(['commands', 'logs', 'management']);
    expect(granted(state, { ...staging, name: 'billing' })).toEqual(['logs']);
    expect(policyGrants(state, { ...prod, id: 'other-prod' }).reasons[0]?.message).toContain('Rule 2');
  });

  it('parses JSON, matches tags including kind and non-production, and grants nothing unmatched without a default', () => {
    const state = parseOrganisationPolicy(JSON.stringify({ version: 1, rules: [{ match: { tag: 'team-payments' }, allow: ['logs'] }, { match: { tag: 'kubernetes' }, allow: ['commands'] }] }), 'policy.json');
    expect(granted(state, staging)).toEqual(['logs']);
    expect(granted(state, prod)).toEqual(['commands']);
    expect(granted(state, { ...staging, kind: 'podman', tags: [] })).toEqual([]);
  });

  it('names the line of a YAML syntax error and fails closed', () => {
    const state = parseOrganisationPolicy('version: 1\nrules:\n  - match: { tag: production\n    allow: [logs]\n', 'policy.yaml');
    expect(state.kind).toBe('invalid');
    if (state.kind !== 'invalid') return;
    expect(state.line).toBeGreaterThanOrEqual(3);
    expect(state.message).toMatch(/policy\.yaml, line \d+/);
    expect(granted(state, staging)).toEqual([]);
    expect(policyGrants(state, staging).reasons.every((reason) => reason.source === 'policy-error')).toBe(true);
  });

  it('names the line of an unknown permission', () => {
    const state = parseOrganisationPolicy(yaml.replace('[logs, commands, management]', '[logs, manage]'), 'policy.yaml');
    expect(state).toMatchObject({ kind: 'invalid', line: 9 });
    if (state.kind === 'invalid') expect(state.message).toContain('rules[2].allow[1]: must be one of logs, commands, management');
  });

  it('names the line of an unknown key and of a bad match', () => {
    const typo = parseOrganisationPolicy('version: 1\nrules:\n  - match: { tag: prod }\n    alow: [logs]\n', 'policy.yaml');
    expect(typo).toMatchObject({ kind: 'invalid' });
    if (typo.kind === 'invalid') expect(typo.message).toMatch(/line 4.*rules\[0\]\.alow/);
    const both = parseOrganisationPolicy('version: 1\nrules:\n  - match: { tag: prod, id: x }\n    allow: [logs]\n', 'policy.yaml');
    expect(both).toMatchObject({ kind: 'invalid', line: 3 });
    if (both.kind === 'invalid') expect(both.message).toContain('exactly one of id, name or tag');
  });

  it('rejects an empty file and a wrong version', () => {
    expect(parseOrganisationPolicy('', 'p.yaml').kind).toBe('invalid');
    expect(parseOrganisationPolicy('version: 2\n', 'p.yaml')).toMatchObject({ kind: 'invalid', line: 1 });
  });

  it('globs with * and ? only', () => {
    expect(globMatches('prod-*', 'prod-eu-1')).toBe(true);
    expect(globMatches('prod-?', 'prod-12')).toBe(false);
    expect(globMatches('a.b', 'axb')).toBe(false);
  });
});
