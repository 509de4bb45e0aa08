import type { SecurityFinding, SecuritySeverity } from '../../../../shared/contract/security.ts';
import { isHtml, type RecordedResponse, type SecurityCheck } from '../probe-types.ts';
import { findingTexts } from '../finding-texts.ts';
import { looksLikeNotFound } from './soft-404.ts';

interface SensitivePath {
  readonly path: string;
  /** Its texts' key under `environments.security.findings.paths`. */
  readonly key: string;
  readonly what: string;
  readonly severity: SecuritySeverity;
  /** Recognises the real content, so a 200 "not found" page is never reported. */
  readonly signature: (response: RecordedResponse) => boolean;
  readonly remediation: string;
}

const notHtml = (response: RecordedResponse) => !isHtml(response) && !/^\s*<(!doctype|html)/i.test(response.body);
const blockAccess = 'Remove the file from the served directory and deny the path in the web server or ingress.';

export const sensitivePaths: readonly SensitivePath[] = [
  { path: '/.git/config', key: 'gitConfig', what: 'Git repository configuration', severity: 'high', signature: (r) => /^\s*\[core\]/m.test(r.body) && /repositoryformatversion/i.test(r.body), remediation: 'Do not deploy the .git folder; deny /.git/ in the web server. The whole source history may be downloadable.' },
  { path: '/.env', key: 'env', what: 'environment file', severity: 'high', signature: (r) => notHtml(r) && /^[A-Z][A-Z0-9_]*=/m.test(r.body), remediation: `${blockAccess} Rotate every credential it held.` },
  { path: '/server-status', key: 'serverStatus', what: 'Apache server status page', severity: 'medium', signature: (r) => /Apache Server Status/i.test(r.body), remediation: 'Restrict mod_status to internal addresses (Require local) or turn it off.' },
  { path: '/actuator/env', key: 'actuatorEnv', what: 'Spring Boot actuator environment', severity: 'high', signature: (r) => /"(propertySources|activeProfiles)"\s*:/.test(r.body), remediation: 'Expose only the health actuator publicly (management.endpoints.web.exposure.include=health).' },
  { path: '/.DS_Store', key: 'dsStore', what: 'macOS folder metadata', severity: 'low', signature: (r) => r.body.slice(4, 8) === 'Bud1', remediation: blockAccess },
  { path: '/index.php.bak', key: 'phpSourceBackup', what: 'PHP source backup', severity: 'high', signature: (r) => notHtml(r) && r.body.includes('<?php'), remediation: blockAccess },
  { path: '/config.php.bak', key: 'phpConfigBackup', what: 'PHP configuration backup', severity: 'high', signature: (r) => notHtml(r) && r.body.includes('<?php'), remediation: blockAccess },
  { path: '/backup.zip', key: 'zipArchive', what: 'ZIP archive', severity: 'high', signature: (r) => r.body.startsWith('PK\u0003\u0004'), remediation: blockAccess },
  { path: '/backup.tar.gz', key: 'gzipArchive', what: 'gzip archive', severity: 'high', signature: (r) => r.body.startsWith('\u001f\u008b'), remediation: blockAccess },
];

export function analyseSensitivePath(entry: SensitivePath, response: RecordedResponse, notFound: RecordedResponse | null): SecurityFinding[] {
  if (response.status !== 200 || looksLikeNotFound(response, notFound) || !entry.signature(response)) return [];
  return [{
    id: `paths:${entry.path}`,
    severity: entry.severity,
    title: `Exposed ${entry.what} at ${entry.path}`,
    // the content itself is never recorded: it may hold credentials
    evidence: `GET ${entry.path} → 200 and the content matches a ${entry.what} (content not recorded).`,
    remediation: entry.remediation,
    texts: findingTexts(`paths.${entry.key}`, { path: entry.path }),
  }];
}

export const sensitivePathsCheck: SecurityCheck = {
  name: 'Exposed sensitive files',
  profile: 'standard',
  plannedRequests: sensitivePaths.length,
  async run(context) {
    const responses = await Promise.all(sensitivePaths.map((entry) => context.fetch({ path: entry.path })));
    return sensitivePaths.flatMap((entry, index) => {
      const response = responses[index];
      return response ? analyseSensitivePath(entry, response, context.notFound) : [];
    });
  },
};
