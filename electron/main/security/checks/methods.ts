import type { SecurityFinding } from '../../../../shared/contract/security.ts';
import { header, type RecordedResponse, type SecurityCheck } from '../probe-types.ts';
import { findingText, findingTexts } from '../finding-texts.ts';

const risky = ['TRACE', 'TRACK', 'PUT', 'DELETE', 'CONNECT'] as const;

/**
 * Reads the methods a server advertises to OPTIONS. The scan never sends them: it only reads
 * Allow, so nothing on the target changes.
 */
export function analyseMethods(response: RecordedResponse): SecurityFinding[] {
  const allow = `${header(response, 'allow') ?? ''},${header(response, 'access-control-allow-methods') ?? ''}`.toUpperCase();
  const advertised = new Set(allow.split(',').map((method) => method.trim()).filter(Boolean));
  const found = risky.filter((method) => advertised.has(method));
  if (found.length === 0) return [];
  const trace = found.includes('TRACE') || found.includes('TRACK');
  return [{
    id: 'methods.risky',
    severity: 'medium',
    title: `Risky HTTP methods allowed: ${found.join(', ')}`,
    evidence: `OPTIONS ${response.path} → ${response.status}, Allow: ${found.join(', ')} (not sent by the scan).`,
    remediation: `${trace ? 'Disable TRACE/TRACK (cross-site tracing). ' : ''}Allow only the methods the service needs, and require authentication for PUT/DELETE.`,
    texts: {
      ...findingTexts('methods', { methods: found.join(', '), path: response.path, status: response.status }, ['title', 'evidence']),
      remediation: findingText(trace ? 'methods.remediationTrace' : 'methods.remediation'),
    },
  }];
}

export const methodsCheck: SecurityCheck = {
  name: 'HTTP methods',
  profile: 'standard',
  plannedRequests: 1,
  async run(context) {
    const response = await context.fetch({ path: context.root.path, method: 'OPTIONS' });
    return response ? analyseMethods(response) : [];
  },
};
