import type { SecurityFinding } from '../../../../shared/contract/security.ts';
import type { RecordedResponse, SecurityCheck } from '../probe-types.ts';
import { findingText, findingTexts } from '../finding-texts.ts';

/** Paths that commonly make an application fail without changing anything. */
export const errorProbePaths = ['/error', '/%ff', '/?id=%27'] as const;

const stackSignatures: ReadonlyArray<readonly [RegExp, string, string]> = [
  [/^\s*at [\w.$<>[\]]+ \(?[^\s()]+:\d+:\d+\)?$/m, 'a Node.js stack trace', 'node'],
  [/Traceback \(most recent call last\)/, 'a Python traceback', 'python'],
  [/(Exception|Error)[^\n]*\n\s*at [\w.$]+\([\w]+\.java:\d+\)/, 'a Java stack trace', 'java'],
  [/(Fatal error|Warning|Parse error)<\/b>:? .* on line <b>\d+/i, 'a PHP error', 'php'],
  [/Server Error in '\/' Application|System\.\w+Exception/, 'an ASP.NET error', 'aspNet'],
  [/#\d+ \/[\w/.-]+\.php\(\d+\)/, 'a PHP stack trace', 'phpStack'],
];

/** Stack traces and framework error details in any response of the scan. */
export function analyseErrorPages(responses: readonly RecordedResponse[]): SecurityFinding[] {
  const findings = new Map<string, SecurityFinding>();
  for (const response of responses) {
    const match = stackSignatures.find(([signature]) => signature.test(response.body));
    if (!match) continue;
    const path = response.path.replace(/\?.*$/, '');
    findings.set(path, {
      id: `errors.stack-trace:${path}`,
      severity: 'medium',
      title: `Error page reveals ${match[1]}`,
      evidence: `${response.method} ${path} → ${response.status}, body contains ${match[1]} (not recorded).`,
      remediation: 'Show a generic error page in production and log the details server-side only.',
      texts: {
        ...findingTexts(`errorPage.${match[2]}`, { method: response.method, path, status: response.status }, ['title', 'evidence']),
        remediation: findingText('errorPage.remediation'),
      },
    });
  }
  return [...findings.values()];
}

export const errorPagesCheck: SecurityCheck = {
  name: 'Error pages',
  profile: 'standard',
  plannedRequests: errorProbePaths.length,
  async run(context) {
    await Promise.all(errorProbePaths.map((path) => context.fetch({ path })));
    return analyseErrorPages(context.responses());
  },
};
