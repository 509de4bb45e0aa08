import type { SecurityFinding, SecuritySeverity } from '../../../../shared/contract/security.ts';
import { header, type RecordedResponse, type SecurityCheck } from '../probe-types.ts';
import { findingText, findingTexts } from '../finding-texts.ts';

interface Expected {
  readonly id: string;
  /** Its remediation's key under `environments.security.findings.headers`. */
  readonly key: string;
  readonly name: string;
  readonly severity: SecuritySeverity;
  readonly present: (response: RecordedResponse) => boolean;
  readonly remediation: string;
}

const has = (name: string) => (response: RecordedResponse) => header(response, name) !== undefined;

const expected: readonly Expected[] = [
  { id: 'headers.csp-missing', key: 'csp', name: 'Content-Security-Policy', severity: 'medium', present: has('content-security-policy'), remediation: "Send a Content-Security-Policy, starting from default-src 'self', and tighten it per page." },
  { id: 'headers.nosniff-missing', key: 'nosniff', name: 'X-Content-Type-Options', severity: 'low', present: (r) => (header(r, 'x-content-type-options') ?? '').toLowerCase() === 'nosniff', remediation: 'Send X-Content-Type-Options: nosniff on every response.' },
  {
    id: 'headers.framing-missing',
    key: 'framing',
    name: 'X-Frame-Options / CSP frame-ancestors',
    severity: 'medium',
    present: (r) => header(r, 'x-frame-options') !== undefined || /frame-ancestors/i.test(header(r, 'content-security-policy') ?? ''),
    remediation: "Send X-Frame-Options: DENY or a CSP with frame-ancestors 'none' (or the origins allowed to frame the page).",
  },
  { id: 'headers.referrer-policy-missing', key: 'referrerPolicy', name: 'Referrer-Policy', severity: 'low', present: has('referrer-policy'), remediation: 'Send Referrer-Policy: strict-origin-when-cross-origin (or no-referrer).' },
  { id: 'headers.permissions-policy-missing', key: 'permissionsPolicy', name: 'Permissions-Policy', severity: 'low', present: has('permissions-policy'), remediation: 'Send a Permissions-Policy that turns off the browser features the service does not use (camera=(), microphone=(), geolocation=()).' },
];

/** The browser-hardening headers a page should send. */
export function analyseSecurityHeaders(root: RecordedResponse): SecurityFinding[] {
  return expected
    .filter((item) => !item.present(root))
    .map((item) => ({
      id: item.id,
      severity: item.severity,
      title: `${item.name} missing`,
      evidence: `GET ${root.path} → ${root.status} without ${item.name}.`,
      remediation: item.remediation,
      texts: {
        ...findingTexts('headers', { name: item.name, path: root.path, status: root.status }, ['title', 'evidence']),
        remediation: findingText(`headers.${item.key}`),
      },
    }));
}

export const headersCheck: SecurityCheck = {
  name: 'Security headers',
  profile: 'passive',
  plannedRequests: 0,
  run: (context) => Promise.resolve(analyseSecurityHeaders(context.root)),
};
