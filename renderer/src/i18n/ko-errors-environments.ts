import type { enErrorsEnvironments } from './en-errors-environments.ts';

/** 운영자가 지정한 파일을 쓸 수 없을 때, 이유마다 한 문장; `file`은 파일을 가리킵니다(`{path}` 포함). */
const fileProblems = (file: string) => ({
  missing: `${file}이(가) 없습니다.`,
  denied: `${file}을(를) 읽을 수 없습니다(권한 거부).`,
  folder: `${file}은(는) 파일이 아니라 폴더입니다.`,
  unreadable: `${file}을(를) 읽을 수 없습니다.`,
  notFile: `${file}은(는) 일반 파일이 아닙니다(장치, FIFO, 소켓 또는 폴더). 파일 자체를 선택하세요.`,
  tooLarge: `${file}이(가) {kib} KiB보다 큽니다.`,
});

/** kubeconfig가 스키마에 맞지 않는 위치와, 그곳에서 잘못된 점(`what`; 문서 전체는 `whole`). */
const schemaPlaces = (what: string, whole: string) => ({
  namedField: `kubeconfig {source}이(가) 올바르지 않습니다: {kind} "{name}"의 필드 "{field}"${what}.`,
  named: `kubeconfig {source}이(가) 올바르지 않습니다: {kind} "{name}"${what}.`,
  entryField: `kubeconfig {source}이(가) 올바르지 않습니다: {index}번째 {kind} 항목의 필드 "{field}"${what}.`,
  entry: `kubeconfig {source}이(가) 올바르지 않습니다: {index}번째 {kind} 항목${what}.`,
  field: `kubeconfig {source}이(가) 올바르지 않습니다: 필드 "{field}"${what}.`,
  document: `kubeconfig {source}이(가) 올바르지 않습니다: 문서 전체${whole}.`,
});

const refused = '감사 기록에 작업을 기록할 수 없어 KIOPS Desktop이 작업을 거부합니다: ';
const auditKeyProblems = (prefix: string) => ({
  notConnected: `${prefix}감사 기록이 아직 OS 키체인에 연결되지 않았습니다.`,
  keyDamaged: `${prefix}${refused}OS 키체인의 감사 키({secret})가 손상되었습니다(32바이트가 아니라 {bytes}바이트).`,
  keyMissing: `${prefix}${refused}감사 기록의 키({secret})가 OS 키체인에 없어 새 항목을 기존 기록에 연결할 수 없습니다. 계속하려면 키체인 항목을 복원하세요(예: keyring 백업에서).`,
  keyNotKept: `${prefix}${refused}OS 키체인이 새 감사 키를 보관하지 않았습니다.`,
  keychainUnavailable: `${prefix}${refused}{detail}`,
  headNotStored: `${prefix}${refused}헤드를 저장할 수 없었습니다({detail}).`,
});

