import type { enTroubleshooting } from './en-troubleshooting.ts';

/** Korean troubleshooting explanations shown beside the symptom; part of `ko.ts`. */
export const koTroubleshooting: typeof enTroubleshooting = {
  troubleshooting: {
    crashLoop: {
      title: 'CrashLoopBackOff: 컨테이너가 계속 종료됩니다',
      ended: '{container} 컨테이너가 마지막에 종료 코드 {code}({reason})로 끝났고 {restarts}번 재시작했습니다. Kubernetes는 재시작할 때마다 더 오래 기다립니다.',
      noReason: '사유 없음',
      oomWithLimit: 'OOMKilled: 메모리 제한 {limit}보다 많은 메모리를 사용해 종료되었습니다. 디플로이먼트의 메모리 제한을 늘리거나 앱이 메모리를 더 쓰는 원인을 찾으세요.',
      oomNoLimit: 'OOMKilled: 노드의 메모리가 부족했습니다. 앱에 맞는 메모리 요청과 제한을 설정하거나 노드의 메모리를 늘리세요.',
      fix: '원인은 대개 이전 실행이 종료 직전에 출력한 내용에 있습니다. 이전 컨테이너의 로그를 확인하세요. 종료 코드 1은 애플리케이션 오류이고, 126과 127은 명령을 실행할 수 없거나 찾을 수 없다는 뜻입니다.',
      previousLogs: '이전 컨테이너 로그',
    },
  },
};
