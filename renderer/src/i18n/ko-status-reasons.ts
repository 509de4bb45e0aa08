import type { enStatusReasons } from './en-status-reasons.ts';

/** Korean of the status reasons main writes (`mainErrors.statusReasons.*`); part of `ko-errors.ts`. */
export const koStatusReasons: typeof enStatusReasons = {
  method: { direct: '직접', ssh: '직접 SSH', vpn: 'VPN' },
  choice: {
    selected: '{method}(사용자가 선택): {reason}',
    autoFirst: '자동으로 {method} 방식을 선택했습니다(우선순위 첫 번째, 정상): {reason}',
    autoFellBack: '자동으로 {method} 방식을 선택했습니다({failed} 이후 대체): {reason}',
    failed: '{method} 실패({reason})',
  },
  noMethodWorks: {
    all: '사용할 수 있는 접속 방식이 없습니다. {attempts}',
    attempt: '{method}: {reason}',
  },
  probe: {
    tcpAccepted: '{target}이(가) {ms}ms 만에 연결을 받았습니다.',
    tcpSilent: '{target}이(가) {ms}ms 안에 응답하지 않았습니다.',
    tcpUnreachable: '{target}에 연결할 수 없습니다({code}).',
    vpnUp: 'VPN 연결됨',
    joined: '{first}; {second}',
    sshUp: '{host}에 대한 SSH 연결이 살아 있습니다',
    sshReachesApi: '이 호스트에서 API 서버 {server}에 연결됩니다',
    socketAnswers: '엔진 소켓 {socketPath}이(가) 응답합니다',
  },
  vpn: {
    notUp: 'VPN "{profileId}"이(가) 연결되어 있지 않습니다.',
    openvpnTunnel: { down: 'OpenVPN 터널이 끊겨 있습니다.', connecting: 'OpenVPN 터널이 연결 중입니다.', failed: 'OpenVPN 터널이 실패했습니다.' },
    openvpnConnected: 'OpenVPN이 연결 완료를 알렸습니다.',
    wireguardTunnel: { down: 'WireGuard 터널이 끊겨 있습니다.', failed: 'WireGuard 터널이 실패했습니다.' },
    wireguardNoHandshake: 'WireGuard가 피어와 핸드셰이크하지 못했습니다.',
    wireguardStale: '마지막 WireGuard 핸드셰이크가 {seconds}초 전입니다.',
    wireguardHandshake: 'WireGuard 핸드셰이크 {seconds}초 전.',
    reconnecting: 'VPN이 다시 연결하는 중입니다({detail}).',
    reconnectingLost: 'VPN이 다시 연결하는 중입니다(연결 끊김).',
    openvpnStopped: 'OpenVPN이 멈췄습니다({how}). 로그의 마지막 줄:\n{log}',
    wireguardStopped: '{program}이(가) 멈췄습니다({how}). 로그의 마지막 줄:\n{log}',
    peerSilent: '최근 WireGuard 핸드셰이크가 없습니다: 피어가 응답하지 않습니다.',
    profileUnreadable: 'VPN 프로필을 읽을 수 없습니다.',
  },
  keychain: {
    unavailable:
      'OS 키체인(Secret Service)이 실행 중이 아니거나 잠겨 있어 KIOPS Desktop이 비밀을 보관할 수 없습니다. 비밀은 절대 평문으로 디스크에 저장되지 않습니다. 키링(예: GNOME Keyring, KWallet)을 시작하거나 잠금 해제한 뒤 다시 시도하세요. (키체인 응답: {detail})',
    vaultLocked: '암호 보관함이 잠겨 있습니다. 보관된 비밀을 쓰려면 암호로 잠금을 해제하세요.',
    noKeychain: '사용할 수 있는 OS 키체인이 없습니다.',
    noStore: '{why} 비밀을 보관하려면 OS 키체인을 시작하거나 잠금 해제하거나, 암호 보관함을 만드세요.',
    notAvailable: 'OS 키체인을 사용할 수 없습니다.',
  },
  metricsServer: {
    kindNotServed: 'API 서버가 {apiVersion} {kind}을(를) 제공하지 않습니다',
    objectFailed: '{object}({note})',
    noAvailableCondition: '아직 Available 상태 조건이 없습니다',
  },
};
