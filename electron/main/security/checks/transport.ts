import type { SecurityFinding } from '../../../../shared/contract/security.ts';
import { header, type RecordedResponse, type SecurityCheck } from '../probe-types.ts';
import { findingTexts } from '../finding-texts.ts';

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return loopbackHosts.has(hostname) || hostname.startsWith('127.') || hostname.endsWith('.localhost');
}

/** Plain HTTP to a real host, or HTTPS without HSTS. */
export function analyseTransport(origin: URL, root: RecordedResponse): SecurityFinding[] {
  if (origin.protocol === 'http:') {
    if (isLoopbackHost(origin.hostname)) return [];
    return [{
      id: 'transport.plain-http',
      severity: 'medium',
      title: 'Served over plain HTTP',
      evidence: `${origin.origin} answered without TLS.`,
      remediation: 'Serve the service over HTTPS only and redirect HTTP to HTTPS.',
      texts: findingTexts('plainHttp', { origin: origin.origin }),
    }];
  }
  if (header(root, 'strict-transport-security') !== undefined) return [];
  return [{
    id: 'transport.hsts-missing',
    severity: 'low',
    title: 'HSTS header missing',
    evidence: `GET ${root.path} → ${root.status} without Strict-Transport-Security.`,
    remediation: 'Send Strict-Transport-Security: max-age=31536000; includeSubDomains on HTTPS responses.',
    texts: findingTexts('hstsMissing', { path: root.path, status: root.status }),
  }];
}

/** A redirect that leaves the scanned origin is never followed; it is reported instead. */
export function analyseRedirect(origin: URL, response: RecordedResponse): SecurityFinding[] {
  const location = header(response, 'location');
  if (response.status < 300 || response.status >= 400 || location === undefined) return [];
  let target: URL;
  try {
    target = new URL(location, origin);
  } catch {
    return [];
  }
  if (target.origin === origin.origin) return [];
  return [{
    id: `transport.offsite-redirect:${response.path}`,
    severity: 'info',
    title: 'Redirect to another origin (not followed)',
    evidence: `GET ${response.path} → ${response.status} to ${target.origin}; the scan stays on ${origin.origin}.`,
    remediation: 'Check the redirect is intended; scan the other origin separately if you are authorised to.',
    texts: findingTexts('offsiteRedirect', { path: response.path, status: response.status, target: target.origin, origin: origin.origin }),
  }];
}

export const transportCheck: SecurityCheck = {
  name: 'TLS / HTTP',
  profile: 'passive',
  plannedRequests: 0,
  run: (context) => Promise.resolve(analyseTransport(context.origin, context.root)),
};
