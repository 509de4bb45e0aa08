/**
 * English messages: the source of truth for the message keys. `ko.ts` is typed against this
 * object, so a key added here and not translated there fails the type check.
 *
 * vue-i18n syntax applies: `{name}` is a parameter; `@`, `|`, `{` and `}` are special and must
 * not appear as plain text (the parity test checks every message compiles).
 */
export const en = {
  app: {
    name: 'KIOPS Desktop',
  },
  nav: {
    label: 'Pages',
    services: 'Service Management',
    environments: 'Runtime Environments',
    audit: 'Audit Log',
    security: 'Security Analysis',
  },
  preferences: {
    language: 'Language',
    theme: 'Theme',
    themeSystem: 'System theme',
    themeLight: 'Light',
    themeDark: 'Dark',
  },
  common: {
    retry: 'Retry',
    notAvailableYet: 'Not available yet',
    errorTitle: 'Something went wrong',
    unexpectedError: 'An unexpected error occurred in this window. Try again; if it keeps happening, reload the window.',
  },
  connection: {
    connecting: 'Connecting to KIOPS…',
    browserTitle: 'Not connected to KIOPS',
    browserBody:
      'This page could not reach the KIOPS browser-mode server. Open the exact URL that {command} printed: it carries a one-time access token. Check that the server is still running, then retry.',
    electronTitle: 'Lost contact with the KIOPS app',
    electronBody: "This window could not reach the app's main process. Retry; if it keeps failing, restart KIOPS Desktop.",
    detail: 'Details: {message}',
  },
  status: {
    label: 'App status',
    version: 'Version {version}',
    shellElectron: 'Desktop app',
    shellBrowser: 'Browser mode',
    keychainAvailable: 'OS keychain available',
    keychainUnavailable: 'No OS keychain',
    auditAvailable: 'Audit trail recording',
    auditUnavailable: 'Audit trail unavailable',
    unknownReason: 'not reported',
    keychainRetry: 'Try the keychain again',
    keychainStillUnavailable: 'The OS keychain is still unavailable.',
    keychainConnected: 'Connected to the OS keychain.',
  },
  placeholder: {
    plannedTitle: 'What this page will do',
    notAvailableBody: 'This page is not available yet in this build. Nothing here acts on your clusters or hosts.',
  },
  services: {
    title: 'Service Management',
    summary: 'Your deployed services on Kubernetes clusters and Docker/Podman hosts, in one list.',
    planned:
      'Each row will show a service and its runtime, with favorites for quick access. The Operate stage of a row opens the Operations Modal: overview, pod or container list, deployment management, config and secrets, logs, command execution and domain settings.',
  },
  environments: {
    title: 'Runtime Environments',
    summary: 'The Kubernetes clusters and Docker/Podman hosts KIOPS can reach.',
    planned:
      'You will register clusters (kubeconfig) and engine hosts here, choose how each is reached (Auto, VPN or Direct SSH) and see its health. Credentials will be kept in the OS keychain, never on disk in plain text.',
  },
  security: {
    title: 'Security Analysis',
    summary: 'Dynamic security scans (DAST) of services exposed to the outside world.',
    planned: 'You will start a DAST scan against a service, follow its progress and read the findings, on Kubernetes and Docker/Podman alike.',
  },
  audit: {
    title: 'Audit Log',
    summary: 'Every operational action is recorded before its result returns. The trail is append-only and hash-chained.',
    columns: {
      seq: 'Seq',
      at: 'Time',
      actor: 'Actor',
      action: 'Action',
      target: 'Target',
      outcome: 'Outcome',
      error: 'Error',
    },
    outcome: {
      success: 'Success',
      failure: 'Failure',
      refused: 'Refused',
    },
    filterAction: 'Action',
    filterActionPlaceholder: 'Action, e.g. deployment.scale',
    filterOutcome: 'Outcome',
    anyOutcome: 'Any outcome',
    loadMore: 'Load more',
    empty: 'No audit entries yet. Operational actions will appear here as they happen.',
    emptyFiltered: 'No audit entries match these filters.',
    loadFailed: 'Could not load the audit log',
    live: 'Live',
    liveStopped: 'Live updates stopped',
    reconnect: 'Reconnect',
    verify: 'Verify chain',
    verifyOk: 'The chain is intact: {rows} rows verified.',
    verifyProblem: 'The chain is broken at seq {seq} ({problem})',
    verifyProblemNoSeq: 'The chain is broken ({problem})',
    verifyFailed: 'Could not verify the chain',
    export: 'Export',
    exported: 'Saved {fileName}',
    exportFailed: 'Could not export the audit log',
  },
};

export type MessageSchema = typeof en;
