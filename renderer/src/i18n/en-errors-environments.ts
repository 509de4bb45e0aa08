/**
 * English of the messages main's environments code sends as keys (`mainErrors.environments.*`); part of
 * `en-errors.ts`. Each mirrors main's English text with its parameters as `{name}`.
 */

/** A file the operator named could not be used, one sentence per reason; `file` names it (with `{path}`). */
const fileProblems = (file: string) => ({
  missing: `The ${file} does not exist.`,
  denied: `The ${file} cannot be read (permission denied).`,
  folder: `The ${file} is a folder, not a file.`,
  unreadable: `The ${file} cannot be read.`,
  notFile: `The ${file} is not a regular file (a device, FIFO, socket or folder); choose the file itself.`,
  tooLarge: `The ${file} is larger than {kib} KiB.`,
});

/** Where a kubeconfig fails its schema, and `what` is wrong there. */
const schemaPlaces = (what: string) => ({
  namedField: `The kubeconfig {source} is invalid: {kind} "{name}" field "{field}" ${what}.`,
  named: `The kubeconfig {source} is invalid: {kind} "{name}" ${what}.`,
  entryField: `The kubeconfig {source} is invalid: {kind} entry {index} field "{field}" ${what}.`,
  entry: `The kubeconfig {source} is invalid: {kind} entry {index} ${what}.`,
  field: `The kubeconfig {source} is invalid: field "{field}" ${what}.`,
  document: `The kubeconfig {source} is invalid: the document ${what}.`,
});

const auditKeyProblems = (prefix: string) => ({
  notConnected: `${prefix}The audit trail has not been connected to the OS keychain yet.`,
  keyDamaged: `${prefix}The audit trail cannot record actions, so KIOPS Desktop refuses them: The audit key in the OS keychain ({secret}) is damaged ({bytes} bytes instead of 32).`,
  keyMissing: `${prefix}The audit trail cannot record actions, so KIOPS Desktop refuses them: The audit trail's key ({secret}) is missing from the OS keychain, so new entries cannot be chained to the existing trail. Restore the keychain entry (for example from a keyring backup) to continue.`,
  keyNotKept: `${prefix}The audit trail cannot record actions, so KIOPS Desktop refuses them: The OS keychain did not keep the new audit key.`,
  keychainUnavailable: `${prefix}The audit trail cannot record actions, so KIOPS Desktop refuses them: {detail}`,
  headNotStored: `${prefix}The audit trail cannot record actions, so KIOPS Desktop refuses them: its head could not be stored ({detail}).`,
});

const blockAccess = 'Remove the file from the served directory and deny the path in the web server or ingress.';

/** An exposed file found by the Security Analysis scan: `what` it is, and what to do about it. */
const exposed = (what: string, remediation: string) => ({
  title: `Exposed ${what} at {path}`,
  evidence: `GET {path} → 200 and the content matches a ${what} (content not recorded).`,
  remediation,
});

const errorPage = (what: string) => ({ title: `Error page reveals ${what}`, evidence: `{method} {path} → {status}, body contains ${what} (not recorded).` });