/** 감사 기록 무결성 검사에서 발견한 내용(audit-chain.ts)을, 앞뒤 문장과 함께. */
const auditFindings = (before: string, after: string) => ({
  headFileMissing: `${before}기록에 {rows}개 행이 있는데 감사 헤드 파일이 없습니다. 끝에서 잘려 나간 행을 알아챌 수 없었습니다.${after}`,
  headFileUnreadable: `${before}감사 헤드 파일을 읽을 수 없습니다: {detail}${after}`,
  wrongKey: `${before}이 기록은 OS 키체인의 감사 키({currentKey})가 아닌 다른 감사 키({sealedKey})로 봉인되어, 이 키로는 검증할 수 없습니다.${after}`,
  headFileAltered: `${before}감사 헤드 파일이 변경되었습니다: 서명이 일치하지 않습니다.${after}`,
  headFileCut: `${before}{first}–{last}행이 기록의 끝에서 잘려 나갔습니다(헤드 파일은 {last}행을 기록했지만 테이블은 {tableEnd}행에서 끝남).${after}`,
  headFileReplaced: `${before}{row}행이 헤드 파일에 기록된 행이 아닙니다. 기록의 끝부분이 바뀌었습니다.${after}`,
  keychainEmptied: `${before}OS 키체인에 감사 키가 있지만 기록이 비어 있고 키체인 앵커가 사라졌습니다: 기록이 비워졌거나 교체되었습니다.${after}`,
  keychainMissing: `${before}기록에 {rows}개 행이 있는데 감사 헤드의 키체인 사본이 없습니다. 끝에서 잘려 나간 행을 알아챌 수 없었습니다.${after}`,
  keychainUnreadable: `${before}감사 헤드의 키체인 사본을 읽을 수 없습니다: {detail}${after}`,
  keychainAltered: `${before}감사 헤드의 키체인 사본이 변경되었습니다: 서명이 일치하지 않습니다.${after}`,
  keychainTrailEmptied: `${before}기록이 비어 있지만 OS 키체인에는 {rows}개 행이 기록되어 있습니다: 기록이 비워졌거나 데이터베이스의 이전 사본으로 되돌려졌습니다.${after}`,
  keychainCut: `${before}{first}–{last}행이 없습니다: OS 키체인은 {last}행을 기록했지만 테이블은 {tableEnd}행에서 끝납니다(행이 잘려 나갔거나 데이터베이스의 이전 사본으로 되돌려짐).${after}`,
  keychainReplaced: `${before}{row}행이 OS 키체인에 기록된 행이 아닙니다. 기록이 교체되었습니다.${after}`,
  headFileBehind: `${before}헤드 파일은 {fileRow}행을, OS 키체인은 {keychainRow}행을 기록하고 있습니다: 이전 헤드 파일로 되돌려졌습니다.${after}`,
  rowsMissing: `${before}기록에서 {first}–{last}행이 없습니다.${after}`,
  rowMissing: `${before}기록에서 {row}행이 없습니다.${after}`,
  swapped: `${before}{row}행과 {next}행이 서로 바뀌었습니다.${after}`,
  renumbered: `${before}{row}행이 삭제되고 그 뒤의 행 번호가 다시 매겨졌습니다.${after}`,
  edited: `${before}{row}행이 기록된 뒤에 변경되었습니다.${after}`,
  unlinked: `${before}{row}행이 {previous}행에 이어지지 않습니다. 행이 교체되었거나 끼워 넣어졌습니다.${after}`,
});

const neither = 'KIOPS는 Docker와 Podman 엔진만 관리합니다. Docker 또는 Podman API 소켓을 지정하세요.';
const plugin = '{label}의 자격 증명 플러그인({commandLine})';
const notServiceId = '"{id}"은(는) 앱이 발급한 서비스 ID가 아닙니다: ';

const blockAccess = '제공 디렉터리에서 파일을 삭제하고 웹 서버나 인그레스에서 이 경로를 차단하세요.';

const exposed = (what: string, remediation: string) => ({
  title: `{path}에 ${what}이(가) 노출되어 있습니다`,
  evidence: `GET {path} → 200, 내용이 ${what}과(와) 일치합니다(내용은 기록하지 않음).`,
  remediation,
});

const errorPage = (what: string) => ({ title: `오류 페이지에 ${what}이(가) 드러납니다`, evidence: `{method} {path} → {status}, 본문에 ${what}이(가) 있습니다(기록하지 않음).` });

