import type { MessageSchema } from './en.ts';

/** Korean messages. Typed against the English file: a missing or extra key fails the type check. */
export const ko: MessageSchema = {
  app: {
    name: 'KIOPS Desktop',
  },
  nav: {
    label: '페이지',
    services: '서비스 관리',
    environments: '런타임 환경',
    audit: '감사 로그',
    security: '보안 분석',
  },
  preferences: {
    language: '언어',
    theme: '테마',
    themeSystem: '시스템 테마',
    themeLight: '라이트',
    themeDark: '다크',
  },
  common: {
    retry: '다시 시도',
    notAvailableYet: '아직 사용할 수 없음',
    errorTitle: '문제가 발생했습니다',
    unexpectedError: '이 창에서 예기치 않은 오류가 발생했습니다. 다시 시도하고, 계속 발생하면 창을 새로 고치세요.',
  },
  connection: {
    connecting: 'KIOPS에 연결하는 중…',
    browserTitle: 'KIOPS에 연결되지 않음',
    browserBody:
      '이 페이지가 KIOPS 브라우저 모드 서버에 연결하지 못했습니다. {command}이 출력한 URL을 그대로 여세요. 그 URL에 일회용 접근 토큰이 들어 있습니다. 서버가 실행 중인지 확인한 뒤 다시 시도하세요.',
    electronTitle: 'KIOPS 앱과 연결이 끊어졌습니다',
    electronBody: '이 창이 앱의 메인 프로세스에 연결하지 못했습니다. 다시 시도하고, 계속 실패하면 KIOPS Desktop을 다시 시작하세요.',
    detail: '자세히: {message}',
  },
  status: {
    label: '앱 상태',
    version: '버전 {version}',
    shellElectron: '데스크톱 앱',
    shellBrowser: '브라우저 모드',
    keychainAvailable: 'OS 키체인 사용 가능',
    keychainUnavailable: 'OS 키체인 없음',
    auditAvailable: '감사 기록 중',
    auditUnavailable: '감사 기록 사용 불가',
    unknownReason: '알 수 없음',
    keychainRetry: '키체인 다시 연결',
    keychainStillUnavailable: 'OS 키체인을 아직 사용할 수 없습니다.',
    keychainConnected: 'OS 키체인에 연결했습니다.',
  },
  placeholder: {
    plannedTitle: '이 페이지에서 할 수 있게 될 일',
    notAvailableBody: '이 빌드에서는 아직 이 페이지를 사용할 수 없습니다. 여기에서는 클러스터나 호스트에 어떤 작업도 하지 않습니다.',
  },
  services: {
    title: '서비스 관리',
    summary: 'Kubernetes 클러스터와 Docker/Podman 호스트에 배포된 서비스를 한 목록에서 봅니다.',
    planned:
      '각 행에 서비스와 런타임이 표시되고, 자주 쓰는 서비스는 즐겨찾기로 빠르게 열 수 있습니다. 행의 운영(Operate) 단계를 누르면 운영 모달이 열립니다: 개요, Pod 또는 컨테이너 목록, 배포 관리, Config/Secret, 로그, 명령 실행, 도메인 설정.',
  },
  environments: {
    title: '런타임 환경',
    summary: 'KIOPS가 접속할 수 있는 Kubernetes 클러스터와 Docker/Podman 호스트입니다.',
    planned:
      '여기에서 클러스터(kubeconfig)와 엔진 호스트를 등록하고, 접속 방식(자동, VPN, 직접 SSH)을 고르고, 상태를 확인하게 됩니다. 자격 증명은 OS 키체인에만 보관되며 디스크에 평문으로 남지 않습니다.',
  },
  security: {
    title: '보안 분석',
    summary: '외부에 노출된 서비스에 대한 동적 보안 점검(DAST)입니다.',
    planned: 'Kubernetes와 Docker/Podman 서비스 모두에 대해 DAST 스캔을 시작하고, 진행 상황을 보고, 결과를 확인하게 됩니다.',
  },
  audit: {
    title: '감사 로그',
    summary: '모든 운영 작업은 결과가 반환되기 전에 기록됩니다. 기록은 추가만 가능하며 해시 체인으로 연결됩니다.',
    columns: {
      seq: '순번',
      at: '시각',
      actor: '수행자',
      action: '작업',
      target: '대상',
      outcome: '결과',
      error: '오류',
    },
    outcome: {
      success: '성공',
      failure: '실패',
      refused: '거부됨',
    },
    filterAction: '작업',
    filterActionPlaceholder: '작업 (예: deployment.scale)',
    filterOutcome: '결과',
    anyOutcome: '모든 결과',
    loadMore: '더 보기',
    empty: '아직 감사 기록이 없습니다. 운영 작업이 일어나면 여기에 표시됩니다.',
    emptyFiltered: '필터에 맞는 감사 기록이 없습니다.',
    loadFailed: '감사 로그를 불러오지 못했습니다',
    live: '실시간',
    liveStopped: '실시간 업데이트가 중지되었습니다',
    reconnect: '다시 연결',
    verify: '체인 검증',
    verifyOk: '체인이 온전합니다: {rows}개 행을 검증했습니다.',
    verifyProblem: '순번 {seq}에서 체인이 깨졌습니다 ({problem})',
    verifyProblemNoSeq: '체인이 깨졌습니다 ({problem})',
    verifyFailed: '체인을 검증하지 못했습니다',
    export: '내보내기',
    exported: '{fileName} 파일로 저장했습니다',
    exportFailed: '감사 로그를 내보내지 못했습니다',
  },
};
