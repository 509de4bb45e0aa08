import type { enPolicy } from './en-policy.ts';

/** Korean of the organisation policy editor and of what Production takes away; part of `ko.ts`. */
export const koPolicy: typeof enPolicy = {
  policy: {
    tab: '조직 정책',
    title: '조직 권한 정책',
    summary: '각 환경이 허용하는 운영자 권한입니다. 아래 파일이 계속 기준입니다. 여기서 저장한 내용은 그 파일에 기록되며, 조직이 배포하는 파일도 이전처럼 동작합니다.',
    file: '파일: {path}',
    absent: '아직 정책 파일이 없어 기본값이 적용됩니다(운영 환경은 로그 보기만, 그 외 환경은 모두 허용). 저장하면 파일이 만들어집니다.',
    invalid: '정책 파일이 올바르지 않아 고칠 때까지 어디에서도 아무것도 허용되지 않습니다: {problem}',
    readOnly: '읽기 전용: {reason}',
    default: '어떤 규칙에도 해당하지 않는 환경',
    rules: '규칙(처음 일치하는 규칙이 적용됨)',
    matchBy: '일치 기준',
    matchKinds: { name: '이름 패턴', tag: '태그', id: '환경 ID' },
    matchValue: '패턴, 태그 또는 ID',
    matchHelp: '이름 패턴에서 *는 임의의 문자열, ?는 한 글자입니다. 태그: production, non-production, kubernetes, docker, podman 또는 환경 자체의 태그.',
    permissions: { logs: '로그', commands: '명령 실행', management: '관리' },
    addRule: '규칙 추가',
    removeRule: '삭제',
    moveUp: '위로',
    noRules: '규칙이 없습니다. 모든 환경에 위의 권한이 적용됩니다.',
    save: '정책 저장',
    saved: '{path}에 저장했습니다',
    saveFailed: '정책을 저장하지 못했습니다',
    loadFailed: '조직 정책을 읽지 못했습니다',
    reload: '다시 읽기',
    problem: '규칙 {rule}: {problem}',
    needsValue: '패턴, 태그 또는 ID를 입력하세요',
  },
  production: {
    title: '운영 환경이 제한하는 권한과 허용하는 방법',
    removes: '조직 정책에 규칙이 없으면 운영 환경에서는 로그 보기만 허용됩니다. 재시작, 스케일, 배포, 설정 편집이 비활성화되고 명령 실행 탭이 숨겨집니다.',
    why: '로그 보기는 아무것도 바꾸지 않으며 장애 대응에 가장 먼저 필요합니다. 운영 환경 컨테이너에서 명령을 실행하거나 운영 환경 워크로드를 변경하는 것은 기본값이 아니라 조직이 명시적으로 정해야 할 일입니다.',
    grant: '허용하려면 런타임 환경 → 조직 정책에서 이 환경에 대한 규칙(이름 패턴, 태그 또는 ID)을 추가하거나, 조직이 배포하는 정책 파일에 추가하세요. 클러스터 RBAC는 그 위에 계속 적용됩니다.',
    modalWithheld: '여기서 제한된 권한: {permissions}.',
  },
};
