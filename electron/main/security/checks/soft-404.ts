import type { RecordedResponse } from '../probe-types.ts';

/**
 * Whether a response is just this server's "not found" page served with 200 (a soft 404):
 * the same status and, ignoring the requested path echoed in it, the same body.
 */
export function looksLikeNotFound(response: RecordedResponse, notFound: RecordedResponse | null): boolean {
  if (response.status === 404 || response.status === 410) return true;
  if (notFound === null || response.status !== notFound.status) return false;
  const strip = (r: RecordedResponse) => r.body.split(r.path).join('');
  return strip(response) === strip(notFound);
}