/** The Security Analysis findings (shared/contract/security.ts `texts`), as main's checks write them. */
const securityFindings = {
  banner: {
    serverVersion: { title: 'Server header discloses a version', evidence: 'Server: {value}', remediation: 'Hide the version in the Server header (nginx server_tokens off; Apache ServerTokens Prod).' },
    poweredBy: { title: 'X-Powered-By header discloses the framework', evidence: 'X-Powered-By: {value}', remediation: 'Remove the X-Powered-By header (Express: app.disable("x-powered-by"); PHP: expose_php = Off).' },
  },
  cookies: {
    title: 'Cookie "{name}" lacks {flags}',
    evidence: 'Set-Cookie for "{name}" without {flags} (value not recorded).',
    remediation: 'Set session and other sensitive cookies with Secure; HttpOnly; SameSite=Lax (or Strict).',
  },
  cors: {
    evidence: 'GET {path} with Origin: {origin} → Access-Control-Allow-Origin: {allowOrigin}, Allow-Credentials: {credentials}.',
    evidenceSentOrigin: 'GET {path} with Origin: {origin} → Access-Control-Allow-Origin: (the sent origin), Allow-Credentials: {credentials}.',
    reflectedCredentials: { title: 'CORS reflects any Origin with credentials', remediation: 'Allow only a fixed list of trusted origins; never echo the request Origin when credentials are allowed.' },
    wildcardCredentials: { title: 'CORS wildcard combined with credentials', remediation: 'Do not send Allow-Credentials: true with Access-Control-Allow-Origin: *; list trusted origins instead.' },
    reflected: { title: 'CORS reflects any Origin', remediation: 'Allow only the origins that need cross-origin access.' },
  },
  listing: {
    title: 'Directory listing enabled at {path}',
    evidence: 'GET {path} → 200 with a generated index page.',
    remediation: 'Turn off automatic directory indexes (nginx autoindex off; Apache Options -Indexes) and serve only intended files.',
  },
  errorPage: {
    node: errorPage('a Node.js stack trace'),
    python: errorPage('a Python traceback'),
    java: errorPage('a Java stack trace'),
    php: errorPage('a PHP error'),
    aspNet: errorPage('an ASP.NET error'),
    phpStack: errorPage('a PHP stack trace'),
    remediation: 'Show a generic error page in production and log the details server-side only.',
  },
  headers: {
    title: '{name} missing',
    evidence: 'GET {path} → {status} without {name}.',
    csp: "Send a Content-Security-Policy, starting from default-src 'self', and tighten it per page.",
    nosniff: 'Send X-Content-Type-Options: nosniff on every response.',
    framing: "Send X-Frame-Options: DENY or a CSP with frame-ancestors 'none' (or the origins allowed to frame the page).",
    referrerPolicy: 'Send Referrer-Policy: strict-origin-when-cross-origin (or no-referrer).',
    permissionsPolicy: 'Send a Permissions-Policy that turns off the browser features the service does not use (camera=(), microphone=(), geolocation=()).',
  },
  methods: {
    title: 'Risky HTTP methods allowed: {methods}',
    evidence: 'OPTIONS {path} → {status}, Allow: {methods} (not sent by the scan).',
    remediation: 'Allow only the methods the service needs, and require authentication for PUT/DELETE.',
    remediationTrace: 'Disable TRACE/TRACK (cross-site tracing). Allow only the methods the service needs, and require authentication for PUT/DELETE.',
  },
  reflection: {
    title: 'Parameter "{parameter}" is reflected unescaped into HTML',
    evidence: 'GET {path}?{parameter}={marker} → {status}; the marker\'s "{lt}" came back unescaped.',
    remediation: 'HTML-escape every request value written into a page (use the template engine’s escaping) and add a Content-Security-Policy.',
  },
  paths: {
    gitConfig: exposed('Git repository configuration', 'Do not deploy the .git folder; deny /.git/ in the web server. The whole source history may be downloadable.'),
    env: exposed('environment file', `${blockAccess} Rotate every credential it held.`),
    serverStatus: exposed('Apache server status page', 'Restrict mod_status to internal addresses (Require local) or turn it off.'),
    actuatorEnv: exposed('Spring Boot actuator environment', 'Expose only the health actuator publicly (management.endpoints.web.exposure.include=health).'),
    dsStore: exposed('macOS folder metadata', blockAccess),
    phpSourceBackup: exposed('PHP source backup', blockAccess),
    phpConfigBackup: exposed('PHP configuration backup', blockAccess),
    zipArchive: exposed('ZIP archive', blockAccess),
    gzipArchive: exposed('gzip archive', blockAccess),
  },
  plainHttp: { title: 'Served over plain HTTP', evidence: '{origin} answered without TLS.', remediation: 'Serve the service over HTTPS only and redirect HTTP to HTTPS.' },
  hstsMissing: { title: 'HSTS header missing', evidence: 'GET {path} → {status} without Strict-Transport-Security.', remediation: 'Send Strict-Transport-Security: max-age=31536000; includeSubDomains on HTTPS responses.' },
  offsiteRedirect: {
    title: 'Redirect to another origin (not followed)',
    evidence: 'GET {path} → {status} to {target}; the scan stays on {origin}.',
    remediation: 'Check the redirect is intended; scan the other origin separately if you are authorised to.',
  },
};

