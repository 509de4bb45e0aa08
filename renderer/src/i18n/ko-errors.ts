import type { enErrors } from './en-errors.ts';
import { koErrorsConnections } from './ko-errors-connections.ts';
import { koErrorsOperations } from './ko-errors-operations.ts';
import { koErrorsEnvironments } from './ko-errors-environments.ts';
import { koStatusReasons } from './ko-status-reasons.ts';
import { koDoing } from './ko-doing.ts';
import { koSubjects } from './ko-subjects.ts';

/** Korean of the messages main sends as keys; part of `ko.ts`. */
export const koErrors: typeof enErrors = {
  mainErrors: {
    statusReasons: koStatusReasons,
    connections: koErrorsConnections,
    operations: koErrorsOperations,
    environments: koErrorsEnvironments,
    doing: koDoing,
    ...koSubjects,
    productionConfirmation: '운영 환경을 변경합니다. 계속하려면 서비스 이름을 입력하세요: {confirmText}',
    productionCommandConfirmation: '이 명령은 운영 환경의 데이터를 변경합니다. 실행하려면 입력한 명령을 그대로 다시 입력하세요: {confirmText}',
    permissionDenied: {
      logs: '"{environment}"에서 로그를 볼 권한이 없습니다. {why} 필요하면 조직 관리자에게 권한을 요청하세요.',
      commands: '"{environment}"에서 명령을 실행할 권한이 없습니다. {why} 필요하면 조직 관리자에게 권한을 요청하세요.',
      management: '"{environment}"을(를) 관리(재시작, 스케일, 배포, 설정 편집)할 권한이 없습니다. {why} 필요하면 조직 관리자에게 권한을 요청하세요.',
    },
    // 권한이 없는 이유 (운영 모달: 숨겨진 탭, 비활성화된 작업)
    withheld: {
      notice: '조직 관리자에게 권한을 요청하세요.',
      noticeWith: '조직 관리자에게 권한을 요청하세요. {details}',
      policyInvalid: '조직 권한 정책({path})이 올바르지 않습니다: {problem}. 고칠 때까지 어디에서도 로그, 명령, 관리가 허용되지 않습니다.',
      policyInvalidAtLine: '조직 권한 정책({path}, {line}번째 줄)이 올바르지 않습니다: {problem}. 고칠 때까지 어디에서도 로그, 명령, 관리가 허용되지 않습니다.',
      notGranted: {
        productionDefault: '{permission} 권한이 없습니다: "{environment}"은(는) 운영 환경이며, 조직 정책 파일({path})이 없으면 운영 환경에서는 로그 보기만 허용됩니다.',
        noPolicy: '{permission} 권한이 없습니다: 조직 정책 파일({path})이 없습니다.',
        noRule: '{permission} 권한이 없습니다: 조직 정책({path})에 "{environment}"과(와) 일치하는 규칙이 없고 기본값에도 포함되어 있지 않습니다.',
        rule: '{permission} 권한이 없습니다: 조직 정책({path})의 규칙 {rule}({match}과(와) 일치)에 포함되어 있지 않습니다.',
      },
      permission: { logs: '로그 보기', commands: '명령 실행', management: '관리' },
      match: { id: '식별자 {value}', name: '이름 {value}', tag: '태그 {value}' },
      rbac: '클러스터가 네임스페이스 "{namespace}"에서 {reviews}을(를) 허용하지 않습니다.',
      notAsked: '클러스터에 허용된 작업을 물어볼 수 없었습니다: {detail}',
    },
    permissionWhy: {
      productionDefault: '"{environment}"은(는) 운영 환경이며, 조직 정책 파일이 없으면 운영 환경에서는 로그 보기만 허용됩니다.',
      policy: '조직 정책이 이 환경에 대해 이 권한을 허용하지 않습니다.',
      policyError: '조직 정책 파일이 올바르지 않습니다. 고칠 때까지 어디에서도 아무것도 허용되지 않습니다.',
      rbac: '클러스터가 네임스페이스 "{namespace}"에서 이 작업을 허용하지 않습니다.',
    },
    hpaLocked: 'HPA가 활성화되어 있는 동안에는 수동 스케일이 잠깁니다. 먼저 HPA를 삭제하세요. (HPA "{hpa}")',
    blockedCommand: '"{rule}" 규칙에 따라 명령이 차단되었습니다.',
    sshUnreachable: '{host}에 연결할 수 없습니다 ({reason}).',
    sshHandshakeTimeout: '{host}에 연결할 수 없습니다: SSH 핸드셰이크 시간이 초과되었습니다.',
    engineUnreachable: '컨테이너 엔진에 연결할 수 없습니다: {detail}',
    policyReadOnly: '조직 정책({path})을 저장하지 않았습니다. 파일이 읽기 전용이며 조직에서 관리합니다.',
    policyChanged: '조직 정책({path})이 연 뒤에 변경되었습니다. 아무것도 저장하지 않았습니다. 다시 읽은 뒤 변경하세요.',
  },
};
