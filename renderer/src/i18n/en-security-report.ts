/** English of the Security tab's Markdown export (headings and labels); part of `en.ts`. */
export const enSecurityReport = {
  securityReport: {
    title: 'DAST report: {target}',
    started: 'Started: {at}',
    profile: 'Profile: {profile}',
    profiles: { passive: 'passive', standard: 'standard' },
    requests: 'Requests: {requests} ({endReason})',
    endReasons: { completed: 'completed', 'max-requests': 'max-requests', deadline: 'deadline', stopped: 'stopped', unreachable: 'unreachable' },
    findings: 'Findings: high {high}, medium {medium}, low {low}, info {info}',
    severity: { info: 'INFO', low: 'LOW', medium: 'MEDIUM', high: 'HIGH' },
    finding: '[{severity}] {title}',
    evidence: 'Evidence: {text}',
    remediation: 'Remediation: {text}',
  },
};
