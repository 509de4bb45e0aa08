import type { SecurityFinding } from '../../../../shared/contract/security.ts';
import { header, type RecordedResponse, type SecurityCheck } from '../probe-types.ts';
import { findingText, findingTexts } from '../finding-texts.ts';

/** An origin no one owns (`.invalid` is reserved), sent to see whether the server trusts any origin. */
export const probeOrigin = 'https://kiops-cors-probe.invalid';

export function analyseCors(response: RecordedResponse, sentOrigin: string): SecurityFinding[] {
  const allowOrigin = header(response, 'access-control-allow-origin');
  if (allowOrigin === undefined) return [];
  const credentials = (header(response, 'access-control-allow-credentials') ?? '').toLowerCase() === 'true';
  const evidence = `GET ${response.path} with Origin: ${sentOrigin} → Access-Control-Allow-Origin: ${allowOrigin === sentOrigin ? '(the sent origin)' : allowOrigin}, Allow-Credentials: ${credentials}.`;
  const params = { path: response.path, origin: sentOrigin, allowOrigin, credentials: String(credentials) };
  const texts = (base: string) => ({
    ...findingTexts(base, params, ['title', 'remediation']),
    evidence: findingText(allowOrigin === sentOrigin ? 'cors.evidenceSentOrigin' : 'cors.evidence', params),
  });
  if (allowOrigin === sentOrigin && credentials) {
    return [{ id: 'cors.reflected-origin-credentials', severity: 'high', title: 'CORS reflects any Origin with credentials', evidence, remediation: 'Allow only a fixed list of trusted origins; never echo the request Origin when credentials are allowed.', texts: texts('cors.reflectedCredentials') }];
  }
  if (allowOrigin === '*' && credentials) {
    return [{ id: 'cors.wildcard-credentials', severity: 'medium', title: 'CORS wildcard combined with credentials', evidence, remediation: 'Do not send Allow-Credentials: true with Access-Control-Allow-Origin: *; list trusted origins instead.', texts: texts('cors.wildcardCredentials') }];
  }
  if (allowOrigin === sentOrigin) {
    return [{ id: 'cors.reflected-origin', severity: 'low', title: 'CORS reflects any Origin', evidence, remediation: 'Allow only the origins that need cross-origin access.', texts: texts('cors.reflected') }];
  }
  return [];
}

export const corsCheck: SecurityCheck = {
  name: 'CORS',
  profile: 'passive',
  plannedRequests: 1,
  async run(context) {
    const response = await context.fetch({ path: context.root.path, headers: { origin: probeOrigin } });
    return response ? analyseCors(response, probeOrigin) : [];
  },
};
