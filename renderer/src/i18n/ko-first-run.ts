import type { enFirstRun } from './en-first-run.ts';

/** Korean messages of the first-run screen; part of `ko.ts`. */
export const koFirstRun: typeof enFirstRun = {
  firstRun: {
    title: 'KIOPS Desktop에 비밀 정보를 안전하게 보관할 곳이 필요합니다',
    missing:
      '이 컴퓨터에서 응답하는 OS 키체인이 없습니다(Secret Service가 없거나 잠겨 있음). 클러스터 자격 증명, SSH 키, 감사 키는 디스크에 평문으로 저장되지 않으므로 보관할 곳이 생길 때까지 아무것도 추가할 수 없습니다.',
    detail: '키체인 응답: {reason}',
    fixTitle: '키체인을 시작하거나 잠금 해제하기',
    thisComputer: '이 컴퓨터',
    linuxTitle: 'Linux',
    linuxKeyring: 'Secret Service(GNOME Keyring 또는 Secret Service 연동이 있는 KWallet)를 설치하고 데스크톱 세션에 로그인하면 잠금이 해제됩니다:',
    linuxHeadless: '헤드리스, SSH, 최소 창 관리자 환경에는 D-Bus 세션 버스가 없습니다. 키링을 잠금 해제한 세션 안에서 앱을 시작하세요:',
    wsl: 'WSL: Linux 앱은 Windows 자격 증명 관리자에 접근할 수 없습니다. 위와 같이 dbus-run-session 안에서 키링을 실행하거나 암호 금고를 사용하세요.',
    macTitle: 'macOS',
    mac: '로그인 키체인이 자동으로 사용됩니다. 잠겨 있으면 키체인 접근 앱이나 다음 명령으로 잠금 해제하세요:',
    windowsTitle: 'Windows',
    windows: 'Windows 자격 증명 관리자가 자동으로 사용됩니다. 서비스 계정이 아닌 본인 사용자 프로필로 로그인하고 자격 증명 관리자 서비스가 실행 중인지 확인하세요:',
    retryKeychain: '키체인 다시 시도',
    vaultTitle: '또는 암호 금고에 비밀 정보 보관하기',
    vaultBody:
      '앱 데이터 폴더의 암호화된 파일(scrypt 키 유도, AES-256-GCM)로, 앱을 시작할 때마다 한 번 암호로 잠금 해제하고 종료하면 다시 잠깁니다. 암호는 저장되지 않으므로 잊어버리면 금고의 비밀 정보를 잃습니다.',
    passphrase: '암호',
    passphraseRepeat: '암호 확인',
    passphraseHint: '{min}자 이상.',
    tooShort: '암호는 {min}자 이상이어야 합니다.',
    mismatch: '두 암호가 다릅니다.',
    create: '금고 만들기',
    unlockTitle: '암호 금고 잠금 해제',
    unlockBody: '이 컴퓨터는 비밀 정보를 암호 금고에 보관합니다. 이번 실행에서 사용하려면 암호를 입력하세요.',
    unlock: '잠금 해제',
  },
};
