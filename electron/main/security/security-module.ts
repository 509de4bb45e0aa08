import { randomUUID } from 'node:crypto';
import type { SecurityFinding, SecurityReport, SeverityCounts } from '../../../shared/contract/security.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import type { CallHandlers, StreamHandlers } from '../ipc/router.ts';
import type { AppDatabase } from '../storage/database.ts';
import { SettingsRepository } from '../storage/settings-repository.ts';
import { ScanHistory } from './scan-history.ts';
import { defaultScanBounds, runScan, type ScanBounds } from './scanner.ts';

export interface SecurityModuleOptions {
  readonly db: AppDatabase;
  readonly trail: Pick<AuditTrail, 'audited'>;
  /** Tests shorten the per-request timeout and the deadline; maxRequests comes from each scan. */
  readonly bounds?: Partial<Omit<ScanBounds, 'maxRequests'>>;
}

export interface SecurityModule {
  readonly calls: Pick<CallHandlers, 'security.history' | 'security.report'>;
  readonly streams: Pick<StreamHandlers, 'security.scan'>;
}

export function countBySeverity(findings: readonly SecurityFinding[]): SeverityCounts {
  const counts: SeverityCounts = { info: 0, low: 0, medium: 0, high: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}

/** The Security Analysis page's calls: run a scan (audited, stored in the history), read past ones. */
export function createSecurityModule(options: SecurityModuleOptions): SecurityModule {
  const history = new ScanHistory(new SettingsRepository(options.db));
  return {
    calls: {
      'security.history': () => history.list(),
      'security.report': (input) => history.report(input.scanId),
    },
    streams: {
      async 'security.scan'(input, { emit, signal }) {
        const target = new URL(input.targetUrl);
        const scanId = randomUUID();
        const startedAt = new Date();
        const bounds: ScanBounds = { ...defaultScanBounds, ...options.bounds, maxRequests: input.maxRequests };
        const intent = {
          action: 'security.scan',
          target: target.origin,
          details: { targetUrl: target.href, profile: input.profile, maxRequests: input.maxRequests, scanId, ...(input.serviceId ? { serviceId: input.serviceId } : {}), authorisationConfirmed: true },
        };
        const report = await options.trail.audited(
          intent,
          async (): Promise<SecurityReport> => {
            const outcome = await runScan({
              target,
              profile: input.profile,
              bounds,
              signal,
              onProgress: (done, total, current) => emit({ kind: 'progress', done, total, current }),
              onFinding: (finding) => emit({ kind: 'finding', finding }),
            });
            const scanned: SecurityReport = {
              scanId,
              targetUrl: target.href,
              ...(input.serviceId ? { serviceId: input.serviceId } : {}),
              profile: input.profile,
              startedAt: startedAt.toISOString(),
              durationMs: Date.now() - startedAt.getTime(),
              requests: outcome.requests,
              endReason: outcome.endReason,
              counts: countBySeverity(outcome.findings),
              findings: [...outcome.findings],
            };
            history.save(scanned);
            return scanned;
          },
          { detailsFromResult: (scanned) => ({ counts: scanned.counts, requests: scanned.requests, endReason: scanned.endReason }) },
        );
        const { findings: _findings, ...summary } = report;
        emit({ kind: 'ended', summary });
      },
    },
  };
}
