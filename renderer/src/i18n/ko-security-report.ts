import type { enSecurityReport } from './en-security-report.ts';

/** Korean of the Security tab's Markdown export; part of `ko.ts`. */
export const koSecurityReport: typeof enSecurityReport = {
  securityReport: {
    title: 'DAST 보고서: {target}',
    started: '시작: {at}',
    profile: '프로필: {profile}',
    profiles: { passive: '수동', standard: '표준' },
    requests: '요청: {requests}건({endReason})',
    endReasons: { completed: '완료', 'max-requests': '요청 한도 도달', deadline: '시간 한도 도달', stopped: '중지됨', unreachable: '대상에 연결할 수 없음' },
    findings: '발견 사항: 높음 {high}, 중간 {medium}, 낮음 {low}, 정보 {info}',
    severity: { info: '정보', low: '낮음', medium: '중간', high: '높음' },
    finding: '[{severity}] {title}',
    evidence: '증거: {text}',
    remediation: '조치 방법: {text}',
  },
};
