import { randomBytes } from 'node:crypto';
import type { SecurityEndReason, SecurityFinding, SecurityProfile } from '../../../shared/contract/security.ts';
import { bannerCheck } from './checks/banner.ts';
import { cookiesCheck } from './checks/cookies.ts';
import { corsCheck } from './checks/cors.ts';
import { directoryListingCheck } from './checks/directory-listing.ts';
import { errorPagesCheck } from './checks/error-pages.ts';
import { headersCheck } from './checks/headers.ts';
import { methodsCheck } from './checks/methods.ts';
import { reflectionCheck } from './checks/reflection.ts';
import { sensitivePathsCheck } from './checks/sensitive-paths.ts';
import { analyseRedirect, transportCheck } from './checks/transport.ts';
import { ProbeClient } from './probe-client.ts';
import type { CheckContext, RecordedResponse, SecurityCheck } from './probe-types.ts';

/** In order: the passive ones read what the first requests returned; error pages go last to see every response. */
export const securityChecks: readonly SecurityCheck[] = [
  transportCheck,
  headersCheck,
  bannerCheck,
  corsCheck,
  methodsCheck,
  sensitivePathsCheck,
  directoryListingCheck,
  reflectionCheck,
  cookiesCheck,
  errorPagesCheck,
];

export interface ScanBounds {
  readonly maxRequests: number;
  /** Per request (default 5 s). */
  readonly requestTimeoutMs: number;
  /** The whole scan (default 60 s). */
  readonly deadlineMs: number;
  readonly concurrency: number;
}

export const defaultScanBounds: ScanBounds = { maxRequests: 100, requestTimeoutMs: 5_000, deadlineMs: 60_000, concurrency: 2 };

export interface ScanRequest {
  readonly target: URL;
  readonly profile: SecurityProfile;
  readonly bounds: ScanBounds;
  readonly signal: AbortSignal;
  onProgress(done: number, total: number, current: string): void;
  onFinding(finding: SecurityFinding): void;
}

export interface ScanOutcome {
  readonly findings: readonly SecurityFinding[];
  readonly requests: number;
  readonly endReason: SecurityEndReason;
}

const maxSameOriginRedirects = 3;

/**
 * One DAST scan of one origin: learns the target page and the server's "not found" shape,
 * then runs the checks of the profile one after another, each within the shared bounds.
 */
export async function runScan(request: ScanRequest): Promise<ScanOutcome> {
  const deadline = AbortSignal.timeout(request.bounds.deadlineMs);
  const signal = AbortSignal.any([request.signal, deadline]);
  const checks = securityChecks.filter((check) => request.profile === 'standard' || check.profile === 'passive');
  const total = Math.min(request.bounds.maxRequests, 2 + checks.reduce((sum, check) => sum + check.plannedRequests, 0));
  const client = new ProbeClient(request.target, { maxRequests: request.bounds.maxRequests, timeoutMs: request.bounds.requestTimeoutMs, concurrency: request.bounds.concurrency, signal });
  let current = 'Target page';
  client.onFinished = () => request.onProgress(Math.min(client.done, total), total, current);

  const findings = new Map<string, SecurityFinding>();
  const report = (found: readonly SecurityFinding[]) => {
    for (const finding of found) {
      if (findings.has(finding.id)) continue;
      findings.set(finding.id, finding);
      request.onFinding(finding);
    }
  };
  const endReason = (): SecurityEndReason => {
    if (request.signal.aborted) return 'stopped';
    if (deadline.aborted) return 'deadline';
    return client.budgetSpent ? 'max-requests' : 'completed';
  };
  const outcome = (reason: SecurityEndReason): ScanOutcome => ({ findings: [...findings.values()], requests: client.sent, endReason: reason });

  request.onProgress(0, total, current);
  const root = await fetchTarget(client, request.target, report);
  if (root === null) return outcome(signal.aborted || client.budgetSpent ? endReason() : 'unreachable');
  current = 'Not-found page';
  const marker = `kiops${randomBytes(6).toString('hex')}`;
  const notFound = await client.fetch({ path: `/${marker}-does-not-exist` });

  const context: CheckContext = { origin: new URL(request.target.origin), root, notFound, marker, fetch: (probe) => client.fetch(probe), responses: () => client.responses() };
  for (const check of checks) {
    if (signal.aborted) break;
    current = check.name;
    report(await check.run(context));
  }
  request.onProgress(client.done, Math.max(total, client.done), 'Done');
  return outcome(endReason());
}

/** The target page, following redirects only while they stay on the same origin. */
async function fetchTarget(client: ProbeClient, target: URL, report: (found: SecurityFinding[]) => void): Promise<RecordedResponse | null> {
  let path = target.pathname + target.search;
  for (let hop = 0; ; hop += 1) {
    const response = await client.fetch({ path });
    if (response === null) return null;
    const offsite = analyseRedirect(target, response);
    report(offsite);
    const location = response.headers['location'];
    const isRedirect = response.status >= 300 && response.status < 400 && typeof location === 'string';
    if (!isRedirect || offsite.length > 0 || hop >= maxSameOriginRedirects) return response;
    const next = new URL(location, target);
    path = next.pathname + next.search;
  }
}
