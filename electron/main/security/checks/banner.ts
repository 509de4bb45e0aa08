import type { SecurityFinding } from '../../../../shared/contract/security.ts';
import { clip, header, type RecordedResponse, type SecurityCheck } from '../probe-types.ts';
import { findingTexts } from '../finding-texts.ts';

/** Server and framework banners that tell an attacker which versions to look up. */
export function analyseBanners(root: RecordedResponse): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  const server = header(root, 'server');
  if (server !== undefined && /\d/.test(server)) {
    findings.push({
      id: 'banner.server-version',
      severity: 'low',
      title: 'Server header discloses a version',
      evidence: `Server: ${clip(server, 80)}`,
      remediation: 'Hide the version in the Server header (nginx server_tokens off; Apache ServerTokens Prod).',
      texts: findingTexts('banner.serverVersion', { value: clip(server, 80) }),
    });
  }
  const poweredBy = header(root, 'x-powered-by');
  if (poweredBy !== undefined) {
    findings.push({
      id: 'banner.x-powered-by',
      severity: 'low',
      title: 'X-Powered-By header discloses the framework',
      evidence: `X-Powered-By: ${clip(poweredBy, 80)}`,
      remediation: 'Remove the X-Powered-By header (Express: app.disable("x-powered-by"); PHP: expose_php = Off).',
      texts: findingTexts('banner.poweredBy', { value: clip(poweredBy, 80) }),
    });
  }
  return findings;
}

export const bannerCheck: SecurityCheck = {
  name: 'Version banners',
  profile: 'passive',
  plannedRequests: 0,
  run: (context) => Promise.resolve(analyseBanners(context.root)),
};