/** 보안 분석 발견 사항(shared/contract/security.ts `texts`)의 한국어. */
const securityFindings: typeof enErrorsEnvironments.security.findings = {
  banner: {
    serverVersion: { title: 'Server 헤더에 버전이 드러납니다', evidence: 'Server: {value}', remediation: 'Server 헤더에서 버전을 숨기세요(nginx server_tokens off, Apache ServerTokens Prod).' },
    poweredBy: { title: 'X-Powered-By 헤더에 프레임워크가 드러납니다', evidence: 'X-Powered-By: {value}', remediation: 'X-Powered-By 헤더를 제거하세요(Express: app.disable("x-powered-by"), PHP: expose_php = Off).' },
  },
  cookies: {
    title: '쿠키 "{name}"에 {flags}이(가) 없습니다',
    evidence: '"{name}"의 Set-Cookie에 {flags}이(가) 없습니다(값은 기록하지 않음).',
    remediation: '세션 쿠키와 그 밖의 민감한 쿠키에는 Secure; HttpOnly; SameSite=Lax(또는 Strict)를 설정하세요.',
  },
  cors: {
    evidence: 'Origin: {origin}으로 GET {path} → Access-Control-Allow-Origin: {allowOrigin}, Allow-Credentials: {credentials}.',
    evidenceSentOrigin: 'Origin: {origin}으로 GET {path} → Access-Control-Allow-Origin: (보낸 Origin 그대로), Allow-Credentials: {credentials}.',
    reflectedCredentials: { title: 'CORS가 자격 증명과 함께 모든 Origin을 그대로 허용합니다', remediation: '신뢰하는 Origin 목록만 허용하고, 자격 증명을 허용할 때는 요청의 Origin을 그대로 돌려보내지 마세요.' },
    wildcardCredentials: { title: 'CORS 와일드카드와 자격 증명을 함께 허용합니다', remediation: 'Access-Control-Allow-Origin: *와 함께 Allow-Credentials: true를 보내지 말고, 신뢰하는 Origin을 나열하세요.' },
    reflected: { title: 'CORS가 모든 Origin을 그대로 허용합니다', remediation: '교차 출처 접근이 필요한 Origin만 허용하세요.' },
  },
  listing: {
    title: '{path}에서 디렉터리 목록이 켜져 있습니다',
    evidence: 'GET {path} → 200, 자동 생성된 인덱스 페이지입니다.',
    remediation: '자동 디렉터리 인덱스를 끄고(nginx autoindex off, Apache Options -Indexes) 의도한 파일만 제공하세요.',
  },
  errorPage: {
    node: errorPage('Node.js 스택 트레이스'),
    python: errorPage('Python traceback'),
    java: errorPage('Java 스택 트레이스'),
    php: errorPage('PHP 오류'),
    aspNet: errorPage('ASP.NET 오류'),
    phpStack: errorPage('PHP 스택 트레이스'),
    remediation: '운영 환경에서는 일반적인 오류 페이지를 보여 주고, 세부 내용은 서버 쪽 로그에만 남기세요.',
  },
  headers: {
    title: '{name} 헤더 없음',
    evidence: 'GET {path} → {status}, {name} 헤더가 없습니다.',
    csp: "Content-Security-Policy를 보내세요. default-src 'self'에서 시작해 페이지마다 좁히세요.",
    nosniff: '모든 응답에 X-Content-Type-Options: nosniff를 보내세요.',
    framing: "X-Frame-Options: DENY 또는 frame-ancestors 'none'(또는 페이지를 프레임에 넣을 수 있는 Origin)이 있는 CSP를 보내세요.",
    referrerPolicy: 'Referrer-Policy: strict-origin-when-cross-origin(또는 no-referrer)을 보내세요.',
    permissionsPolicy: '서비스가 쓰지 않는 브라우저 기능을 끄는 Permissions-Policy를 보내세요(camera=(), microphone=(), geolocation=()).',
  },
  methods: {
    title: '위험한 HTTP 메서드가 허용됩니다: {methods}',
    evidence: 'OPTIONS {path} → {status}, Allow: {methods}(스캔은 이 메서드를 보내지 않음).',
    remediation: '서비스에 필요한 메서드만 허용하고, PUT/DELETE에는 인증을 요구하세요.',
    remediationTrace: 'TRACE/TRACK을 끄세요(크로스 사이트 트레이싱). 서비스에 필요한 메서드만 허용하고, PUT/DELETE에는 인증을 요구하세요.',
  },
  reflection: {
    title: '파라미터 "{parameter}"이(가) 이스케이프되지 않은 채 HTML에 반영됩니다',
    evidence: 'GET {path}?{parameter}={marker} → {status}, 표식의 "{lt}"가 이스케이프되지 않고 돌아왔습니다.',
    remediation: '페이지에 쓰는 모든 요청 값을 HTML 이스케이프하고(템플릿 엔진의 이스케이프 사용) Content-Security-Policy를 추가하세요.',
  },
  paths: {
    gitConfig: exposed('Git 저장소 설정', '.git 폴더를 배포하지 말고 웹 서버에서 /.git/을 차단하세요. 소스 이력 전체를 내려받을 수 있을 수 있습니다.'),
    env: exposed('환경 변수 파일', `${blockAccess} 파일에 있던 자격 증명은 모두 교체하세요.`),
    serverStatus: exposed('Apache 서버 상태 페이지', 'mod_status를 내부 주소로 제한하거나(Require local) 끄세요.'),
    actuatorEnv: exposed('Spring Boot actuator 환경 정보', 'health actuator만 외부에 공개하세요(management.endpoints.web.exposure.include=health).'),
    dsStore: exposed('macOS 폴더 메타데이터', blockAccess),
    phpSourceBackup: exposed('PHP 소스 백업', blockAccess),
    phpConfigBackup: exposed('PHP 설정 백업', blockAccess),
    zipArchive: exposed('ZIP 압축 파일', blockAccess),
    gzipArchive: exposed('gzip 압축 파일', blockAccess),
  },
  plainHttp: { title: '암호화되지 않은 HTTP로 제공됩니다', evidence: '{origin}이(가) TLS 없이 응답했습니다.', remediation: '서비스를 HTTPS로만 제공하고 HTTP는 HTTPS로 리디렉션하세요.' },
  hstsMissing: { title: 'HSTS 헤더 없음', evidence: 'GET {path} → {status}, Strict-Transport-Security 헤더가 없습니다.', remediation: 'HTTPS 응답에 Strict-Transport-Security: max-age=31536000; includeSubDomains를 보내세요.' },
  offsiteRedirect: {
    title: '다른 Origin으로 리디렉션합니다(따라가지 않음)',
    evidence: 'GET {path} → {status}, {target}(으)로 이동합니다. 스캔은 {origin}에 머뭅니다.',
    remediation: '의도한 리디렉션인지 확인하세요. 다른 Origin은 스캔 권한이 있을 때 따로 스캔하세요.',
  },
};

