import type { z } from 'zod';
import { securityReportSchema, type SecurityReport, type SecurityScanSummary } from '../../../shared/contract/security.ts';
import { AppError } from '../../../shared/errors.ts';
import type { SettingsRepository } from '../storage/settings-repository.ts';

const prefix = 'security.scan.';
const keep = 50;

/**
 * Past scans as small JSON settings, one per scan under a time-ordered key; the oldest go
 * beyond the newest 50. Findings hold no secrets (names and paths only), so they may be stored.
 */
export class ScanHistory {
  private readonly settings: SettingsRepository;

  constructor(settings: SettingsRepository) {
    this.settings = settings;
  }

  save(report: SecurityReport): void {
    this.settings.set(this.keyOf(report), report);
    const keys = this.settings.keys(prefix);
    for (const key of keys.slice(0, Math.max(0, keys.length - keep))) this.settings.delete(key);
  }

  list(): SecurityScanSummary[] {
    return this.reports().map(({ findings: _findings, ...summary }) => summary);
  }

  report(scanId: string): SecurityReport {
    const found = this.reports().find((report) => report.scanId === scanId);
    if (!found) throw new AppError('NOT_FOUND', 'That scan is no longer in the history.', undefined, { key: 'environments.security.scanNotFound' });
    return found;
  }

  private reports(): SecurityReport[] {
    return this.settings
      .keys(prefix)
      .reverse()
      .map((key) => this.settings.get(key, securityReportSchema))
      .filter((report): report is z.infer<typeof securityReportSchema> => report !== null);
  }

  private keyOf(report: SecurityReport): string {
    return `${prefix}${report.startedAt}.${report.scanId}`;
  }
}
