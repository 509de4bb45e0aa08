import type { SecurityFinding } from '../../../../shared/contract/security.ts';
import type { RecordedResponse, SecurityCheck } from '../probe-types.ts';
import { findingTexts } from '../finding-texts.ts';
import { looksLikeNotFound } from './soft-404.ts';

export const listingPaths = ['/files/', '/uploads/', '/static/', '/images/', '/backup/', '/assets/'] as const;

// Apache, nginx autoindex, IIS, Python http.server, Node serve-index.
const listingSignatures = [/<title>\s*Index of \//i, /<h1>\s*Index of \//i, /Directory listing for \//i, /\[To Parent Directory\]/i, /<title>\s*listing directory/i];

export function analyseDirectoryListing(response: RecordedResponse, notFound: RecordedResponse | null): SecurityFinding[] {
  if (response.status !== 200 || looksLikeNotFound(response, notFound)) return [];
  if (!listingSignatures.some((signature) => signature.test(response.body))) return [];
  return [{
    id: `listing:${response.path}`,
    severity: 'medium',
    title: `Directory listing enabled at ${response.path}`,
    evidence: `GET ${response.path} → 200 with a generated index page.`,
    remediation: 'Turn off automatic directory indexes (nginx autoindex off; Apache Options -Indexes) and serve only intended files.',
    texts: findingTexts('listing', { path: response.path }),
  }];
}

export const directoryListingCheck: SecurityCheck = {
  name: 'Directory listing',
  profile: 'standard',
  plannedRequests: listingPaths.length,
  async run(context) {
    const responses = await Promise.all(listingPaths.map((path) => context.fetch({ path })));
    return responses.flatMap((response) => (response ? analyseDirectoryListing(response, context.notFound) : []));
  },
};
