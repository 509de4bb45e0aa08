import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.ts';
import { enErrorsEnvironments } from './en-errors-environments.ts';
import { hangul, received, translator } from './main-error-test-support.ts';
import { mainErrorText } from './main-error-text.ts';

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix: string): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) => (typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : leaves(value, `${prefix}${key}.`)));
}

const numeric = new Set(['kib', 'bytes', 'seq', 'max', 'seconds', 'line', 'column', 'exitCode']);
const names = ['prod east', '운영-클러스터', 'web-ä', 'team_b/ns 2', 'a'];
const messages = leaves(enErrorsEnvironments as Tree, 'environments.');
const english = translator('en');
const korean = translator('ko');

/** Every `environments.*` message, with varied values: names with spaces, Hangul, umlauts, slashes. */
function sample(template: string, round: number): Record<string, string | number> {
  const placeholders = [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? ''))];
  return Object.fromEntries(placeholders.map((name, index) => [name, numeric.has(name) ? 7 + round * 13 + index : `${names[(round + index) % names.length]}-${name}`]));
}

describe('main\'s environments, audit, catalog and security errors in the window\'s language', () => {
  it('there are messages to check', () => {
    expect(messages.length).toBeGreaterThan(100);
  });

  for (let round = 0; round < 3; round += 1) {
    it(`round ${round}: a Korean window shows Korean with every parameter, an English one main's English`, () => {
      for (const [key, template] of messages) {
        const params = sample(template, round);
        // main's English is the key's English with the same values: what main writes into the message
        const message = english.render(`mainErrors.${key}`, params);
        const error = new AppError('INVALID_INPUT', message, undefined, { key, params });
        const shown = mainErrorText(received(error), korean);
        expect(shown, key).toMatch(hangul);
        expect(shown, key).not.toMatch(/[{}]/);
        for (const value of Object.values(params)) expect(shown, `${key} shows ${value}`).toContain(String(value));
        expect(mainErrorText(received(error), english), key).toBe(message);
      }
    });
  }
});
