import type { SecurityFinding, SecurityReport, SecuritySeverity } from '../../../../shared/contract/security.ts';
import type { Translator } from '../../i18n/main-error-text.ts';
import { findingText, type FindingField } from './finding-text.ts';

export const severityOrder: readonly SecuritySeverity[] = ['high', 'medium', 'low', 'info'];

/** Findings grouped by severity, worst first. */
export const sortFindings = (findings: readonly SecurityFinding[]): SecurityFinding[] =>
  [...findings].sort((a, b) => severityOrder.indexOf(a.severity) - severityOrder.indexOf(b.severity));

/** The report as Markdown in the window's language: headings, labels and each finding's words. */
export function reportMarkdown(report: SecurityReport, translator: Translator): string {
  const t = (key: string, params: Record<string, string | number> = {}) => translator.render(`securityReport.${key}`, params);
  const lines = [
    `# ${t('title', { target: report.targetUrl })}`,
    '',
    `- ${t('started', { at: report.startedAt })}`,
    `- ${t('profile', { profile: t(`profiles.${report.profile}`) })}`,
    `- ${t('requests', { requests: report.requests, endReason: t(`endReasons.${report.endReason}`) })}`,
    `- ${t('findings', { ...report.counts })}`,
    '',
  ];
  for (const finding of sortFindings(report.findings)) {
    const text = (field: FindingField) => findingText(finding, field, translator);
    lines.push(`## ${t('finding', { severity: t(`severity.${finding.severity}`), title: text('title') })}`, '', t('evidence', { text: text('evidence') }), '', t('remediation', { text: text('remediation') }), '');
  }
  return lines.join('\n');
}
