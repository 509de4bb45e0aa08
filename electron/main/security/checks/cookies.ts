import type { SecurityFinding } from '../../../../shared/contract/security.ts';
import { clip, headerList, type RecordedResponse, type SecurityCheck } from '../probe-types.ts';
import { findingTexts } from '../finding-texts.ts';

/**
 * Set-Cookie flags, by cookie name only: a cookie's value is never read into a finding, since
 * it may be a session token.
 */
export function analyseCookies(responses: readonly RecordedResponse[]): SecurityFinding[] {
  const missingByName = new Map<string, Set<string>>();
  for (const response of responses) {
    for (const line of headerList(response, 'set-cookie')) {
      const [pair = '', ...attributes] = line.split(';');
      const name = pair.split('=')[0]?.trim() ?? '';
      if (name === '') continue;
      const flags = new Set(attributes.map((attribute) => attribute.split('=')[0]?.trim().toLowerCase() ?? ''));
      const missing = missingByName.get(name) ?? new Set<string>();
      if (!flags.has('secure')) missing.add('Secure');
      if (!flags.has('httponly')) missing.add('HttpOnly');
      if (!flags.has('samesite')) missing.add('SameSite');
      missingByName.set(name, missing);
    }
  }
  return [...missingByName]
    .filter(([, missing]) => missing.size > 0)
    .map(([name, missing]) => ({
      id: `cookies.flags:${clip(name, 100)}`,
      severity: missing.has('HttpOnly') || missing.has('Secure') ? 'medium' : 'low',
      title: `Cookie "${clip(name, 60)}" lacks ${[...missing].join(', ')}`,
      evidence: `Set-Cookie for "${clip(name, 60)}" without ${[...missing].join(', ')} (value not recorded).`,
      remediation: 'Set session and other sensitive cookies with Secure; HttpOnly; SameSite=Lax (or Strict).',
      texts: findingTexts('cookies', { name: clip(name, 60), flags: [...missing].join(', ') }),
    }));
}

export const cookiesCheck: SecurityCheck = {
  name: 'Cookie flags',
  profile: 'passive',
  plannedRequests: 0,
  run: (context) => Promise.resolve(analyseCookies(context.responses())),
};