/** Korean of `mainErrors.environments.*`; part of `ko-errors.ts`. */
export const koErrorsEnvironments: typeof enErrorsEnvironments = {
  nameTaken: '"{name}" 이름의 환경이 이미 있습니다. 다른 이름을 선택하세요.',
  notFound: '이 환경이 (더 이상) 없습니다. 목록을 새로 고치세요.',
  storageDamaged: '저장된 환경 {id}의 {column} 열이 손상되어 사용하지 않았습니다.',
  identityGone: '선택한 SSH 자격 증명이 (더 이상) 없습니다. 먼저 SSH 자격 증명에서 추가하세요.',
  vpnProfileGone: '선택한 VPN 프로필이 (더 이상) 없습니다. 먼저 VPN 프로필에서 추가하세요.',
  edit: {
    namespaceKubernetesOnly: '네임스페이스는 Kubernetes 환경에만 있습니다.',
    socketEngineOnly: '소켓 경로는 Docker 또는 Podman 환경에만 있습니다.',
    tcpHasNoSocket: 'TCP로 연결하는 Docker 데몬에는 소켓 경로가 없습니다. 대신 컨텍스트를 다시 추가하세요.',
    localRemoteSwitch: '로컬 엔진을 원격 엔진으로(또는 그 반대로) 바꿀 수 없습니다. 새 환경을 추가하세요.',
  },
  keychain: {
    unavailable: '아무것도 저장하지 않았습니다: OS 키체인을 사용할 수 없으며, KIOPS는 자격 증명을 다른 곳에 보관하지 않습니다.',
    unavailableBecause: '아무것도 저장하지 않았습니다: OS 키체인을 사용할 수 없으며, KIOPS는 자격 증명을 다른 곳에 보관하지 않습니다. {detail}',
    nothingSaved: '아무것도 저장하지 않았습니다: {detail}',
  },
  ssh: {
    identityNotFound: '이 SSH 자격 증명이 (더 이상) 없습니다. 다른 자격 증명을 선택하세요.',
    identityNameTaken: '"{name}" 이름의 SSH 자격 증명이 이미 있습니다.',
    identityInUse: 'SSH 자격 증명 "{name}"을(를) 아직 {usedBy}에서 사용합니다. 먼저 해당 환경을 변경하세요.',
    keyPassphraseMissing: '이 개인 키는 패스프레이즈로 보호되어 있습니다. 키를 추가하려면 패스프레이즈를 입력하세요.',
    keyPassphraseWrong: '패스프레이즈로 이 개인 키를 열 수 없습니다.',
    notPrivateKey: 'SSH에서 쓸 수 있는 개인 키가 아닙니다(OpenSSH, PEM 또는 PuTTY 형식의 ed25519, ECDSA, RSA 개인 키가 필요합니다).',
    publicKey: '공개 키입니다. 대신 개인 키를 붙여 넣으세요.',
  },
  vpn: {
    profileNotFound: '이 VPN 프로필이 (더 이상) 없습니다. 다른 프로필을 선택하세요.',
    profileNameTaken: '"{name}" 이름의 VPN 프로필이 이미 있습니다.',
    profileInUse: 'VPN 프로필 "{name}"을(를) 아직 {usedBy}에서 사용합니다. 먼저 해당 환경을 변경하세요.',
  },
  engine: {
    noSocket: '{path}에 소켓이 없습니다.',
    permissionDenied: '권한이 거부되었습니다(사용자가 docker 그룹에 속해 있나요?).',
    noPing: '소켓이 _ping에 응답하지 않습니다(엔진이 실행 중인가요?).',
    unknownComponents: `{where}: 응답은 했지만 Docker도 Podman도 아닙니다(components {components}). ${neither}`,
    unknownComponentsOnPlatform: `{where}: 응답은 했지만 Docker도 Podman도 아닙니다(components {components}, platform "{platform}"). ${neither}`,
    noComponents: `{where}: 응답은 했지만 Docker도 Podman도 아닙니다(엔진 components 없음). ${neither}`,
    noComponentsOnPlatform: `{where}: 응답은 했지만 Docker도 Podman도 아닙니다(엔진 components 없음, platform "{platform}"). ${neither}`,
    noVersion: `{where}: 응답은 했지만 Docker도 Podman도 아닙니다(/version 응답 없음). ${neither}`,
  },
  dockerContext: {
    notFound: '{dir}에 "{name}" 이름의 Docker 컨텍스트가 없습니다.',
    noEndpoint: 'Docker 컨텍스트 "{name}"에 Docker 엔드포인트가 없습니다.',
    tlsUnreadable: '"{name}"의 TLS 파일을 읽을 수 없습니다.',
    hostUnreadable: '"{name}"의 Docker 호스트를 읽을 수 없습니다.',
    sshIdentityNeeded: 'Docker 컨텍스트 "{name}"은(는) SSH로 {host}에 접속합니다. KIOPS가 로그인에 사용할 SSH 자격 증명을 선택하세요.',
    noSshUser: 'Docker 컨텍스트 "{name}"에 SSH 사용자가 없습니다. 로그인할 사용자 이름을 입력하세요.',
    plainTcp:
      'Docker 컨텍스트 "{name}"은(는) TLS 없이 {url}에 연결합니다. 네트워크의 누구나 이 데몬과 주고받는 내용을 읽고 명령을 보낼 수 있으며, 이는 호스트의 root 권한과 같습니다. TLS 컨텍스트를 사용하거나, 암호화·인증 없는 연결을 받아들인다고 확인하세요.',
    skipTlsVerify: 'Docker 컨텍스트 "{name}"은(는) 데몬 인증서 검증을 건너뜁니다(SkipTLSVerify). KIOPS는 인증서를 검증합니다. 컨텍스트에 CA를 지정하고 이 설정을 끄세요.',
    tlsFilesMissing: 'Docker 컨텍스트 "{name}"에 {missing}이(가) 없습니다. {url}에 연결하려면 CA와 클라이언트 인증서 및 키가 필요합니다.',
    socketNotAbsolute: '"{host}"의 소켓이 절대 경로가 아닙니다.',
    notHostUrl: '"{host}"은(는) Docker 호스트 URL(unix://, ssh:// 또는 tcp://)이 아닙니다.',
    hostMissing: '"{host}"에 호스트가 없습니다.',
    noHost: 'Docker 컨텍스트 "{name}"에 Docker 호스트가 없습니다.',
    selectedMissing: '{by}이(가) 지정한 컨텍스트 "{name}"이(가) {dir}에 없습니다.',
    sshPassword: '비밀번호가 포함된 ssh:// Docker 호스트는 지원하지 않습니다. SSH 키를 사용하세요.',
    unsupportedScheme: 'Docker 호스트 스킴 "{scheme}"은(는) 지원하지 않습니다(unix://, ssh:// 또는 tcp://).',
    pemFile: '{path}은(는) {kib} KiB 이하의 일반 PEM 파일이 아닙니다.',
  },
  kubernetes: {
    contextTwice: '같은 컨텍스트를 두 번 선택했습니다.',
    reimportKubernetesOnly: '다시 가져올 kubeconfig는 Kubernetes 환경에만 있습니다.',
    reimportPasted: '"{name}"은(는) 파일이 아니라 붙여 넣은 텍스트로 추가했습니다. 변경하려면 다시 추가하세요.',
    contextGone: 'kubeconfig {paths}에 더 이상 컨텍스트 "{context}"가 없습니다. "{name}"을(를) 삭제하거나 컨텍스트를 되돌리세요.',
  },
  kubeconfig: {
    noCurrentContext: 'kubeconfig {source}에 current-context가 없습니다. 컨텍스트 중 하나를 선택하세요.',
    missingContext: 'kubeconfig {source}에 "{name}" 이름의 컨텍스트가 없습니다.',
    missingContextKnown: 'kubeconfig {source}에 "{name}" 이름의 컨텍스트가 없습니다(있는 컨텍스트: {known}).',
    missingCluster: '{source}의 컨텍스트 "{name}"이(가) 가리키는 클러스터 "{cluster}"가 kubeconfig에 정의되어 있지 않습니다.',
    missingUser: '{source}의 컨텍스트 "{name}"이(가) 가리키는 사용자 "{user}"가 kubeconfig에 정의되어 있지 않습니다.',
    empty: 'kubeconfig {source}이(가) 비어 있습니다.',
    notYaml: 'kubeconfig {source}이(가) 올바른 YAML이 아닙니다.',
    notYamlAt: 'kubeconfig {source}이(가) 올바른 YAML이 아닙니다({line}행 {column}열).',
    notMapping: 'kubeconfig {source}이(가) YAML 매핑이 아닙니다(clusters, users, contexts 같은 키가 있어야 합니다).',
    schemaMissing: schemaPlaces('이(가) 없습니다', '에 필요한 내용이 없습니다'),
    schemaWrong: schemaPlaces('의 형식이나 값이 잘못되었습니다', '의 형식이나 값이 잘못되었습니다'),
    tokenEmpty: 'kubeconfig 사용자 "{user}"의 토큰 파일 {path}이(가) 비어 있습니다.',
    contextUnreadable: '이 컨텍스트를 읽을 수 없습니다.',
    filesUnreadable: 'kubeconfig 파일을 읽을 수 없습니다.',
  },
  file: {
    kubeconfig: fileProblems('kubeconfig 파일 {path}'),
    ssh: fileProblems('SSH 파일 {path}'),
    field: fileProblems('"{field}" 파일 {path}'),
    token: fileProblems('kubeconfig 사용자 "{user}"의 토큰 파일 {path}'),
  },
  oidc: {
    settingsIncomplete: '{label}의 OIDC 설정에 idp-issuer-url 또는 client-id가 없습니다.',
    noRefreshToken: '{label}의 OIDC id-token이 만료되었고 refresh-token이 없습니다. 다시 로그인한 뒤(예: kubectl oidc-login) kubeconfig를 다시 가져오세요.',
    notHttps: '{label}의 OIDC 발급자 {issuer}이(가) https가 아닙니다. 토큰은 TLS로만 보냅니다.',
    noDiscovery: '{label}의 OIDC 발급자 {issuer}에 사용할 수 있는 discovery 문서가 없습니다.',
    noIdToken: 'OIDC 발급자 {issuer}이(가) {label}의 갱신 요청에 id_token 없이 응답했습니다.',
    refused: 'OIDC 발급자 {issuer}이(가) {label}의 토큰 갱신을 거부했습니다: {error}.',
    refreshTokenInvalid:
      'OIDC 발급자 {issuer}이(가) {label}의 토큰 갱신을 거부했습니다: {error}. refresh token이 더 이상 유효하지 않습니다. 다시 로그인한 뒤(예: kubectl oidc-login) kubeconfig를 다시 가져오세요.',
    unreachable: '{label}의 OIDC 발급자 {issuer}에 연결할 수 없습니다: {detail}',
  },
  execPlugin: {
    notFound: `${plugin}을(를) 시작할 수 없습니다: "{command}"을(를) 찾을 수 없습니다.`,
    notFoundHint: `${plugin}을(를) 시작할 수 없습니다: "{command}"을(를) 찾을 수 없습니다. {detail}`,
    notExecutable: `${plugin}을(를) 시작할 수 없습니다: "{command}"에 실행 권한이 없습니다.`,
    cannotStart: `${plugin}을(를) 시작할 수 없습니다({detail}).`,
    timedOut: `${plugin}이(가) {duration} 안에 끝나지 않아 중지했습니다.`,
    overflow: `${plugin}이(가) 자격 증명에 담을 수 있는 것보다 많이 출력해 중지했습니다.`,
    failedSignal: `${plugin}이(가) 시그널 {signal}로 실패했습니다.`,
    failedSignalOutput: `${plugin}이(가) 시그널 {signal}로 실패했습니다: {detail}`,
    failedExit: `${plugin}이(가) 종료 코드 {exitCode}로 실패했습니다.`,
    failedExitOutput: `${plugin}이(가) 종료 코드 {exitCode}로 실패했습니다: {detail}`,
    notJson: `${plugin}이(가) ExecCredential JSON 객체를 출력하지 않았습니다.`,
    invalidCredential: `${plugin}이(가) 올바른 ExecCredential이 아닌 JSON을 출력했습니다(kind와 status가 필요합니다).`,
    noCredential: `${plugin}이(가) 토큰도, 클라이언트 인증서와 키도 반환하지 않았습니다.`,
  },
  audit: {
    entryInvalid: '"{action}"의 감사 항목이 올바르지 않습니다: {detail}.',
    detailsTooLarge: '"{action}"의 감사 세부 정보가 {max}자보다 깁니다. 요약을 기록하세요.',
    headNotWritten: '감사 헤드를 기록할 수 없어({detail}) 이 행은 변조를 감지할 수 없습니다. 기록할 수 있을 때까지 KIOPS Desktop이 작업을 거부합니다.',
    writtenByTrail: '"{action}" 행은 감사 기록이 직접 기록합니다.',
    useStart: '"started" 행은 start()를 사용하세요. 그래야 결과를 그 행에 연결할 수 있습니다.',
    rowNotStored: '감사 행이 저장되지 않았습니다.',
    noRows: '감사 대상 작업에는 감사 행이 하나 이상 있어야 합니다.',
    outcomeRecorded: '감사 행 {seq}의 결과가 이미 기록되었습니다.',
    broken: auditFindings('감사 기록의 무결성 검사에 실패했습니다: ', ' 누군가 감사 로그를 검토하고 이 발견 사항을 확인할 때까지 KIOPS Desktop이 운영 작업을 거부합니다.'),
    anchorFailure: '감사 헤드를 저장할 수 없어({detail}) 작업의 변조를 감지할 수 없습니다. 저장할 수 있을 때까지 KIOPS Desktop이 작업을 거부합니다(디스크가 가득 찼거나 키체인이 잠겨 있나요?).',
    failureNotRecorded: '{target}에 대한 {action}이(가) 실패했고({detail}), 이 실패를 감사 기록에 남기지 못했습니다: {auditDetail}',
    doneNotRecorded: '{target}에 대한 {action}을(를) 실행했지만 감사 기록에 남기지 못했습니다: {auditDetail}',
    intact: '감사 기록에 이상이 없습니다. 확인할 발견 사항이 없습니다.',
    restoreKey: { wrongKey: auditFindings('', ' 계속하려면 원래 키를 복원하세요.').wrongKey },
    reasonNeeded: '감사 기록의 발견 사항을 확인하는 이유를 입력하세요.',
    keyProblem: auditKeyProblems(''),
    cannotVerify: auditKeyProblems('감사 기록을 검증할 수 없습니다: '),
  },
  catalog: {
    deploymentMisplaced: 'deployment {namespace}/{deployment}은(는) "{name}"({kind})에 있을 수 없습니다.',
    composeMisplaced: 'compose 프로젝트 {project}은(는) "{name}"({kind})에 있을 수 없습니다.',
    containersMisplaced: '컨테이너 {containers}은(는) "{name}"({kind})에 있을 수 없습니다.',
    onlyManualRemovable: '직접 등록한 서비스만 삭제할 수 있으며, 이 서비스는 등록되어 있지 않습니다.',
    noLongerRegistered: '이 서비스는 더 이상 등록되어 있지 않습니다.',
    deploymentNeedsKubernetes: 'Deployment ID는 Kubernetes 환경을 가리켜야 합니다.',
    containerNeedsEngine: '컨테이너 ID는 Docker 또는 Podman 환경을 가리켜야 합니다.',
    notKubernetes: '"{name}"은(는) Kubernetes 클러스터가 아니어서 네임스페이스가 없습니다.',
    containersUnreachable: '"{name}"의 컨테이너 목록을 가져올 수 없습니다: {detail}',
    noAnswerWithin: '"{name}"이(가) {seconds}초 안에 응답하지 않았습니다.',
    noAnswer: '"{name}"이(가) 제시간에 응답하지 않았습니다.',
    serviceId: {
      form: `${notServiceId}environment:kind:name 형식이 아닙니다.`,
      environment: `${notServiceId}앱이 발급한 환경 ID로 시작하지 않습니다.`,
      deployment: `${notServiceId}올바른 Kubernetes 이름의 namespace/name 형식으로 Deployment를 가리키지 않습니다.`,
      compose: `${notServiceId}올바른 Compose 프로젝트를 가리키지 않습니다.`,
      container: `${notServiceId}올바른 컨테이너를 가리키지 않습니다.`,
      registered: `${notServiceId}등록된 서비스를 가리키지 않습니다.`,
      kind: `${notServiceId}알 수 없는 종류 "{kind}"입니다.`,
      other: `${notServiceId}{detail}.`,
    },
  },
  security: {
    scanNotFound: '그 스캔은 더 이상 기록에 없습니다.',
    findings: securityFindings,
  },
};
