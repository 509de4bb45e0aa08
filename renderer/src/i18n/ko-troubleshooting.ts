import type { enTroubleshooting } from './en-troubleshooting.ts';

/** Korean troubleshooting explanations shown beside the symptom; part of `ko.ts`. */
export const koTroubleshooting: typeof enTroubleshooting = {
  troubleshooting: {
    metricsNotReady: {
      check: '확인할 것: kube-system의 metrics-server Pod가 Running이고 Ready인지, 그 로그(kubelet 인증서 오류라면 --kubelet-insecure-tls 또는 서명된 kubelet 인증서가 필요), APIService v1beta1.metrics.k8s.io가 Available인지. 설치 직후에는 최대 1분 걸립니다. 계속 그대로라면 다시 설치하세요.',
    },
    logs: {
      'pod-gone': 'Pod가 없어졌습니다. 삭제되었거나 교체되었고(롤아웃, 재시작, 스케일 다운, 축출) 로그도 함께 사라졌습니다. 대상을 다시 불러와 현재 Pod를 선택하세요. Pod가 없어진 뒤에도 출력을 보관하려면 로그 저장소로 보내세요.',
      'container-gone': '그 컨테이너는 더 이상 Pod에 없습니다. 변경된 스펙으로 Pod가 다시 만들어졌습니다. 대상을 다시 불러와 현재 컨테이너를 선택하세요.',
      'no-previous': "읽을 이전 실행이 없습니다. Pod가 시작된 뒤 컨테이너가 재시작되지 않았습니다. 현재 실행을 보려면 '이전 컨테이너'를 끄세요.",
      'not-started': '컨테이너가 아직 시작되지 않아 출력이 없습니다. Pod 목록에서 상태와 이벤트를 확인하세요. 무엇을 기다리는지(이미지 풀, 볼륨, 스케줄링) 알려 줍니다.',
      permission: "이 사용자는 여기서 로그를 읽을 수 없습니다. 로그를 읽으려면 이 네임스페이스의 pods/log에 대한 'get' 권한이 필요합니다. 클러스터 관리자에게 권한을 주는 Role을 요청하거나 권한이 있는 kubeconfig 사용자를 사용하세요.",
    },
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
