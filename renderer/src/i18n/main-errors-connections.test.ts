import { describe, expect, it } from 'vitest';
import { enErrorsConnections } from './en-errors-connections.ts';
import { koErrorsConnections } from './ko-errors-connections.ts';
import { hangul } from './main-error-test-support.ts';

// The Korean of main's connection errors keeps the technical words an operator types or greps
// for (directives, settings, programs, paths, codes) exactly as the English has them. The
// errors themselves are thrown by main's real code in tests/unit/main-errors-*.test.ts (the
// renderer may not import the main process).

type Tree = { [key: string]: string | Tree };

function entries(english: Tree, korean: Tree, prefix: string): [string, string, string][] {
  return Object.entries(english).flatMap(([name, value]) => {
    const other = korean[name];
    if (typeof value === 'string') return [[`${prefix}.${name}`, value, typeof other === 'string' ? other : ''] as [string, string, string]];
    return entries(value, typeof other === 'object' ? other : {}, `${prefix}.${name}`);
  });
}

/** Code, not prose: quoted text, and words in CamelCase, ALL CAPS, with an underscore, a digit or a dot inside, or a home path. */
function technicalTokens(message: string): string[] {
  const text = message.replace(/\{[^}]*\}/g, ' ');
  const quoted = [...text.matchAll(/"([^"]+)"/g)].map((match) => (match[1] as string).trim()).filter((token) => token.length > 0);
  const words = (text.match(/[~\w][\w./:~+-]*\w/g) ?? []).filter((word) => /[a-z][A-Z]|_|\d|\w\.\w|^~\/|^[A-Z]{2,}/.test(word));
  return [...quoted, ...words];
}

const messages = entries(enErrorsConnections as Tree, koErrorsConnections as Tree, 'connections');

describe('Korean connection errors', () => {
  it.each(messages)('%s keeps the technical words', (_key, english, korean) => {
    expect(korean).toMatch(hangul);
    for (const token of technicalTokens(english)) expect(korean, token).toContain(token);
  });

  it('finds technical words to check', () => {
    const tokens = messages.flatMap(([, english]) => technicalTokens(english));
    expect(tokens).toEqual(expect.arrayContaining(['PrivateKey', 'SSH_AUTH_SOCK', '~/.ssh/authorized_keys', 'NOPASSWD', 'route-nopull', 'AllowedIPs']));
  });
});
