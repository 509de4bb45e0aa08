import { describe, expect, it } from 'vitest';
import type { SecurityFinding } from '../../../shared/contract/security.ts';
import { AppError } from '../../../shared/errors.ts';
import { findingText, type FindingField } from '../components/security/finding-text.ts';
import { enErrorsEnvironments } from './en-errors-environments.ts';
import { hangul, received, translator } from './main-error-test-support.ts';
import { mainErrorText } from './main-error-text.ts';

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix: string): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) => (typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : leaves(value, `${prefix}${key}.`)));
}

const numeric = new Set(['kib', 'bytes', 'seq', 'max', 'seconds', 'line', 'column', 'exitCode', 'status']);
const names = ['prod east', '운영-클러스터', 'web-ä', 'team_b/ns 2', 'a'];
const findingsPrefix = 'environments.security.findings.';
const all = leaves(enErrorsEnvironments as Tree, 'environments.');
const errors = all.filter(([key]) => !key.startsWith(findingsPrefix));
const findings = all.filter(([key]) => key.startsWith(findingsPrefix));
/** Evidence that is only a header line (`Server: nginx/1.25`): nothing in it to translate. */
const technicalOnly = new Set([`${findingsPrefix}banner.serverVersion.evidence`, `${findingsPrefix}banner.poweredBy.evidence`]);
const english = translator('en');
const korean = translator('ko');

/** Values for a message's parameters, varied by round: names with spaces, Hangul, umlauts, slashes. */
function sample(template: string, round: number): Record<string, string | number> {
  const placeholders = [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? ''))];
  return Object.fromEntries(placeholders.map((name, index) => [name, numeric.has(name) ? 7 + round * 13 + index : `${names[(round + index) % names.length]}-${name}`]));
}

function expectKorean(shown: string, key: string, params: Record<string, string | number>): void {
  if (!technicalOnly.has(key)) expect(shown, key).toMatch(hangul);
  expect(shown, key).not.toMatch(/[{}]/);
  for (const value of Object.values(params)) expect(shown, `${key} shows ${value}`).toContain(String(value));
}

describe('main\'s environments, audit, catalog and security errors in the window\'s language', () => {
  it('there are messages to check', () => {
    expect(errors.length).toBeGreaterThan(100);
    expect(findings.length).toBeGreaterThan(50);
  });

  for (let round = 0; round < 3; round += 1) {
    it(`round ${round}: a Korean window shows Korean with every parameter, an English one main's English`, () => {
      for (const [key, template] of errors) {
        const params = sample(template, round);
        // main's English is the key's English with the same values: what main writes into the message
        const message = english.render(`mainErrors.${key}`, params);
        const error = new AppError('INVALID_INPUT', message, undefined, { key, params });
        expectKorean(mainErrorText(received(error), korean), key, params);
        expect(mainErrorText(received(error), english), key).toBe(message);
      }
    });

    it(`round ${round}: every Security Analysis finding text is Korean in a Korean window, main's English in an English one`, () => {
      for (const [key, template] of findings) {
        const params = sample(template, round);
        const last = key.split('.').pop() ?? '';
        const field: FindingField = last.startsWith('evidence') ? 'evidence' : last === 'title' ? 'title' : 'remediation';
        const message = english.render(`mainErrors.${key}`, params);
        const finding: SecurityFinding = { id: 'x', severity: 'low', title: 't', evidence: 'e', remediation: 'r', [field]: message, texts: { [field]: { key, params } } };
        expectKorean(findingText(finding, field, korean), key, params);
        expect(findingText(finding, field, english), key).toBe(message);
      }
    });
  }

  it('a finding saved before main sent keys shows its English in a Korean window', () => {
    const finding: SecurityFinding = { id: 'headers.csp-missing', severity: 'medium', title: 'Content-Security-Policy missing', evidence: 'GET / → 200 without Content-Security-Policy.', remediation: 'Send a CSP.' };
    for (const field of ['title', 'evidence', 'remediation'] as const) expect(findingText(finding, field, korean)).toBe(finding[field]);
  });
});
