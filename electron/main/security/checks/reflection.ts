import type { SecurityFinding } from '../../../../shared/contract/security.ts';
import { isHtml, type RecordedResponse, type SecurityCheck } from '../probe-types.ts';
import { findingTexts } from '../finding-texts.ts';

export const reflectionParameters = ['q', 'search', 'query'] as const;

/** The harmless probe value: a unique token followed by an inert tag, so raw echo is visible. */
export const reflectionValue = (marker: string): string => `${marker}<kiops>`;

export function analyseReflection(response: RecordedResponse, parameter: string, marker: string): SecurityFinding[] {
  if (!isHtml(response) || !response.body.includes(reflectionValue(marker))) return [];
  return [{
    id: `reflection:${parameter}`,
    severity: 'high',
    title: `Parameter "${parameter}" is reflected unescaped into HTML`,
    evidence: `GET ${response.path.replace(/\?.*$/, '')}?${parameter}=<marker> → ${response.status}; the marker's "<" came back unescaped.`,
    remediation: 'HTML-escape every request value written into a page (use the template engine’s escaping) and add a Content-Security-Policy.',
    // the tag-like parts are parameters: a message with "<" in it reads as HTML to vue-i18n
    texts: findingTexts('reflection', { parameter, path: response.path.replace(/\?.*$/, ''), status: response.status, marker: '<marker>', lt: '<' }),
  }];
}

export const reflectionCheck: SecurityCheck = {
  name: 'Reflected input',
  profile: 'standard',
  plannedRequests: reflectionParameters.length,
  async run(context) {
    const base = context.root.path.replace(/\?.*$/, '');
    const value = encodeURIComponent(reflectionValue(context.marker));
    const findings = await Promise.all(
      reflectionParameters.map(async (parameter) => {
        const response = await context.fetch({ path: `${base}?${parameter}=${value}` });
        return response ? analyseReflection(response, parameter, context.marker) : [];
      }),
    );
    return findings.flat();
  },
};