/** What an integrity check of the audit trail found (audit-chain.ts), between the sentences that quote it. */
const auditFindings = (before: string, after: string) => ({
  headFileMissing: `${before}The audit head file is missing although the trail has {rows} rows; rows cut from the end could not be noticed.${after}`,
  headFileUnreadable: `${before}The audit head file is unreadable: {detail}${after}`,
  wrongKey: `${before}The trail was sealed with another audit key ({sealedKey}) than the one in the OS keychain ({currentKey}); it cannot be verified with this key.${after}`,
  headFileAltered: `${before}The audit head file was altered: its signature does not match.${after}`,
  headFileCut: `${before}Rows {first}–{last} were cut from the end of the trail (the head file records row {last}, the table ends at {tableEnd}).${after}`,
  headFileReplaced: `${before}Row {row} is not the row the head file recorded; the end of the trail was replaced.${after}`,
  keychainEmptied: `${before}The audit key is in the OS keychain but the trail is empty and its keychain anchor is gone: the trail was emptied or replaced.${after}`,
  keychainMissing: `${before}The keychain copy of the audit head is missing although the trail has {rows} rows; rows cut from the end could not be noticed.${after}`,
  keychainUnreadable: `${before}The keychain copy of the audit head is unreadable: {detail}${after}`,
  keychainAltered: `${before}The keychain copy of the audit head was altered: its signature does not match.${after}`,
  keychainTrailEmptied: `${before}The trail is empty, but the OS keychain records {rows} rows: the trail was emptied or an older copy of the database was put back.${after}`,
  keychainCut: `${before}Rows {first}–{last} are missing: the OS keychain records row {last}, the table ends at {tableEnd} (rows were cut, or an older copy of the database was put back).${after}`,
  keychainReplaced: `${before}Row {row} is not the row the OS keychain recorded; the trail was replaced.${after}`,
  headFileBehind: `${before}The head file records row {fileRow} but the OS keychain records row {keychainRow}: an older head file was put back.${after}`,
  rowsMissing: `${before}Rows {first}–{last} are missing from the trail.${after}`,
  rowMissing: `${before}Row {row} is missing from the trail.${after}`,
  swapped: `${before}Rows {row} and {next} were swapped.${after}`,
  renumbered: `${before}Row {row} was removed and the rows after it renumbered.${after}`,
  edited: `${before}Row {row} was changed after it was recorded.${after}`,
  unlinked: `${before}Row {row} does not follow row {previous}; rows were replaced or spliced in.${after}`,
});

