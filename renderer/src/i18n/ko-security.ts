import type { enSecurity } from './en-security.ts';

/** Korean messages of the Security Analysis page (DAST scan); part of `ko.ts`. */
export const koSecurity: typeof enSecurity = {
  security: {
    title: '보안 분석',
    summary: '외부에 노출된 서비스의 동적 보안 스캔(DAST).',
    target: '대상 URL',
    targetPlaceholder: 'https://shop.example.com/',
    service: '서비스 (선택 태그)',
    servicePlaceholder: '서비스 없음',
    profile: '프로필',
    profilePassive: '수동 (헤더만 확인)',
    profileStandard: '표준 (일반 경로도 점검)',
    maxRequests: '최대 요청 수',
    confirm: '이 대상을 스캔할 권한이 있습니다',
    confirmHelp: '소유하거나 서면으로 테스트 허가를 받은 시스템만 스캔하십시오. 스캔은 선택한 수 이하의 GET/HEAD/OPTIONS 요청을 한 번에 두 개씩 보내며, 데이터를 변경하지 않고 다른 호스트로의 리디렉션을 따라가지 않습니다. 감사 로그에 기록됩니다.',
    run: '스캔 실행',
    stop: '중지',
    progress: '{done} / {total} 요청 · {current}',
    scanFailed: '스캔을 실행할 수 없습니다',
    findings: '발견 사항',
    noFindings: '발견 사항 없음',
    ended: '스캔 종료 ({reason}): 요청 {requests}개, {seconds}초',
    endReason: { completed: '완료', 'max-requests': '요청 한도 도달', deadline: '시간 한도 도달', stopped: '중지됨', unreachable: '대상에 연결할 수 없음' },
    severity: { info: '정보', low: '낮음', medium: '중간', high: '높음' },
    columns: { severity: '심각도', title: '발견 사항', evidence: '증거', remediation: '조치 방법' },
    history: '이전 스캔',
    historyEmpty: '아직 스캔이 없습니다',
    open: '열기',
    exportJson: 'JSON 내보내기',
    exportMarkdown: 'Markdown 내보내기',
  },
};