export const enErrorsEnvironments = {
  nameTaken: 'An environment named "{name}" already exists; choose another name.',
  notFound: 'This environment does not exist (any more). Refresh the list.',
  storageDamaged: 'The stored environment {id} has a damaged {column} column and was not used.',
  identityGone: 'The chosen SSH identity does not exist (any more); add it under SSH identities first.',
  vpnProfileGone: 'The chosen VPN profile does not exist (any more); add it under VPN profiles first.',
  edit: {
    namespaceKubernetesOnly: 'Only a Kubernetes environment has a namespace.',
    socketEngineOnly: 'Only a Docker or Podman environment has a socket path.',
    tcpHasNoSocket: 'A Docker daemon on TCP has no socket path; add its context again instead.',
    localRemoteSwitch: 'A local engine cannot become a remote one (or back); add a new environment instead.',
  },
  keychain: {
    unavailable: 'Nothing was saved: the OS keychain is not available, and KIOPS keeps credentials nowhere else.',
    unavailableBecause: 'Nothing was saved: the OS keychain is not available, and KIOPS keeps credentials nowhere else. {detail}',
    nothingSaved: 'Nothing was saved: {detail}',
  },
  ssh: {
    identityNotFound: 'This SSH identity does not exist (any more); choose another one.',
    identityNameTaken: 'An SSH identity named "{name}" already exists.',
    identityInUse: 'The SSH identity "{name}" is still used by {usedBy}; change those environments first.',
    keyPassphraseMissing: 'This private key is protected by a passphrase; enter it to add the key.',
    keyPassphraseWrong: 'The passphrase does not unlock this private key.',
    notPrivateKey: 'This is not a private key SSH can use (expected an OpenSSH, PEM or PuTTY ed25519, ECDSA or RSA private key).',
    publicKey: 'This is a public key; paste the private key instead.',
  },
  vpn: {
    profileNotFound: 'This VPN profile does not exist (any more); choose another one.',
    profileNameTaken: 'A VPN profile named "{name}" already exists.',
    profileInUse: 'The VPN profile "{name}" is still used by {usedBy}; change those environments first.',
  },
  engine: {
    noSocket: 'No socket at {path}.',
    permissionDenied: 'Permission denied (is your user in the docker group?).',
    noPing: 'The socket does not answer _ping (is the engine running?).',
    unknownComponents: '{where} answered, but as neither Docker nor Podman (components {components}). KIOPS manages Docker and Podman engines only; point it at a Docker or Podman API socket.',
    unknownComponentsOnPlatform: '{where} answered, but as neither Docker nor Podman (components {components}, platform "{platform}"). KIOPS manages Docker and Podman engines only; point it at a Docker or Podman API socket.',
    noComponents: '{where} answered, but as neither Docker nor Podman (no engine components). KIOPS manages Docker and Podman engines only; point it at a Docker or Podman API socket.',
    noComponentsOnPlatform: '{where} answered, but as neither Docker nor Podman (no engine components, platform "{platform}"). KIOPS manages Docker and Podman engines only; point it at a Docker or Podman API socket.',
    noVersion: '{where} answered, but as neither Docker nor Podman (no /version answer). KIOPS manages Docker and Podman engines only; point it at a Docker or Podman API socket.',
  },
  dockerContext: {
    notFound: 'There is no Docker context named "{name}" in {dir}.',
    noEndpoint: 'The Docker context "{name}" has no Docker endpoint.',
    tlsUnreadable: 'The TLS files of "{name}" cannot be read.',
    hostUnreadable: 'The Docker host of "{name}" cannot be read.',
    sshIdentityNeeded: 'The Docker context "{name}" reaches {host} over SSH: choose the SSH identity KIOPS logs in with.',
    noSshUser: 'The Docker context "{name}" names no SSH user; give the user name to log in as.',
    plainTcp:
      'The Docker context "{name}" talks to {url} without TLS: anyone on the network can read and send commands to that daemon, which gives root on its host. Use a TLS context, or confirm that you accept an unencrypted, unauthenticated connection.',
    skipTlsVerify: 'The Docker context "{name}" skips verifying the daemon\'s certificate (SkipTLSVerify); KIOPS verifies it. Give the context its CA and turn that off.',
    tlsFilesMissing: 'The Docker context "{name}" lacks {missing}: KIOPS needs the CA and a client certificate and key to talk to {url}.',
    socketNotAbsolute: 'The socket in "{host}" is not an absolute path.',
    notHostUrl: '"{host}" is not a Docker host URL (unix://, ssh:// or tcp://).',
    hostMissing: '"{host}" names no host.',
    noHost: 'The Docker context "{name}" has no Docker host.',
    selectedMissing: '{by} names the context "{name}", which does not exist in {dir}.',
    sshPassword: 'An ssh:// Docker host with a password is not supported; use an SSH key.',
    unsupportedScheme: 'The Docker host scheme "{scheme}" is not supported (unix://, ssh:// or tcp://).',
    pemFile: '{path} is not a regular PEM file under {kib} KiB.',
  },
  kubernetes: {
    contextTwice: 'A context was chosen twice.',
    reimportKubernetesOnly: 'Only a Kubernetes environment has a kubeconfig to re-import.',
    reimportPasted: '"{name}" was added from pasted text, not from files; add it again to change it.',
    contextGone: 'The kubeconfig {paths} no longer has the context "{context}"; remove "{name}" or put the context back.',
  },
  kubeconfig: {
    noCurrentContext: 'The kubeconfig {source} has no current-context; choose one of its contexts.',
    missingContext: 'The kubeconfig {source} has no context named "{name}".',
    missingContextKnown: 'The kubeconfig {source} has no context named "{name}" (it has: {known}).',
    missingCluster: 'Context "{name}" in {source} names cluster "{cluster}", which is not defined in the kubeconfig.',
    missingUser: 'Context "{name}" in {source} names user "{user}", which is not defined in the kubeconfig.',
    empty: 'The kubeconfig {source} is empty.',
    notYaml: 'The kubeconfig {source} is not valid YAML.',
    notYamlAt: 'The kubeconfig {source} is not valid YAML (line {line}, column {column}).',
    notMapping: 'The kubeconfig {source} is not a YAML mapping (expected keys such as clusters, users, contexts).',
    schemaMissing: schemaPlaces('is missing'),
    schemaWrong: schemaPlaces('has the wrong type or value'),
    tokenEmpty: 'The token file {path} of kubeconfig user "{user}" is empty.',
    contextUnreadable: 'This context cannot be read.',
    filesUnreadable: 'The kubeconfig files cannot be read.',
  },
  file: {
    kubeconfig: fileProblems('kubeconfig file {path}'),
    ssh: fileProblems('SSH file {path}'),
    field: fileProblems('"{field}" file {path}'),
    token: fileProblems('token file {path} of kubeconfig user "{user}"'),
  },
  oidc: {
    settingsIncomplete: 'The OIDC settings of {label} lack idp-issuer-url or client-id.',
    noRefreshToken: 'The OIDC id-token of {label} expired and there is no refresh-token: log in again (e.g. kubectl oidc-login), then re-import the kubeconfig.',
    notHttps: 'The OIDC issuer {issuer} of {label} is not https; tokens are only sent over TLS.',
    noDiscovery: 'The OIDC issuer {issuer} of {label} has no usable discovery document.',
    noIdToken: 'The OIDC issuer {issuer} answered the refresh of {label} without an id_token.',
    refused: 'The OIDC issuer {issuer} refused to refresh the token of {label}: {error}.',
    refreshTokenInvalid:
      'The OIDC issuer {issuer} refused to refresh the token of {label}: {error}. The refresh token is no longer valid: log in again (e.g. kubectl oidc-login), then re-import the kubeconfig.',
    unreachable: 'The OIDC issuer {issuer} of {label} cannot be reached: {detail}',
  },
  execPlugin: {
    notFound: 'The credential plugin for {label} ({commandLine}) could not start: "{command}" was not found.',
    notFoundHint: 'The credential plugin for {label} ({commandLine}) could not start: "{command}" was not found. {detail}',
    notExecutable: 'The credential plugin for {label} ({commandLine}) could not start: "{command}" is not executable.',
    cannotStart: 'The credential plugin for {label} ({commandLine}) could not start ({detail}).',
    timedOut: 'The credential plugin for {label} ({commandLine}) did not finish within {duration} and was stopped.',
    overflow: 'The credential plugin for {label} ({commandLine}) printed more output than a credential can hold and was stopped.',
    failedSignal: 'The credential plugin for {label} ({commandLine}) failed with signal {signal}.',
    failedSignalOutput: 'The credential plugin for {label} ({commandLine}) failed with signal {signal}: {detail}',
    failedExit: 'The credential plugin for {label} ({commandLine}) failed with exit code {exitCode}.',
    failedExitOutput: 'The credential plugin for {label} ({commandLine}) failed with exit code {exitCode}: {detail}',
    notJson: 'The credential plugin for {label} ({commandLine}) did not print an ExecCredential JSON object.',
    invalidCredential: 'The credential plugin for {label} ({commandLine}) printed JSON that is not a valid ExecCredential (kind and status are required).',
    noCredential: 'The credential plugin for {label} ({commandLine}) returned neither a token nor a client certificate and key.',
  },
  audit: {
    entryInvalid: 'The audit entry for "{action}" is not valid: {detail}.',
    detailsTooLarge: 'The audit details for "{action}" are larger than {max} characters; record a summary.',
    headNotWritten: 'The audit head could not be written ({detail}), so the row is not tamper-evident; KIOPS Desktop refuses actions until it can.',
    writtenByTrail: '"{action}" rows are written by the trail itself.',
    useStart: 'Use start() for a "started" row, so its outcome can be chained to it.',
    rowNotStored: 'The audit row was not stored.',
    noRows: 'An audited action needs at least one audit row.',
    outcomeRecorded: 'The outcome of audit row {seq} was already recorded.',
    broken: auditFindings('The audit trail failed its integrity check: ', ' KIOPS Desktop refuses operational actions until someone reviews the Audit Log and acknowledges the finding.'),
    anchorFailure:
      'The audit head could not be stored ({detail}), so actions would not be tamper-evident; KIOPS Desktop refuses them until it can (is the disk full or the keychain locked?).',
    failureNotRecorded: '{action} on {target} failed ({detail}), and the failure could not be recorded in the audit trail: {auditDetail}',
    doneNotRecorded: '{action} on {target} was carried out, but it could not be recorded in the audit trail: {auditDetail}',
    intact: 'The audit trail is intact; there is nothing to acknowledge.',
    restoreKey: { wrongKey: auditFindings('', ' Restore the original key to continue.').wrongKey },
    reasonNeeded: 'Say why the audit trail finding is being acknowledged.',
    keyProblem: auditKeyProblems(''),
    cannotVerify: auditKeyProblems('The audit trail cannot be verified: '),
  },
  catalog: {
    deploymentMisplaced: 'A deployment {namespace}/{deployment} cannot live in "{name}" ({kind}).',
    composeMisplaced: 'A compose project {project} cannot live in "{name}" ({kind}).',
    containersMisplaced: 'A containers {containers} cannot live in "{name}" ({kind}).',
    onlyManualRemovable: 'Only services registered by hand can be removed, and this one is not registered.',
    noLongerRegistered: 'This service is no longer registered.',
    deploymentNeedsKubernetes: 'A Deployment id must name a Kubernetes environment.',
    containerNeedsEngine: 'A container id must name a Docker or Podman environment.',
    notKubernetes: '"{name}" is not a Kubernetes cluster; it has no namespaces.',
    containersUnreachable: 'Cannot list the containers of "{name}": {detail}',
    noAnswerWithin: '"{name}" did not answer within {seconds} s.',
    noAnswer: '"{name}" did not answer in time.',
    serviceId: {
      form: '"{id}" is not a service id the app gave out: it is not of the form environment:kind:name.',
      environment: '"{id}" is not a service id the app gave out: it does not start with an environment id the app gave out.',
      deployment: '"{id}" is not a service id the app gave out: it does not name a Deployment as namespace/name with valid Kubernetes names.',
      compose: '"{id}" is not a service id the app gave out: it does not name a valid Compose project.',
      container: '"{id}" is not a service id the app gave out: it does not name a valid container.',
      registered: '"{id}" is not a service id the app gave out: it does not name a registered service.',
      kind: '"{id}" is not a service id the app gave out: it has an unknown kind "{kind}".',
      other: '"{id}" is not a service id the app gave out: it {detail}.',
    },
  },
  security: {
    scanNotFound: 'That scan is no longer in the history.',
    findings: securityFindings,
  },
};
