import type { BlockRule } from './command-decision.ts';
import type { FlagSpec } from './flag-parser.ts';

/**
 * kubectl flag tables. Flags that would lead out of the service's namespace or credentials
 * are declared (so they parse exactly like kubectl parses them, e.g. `-nfoo` or `--as_group`)
 * and carry the rule that refuses them; every flag not declared at all is refused as unknown.
 */
function blocked(name: string, rule: BlockRule, message: string, hint: string, kind: FlagSpec['kind'] = 'value', short?: string): FlagSpec {
  return short === undefined ? { name, kind, blocked: { rule, message, hint } } : { name, kind, short, blocked: { rule, message, hint } };
}

export const namespaceHint = "The app already runs every command in the service's namespace; drop the flag.";
const credentialHint = "The app connects with the environment's own credentials; drop the flag.";

/** kubectl's global (persistent) flags: allowed anywhere, also before the subcommand. */
export const globalFlags: readonly FlagSpec[] = [
  // Parsed like any value flag; the policy accepts it only when it names the service's own namespace.
  { name: 'namespace', short: 'n', kind: 'value' },
  blocked('kubeconfig', 'credential-override', 'Another kubeconfig cannot be used here.', credentialHint),
  blocked('context', 'connection-override', 'Another kubeconfig context cannot be used here.', credentialHint),
  blocked('cluster', 'connection-override', 'Another cluster cannot be used here.', credentialHint),
  blocked('server', 'connection-override', 'Another API server cannot be used here.', credentialHint, 'value', 's'),
  blocked('tls-server-name', 'connection-override', 'Overriding the TLS server name is not allowed here.', credentialHint),
  blocked('insecure-skip-tls-verify', 'connection-override', 'Turning off TLS verification is not allowed here.', credentialHint, 'bool'),
  blocked('certificate-authority', 'credential-override', 'Another certificate authority cannot be used here.', credentialHint),
  blocked('client-certificate', 'credential-override', 'Other client certificates cannot be used here.', credentialHint),
  blocked('client-key', 'credential-override', 'Other client keys cannot be used here.', credentialHint),
  blocked('user', 'credential-override', 'Another kubeconfig user cannot be used here.', credentialHint),
  blocked('token', 'credential-override', 'Other tokens cannot be used here.', credentialHint),
  blocked('username', 'credential-override', 'Other credentials cannot be used here.', credentialHint),
  blocked('password', 'credential-override', 'Other credentials cannot be used here.', credentialHint),
  blocked('as', 'impersonation', 'Impersonating another user is not allowed here.', credentialHint),
  blocked('as-group', 'impersonation', 'Impersonating a group is not allowed here.', credentialHint),
  blocked('as-uid', 'impersonation', 'Impersonating another user is not allowed here.', credentialHint),
  blocked('cache-dir', 'local-files', 'kubectl cannot be pointed at another cache folder here.', 'Drop the flag; the app gives kubectl a private cache.'),
  blocked('profile', 'local-files', 'Profiling writes files on this computer and is not available here.', 'Drop the flag.'),
  blocked('profile-output', 'local-files', 'Profiling writes files on this computer and is not available here.', 'Drop the flag.'),
  { name: 'request-timeout', kind: 'value' },
  { name: 'warnings-as-errors', kind: 'bool' },
  { name: 'disable-compression', kind: 'bool' },
  { name: 'match-server-version', kind: 'bool' },
];

const allNamespacesHint = "Commands are limited to the service's namespace; drop -A/--all-namespaces.";
export const allNamespaces = blocked('all-namespaces', 'all-namespaces', 'Listing across all namespaces is not allowed here.', allNamespacesHint, 'bool', 'A');

const localFilesHint = 'Commands cannot read files on this computer; name the objects instead (e.g. deploy/api).';
const filename = blocked('filename', 'local-files', 'Reading manifests from files or URLs is not available here.', localFilesHint, 'value', 'f');
const kustomize = blocked('kustomize', 'local-files', 'Reading kustomizations from files is not available here.', localFilesHint, 'value', 'k');
const recursive = blocked('recursive', 'local-files', 'Reading manifests from folders is not available here.', localFilesHint, 'bool', 'R');
const raw = blocked('raw', 'raw-api', 'Raw API paths are not available here.', 'Name a resource instead, e.g. kubectl get pods.');

export const selector: FlagSpec = { name: 'selector', short: 'l', kind: 'value' };
const output: FlagSpec = { name: 'output', short: 'o', kind: 'value' };
const template: FlagSpec = { name: 'template', kind: 'value' };
const printing: readonly FlagSpec[] = [output, template, { name: 'allow-missing-template-keys', kind: 'bool' }, { name: 'show-managed-fields', kind: 'bool' }];
const dryRun: FlagSpec = { name: 'dry-run', kind: 'optional', optionalDefault: 'unchanged' };
const fieldSelector: FlagSpec = { name: 'field-selector', kind: 'value' };
const noHeaders: FlagSpec = { name: 'no-headers', kind: 'bool' };
const sortBy: FlagSpec = { name: 'sort-by', kind: 'value' };
const timeout: FlagSpec = { name: 'timeout', kind: 'value' };
const container: FlagSpec = { name: 'container', short: 'c', kind: 'value' };
const podRunningTimeout: FlagSpec = { name: 'pod-running-timeout', kind: 'value' };
const fromFiles: readonly FlagSpec[] = [filename, kustomize, recursive];
const selectAll = blocked('all', 'flag-not-allowed', '--all would act on every object of the type at once and is not available here.', 'Name the objects, or use -l SELECTOR.', 'bool');
const local = blocked('local', 'local-files', '--local works on files on this computer and is not available here.', localFilesHint, 'bool');

/** Watching is a streaming-mode feature; the policy refuses it in one-shot mode. */
export const watch: FlagSpec = { name: 'watch', short: 'w', kind: 'bool' };
export const watchOnly: FlagSpec = { name: 'watch-only', kind: 'bool' };
export const follow: FlagSpec = { name: 'follow', short: 'f', kind: 'bool' };

/** Flags per allowed subcommand path ("get", "rollout status", …), on top of the global flags. */
export const subcommandFlags: Readonly<Record<string, readonly FlagSpec[]>> = {
  get: [allNamespaces, ...fromFiles, raw, selector, fieldSelector, ...printing, noHeaders, sortBy, watch, watchOnly,
    { name: 'output-watch-events', kind: 'bool' }, { name: 'chunk-size', kind: 'value' }, { name: 'ignore-not-found', kind: 'bool' },
    { name: 'label-columns', short: 'L', kind: 'value', repeatable: true }, { name: 'server-print', kind: 'bool' },
    { name: 'show-kind', kind: 'bool' }, { name: 'show-labels', kind: 'bool' }, { name: 'subresource', kind: 'value' }],
  describe: [allNamespaces, ...fromFiles, selector, { name: 'show-events', kind: 'bool' }, { name: 'chunk-size', kind: 'value' }],
  logs: [selector, container, follow, podRunningTimeout, { name: 'all-containers', kind: 'bool' }, { name: 'all-pods', kind: 'bool' },
    { name: 'ignore-errors', kind: 'bool' }, { name: 'limit-bytes', kind: 'value' }, { name: 'max-log-requests', kind: 'value' },
    { name: 'prefix', kind: 'bool' }, { name: 'previous', short: 'p', kind: 'bool' }, { name: 'since', kind: 'value' },
    { name: 'since-time', kind: 'value' }, { name: 'tail', kind: 'value' }, { name: 'timestamps', kind: 'bool' },
    blocked('insecure-skip-tls-verify-backend', 'connection-override', 'Skipping kubelet TLS verification is not allowed here.', credentialHint, 'bool')],
  events: [allNamespaces, ...printing, noHeaders, watch, { name: 'for', kind: 'value' }, { name: 'types', kind: 'value', repeatable: true },
    { name: 'chunk-size', kind: 'value' }],
  'top pod': [allNamespaces, selector, fieldSelector, noHeaders, sortBy, { name: 'containers', kind: 'bool' }, { name: 'sum', kind: 'bool' },
    { name: 'use-protocol-buffers', kind: 'bool' }],
  explain: [{ name: 'recursive', kind: 'bool' }, { name: 'api-version', kind: 'value' }, output],
  'api-resources': [noHeaders, sortBy, output, { name: 'namespaced', kind: 'bool' }, { name: 'api-group', kind: 'value' },
    { name: 'verbs', kind: 'value', repeatable: true }, { name: 'cached', kind: 'bool' }, { name: 'categories', kind: 'value', repeatable: true }],
  'api-versions': [],
  version: [{ name: 'client', kind: 'bool' }, output],
  'rollout status': [...fromFiles, selector, watch, timeout, { name: 'revision', kind: 'value' }],
  'rollout history': [...fromFiles, selector, ...printing, { name: 'revision', kind: 'value' }],
  'rollout undo': [...fromFiles, selector, ...printing, dryRun, { name: 'to-revision', kind: 'value' }],
  'rollout restart': [...fromFiles, selector, ...printing, dryRun, { name: 'field-manager', kind: 'value' }],
  'rollout pause': [...fromFiles, selector, ...printing, { name: 'field-manager', kind: 'value' }],
  'rollout resume': [...fromFiles, selector, ...printing, { name: 'field-manager', kind: 'value' }],
  scale: [...fromFiles, selector, selectAll, ...printing, dryRun, timeout, { name: 'replicas', kind: 'value' },
    { name: 'current-replicas', kind: 'value' }, { name: 'resource-version', kind: 'value' }],
  'set image': [...fromFiles, selector, selectAll, local, ...printing, dryRun, { name: 'field-manager', kind: 'value' }],
  exec: [filename, container, podRunningTimeout, { name: 'quiet', short: 'q', kind: 'bool' },
    { name: 'stdin', short: 'i', kind: 'bool' }, { name: 'tty', short: 't', kind: 'bool' }],
  delete: [allNamespaces, ...fromFiles, raw, selector, selectAll, fieldSelector, output, dryRun, timeout,
    { name: 'cascade', kind: 'optional', optionalDefault: 'background' }, { name: 'grace-period', kind: 'value' },
    { name: 'ignore-not-found', kind: 'bool' }, { name: 'now', kind: 'bool' }, { name: 'wait', kind: 'bool' },
    blocked('force', 'flag-not-allowed', 'Force deletion skips graceful shutdown and is not available here.', 'Drop --force; the pod is deleted gracefully.', 'bool'),
    blocked('interactive', 'interactive', 'Interactive confirmation is not available here.', 'Drop -i; production environments ask for confirmation in the app.', 'bool', 'i')],
  label: [allNamespaces, ...fromFiles, selector, selectAll, local, fieldSelector, ...printing, dryRun,
    { name: 'overwrite', kind: 'bool' }, { name: 'list', kind: 'bool' }, { name: 'resource-version', kind: 'value' }, { name: 'field-manager', kind: 'value' }],
  annotate: [allNamespaces, ...fromFiles, selector, selectAll, local, fieldSelector, ...printing, dryRun,
    { name: 'overwrite', kind: 'bool' }, { name: 'list', kind: 'bool' }, { name: 'resource-version', kind: 'value' }, { name: 'field-manager', kind: 'value' }],
  'auth can-i': [allNamespaces, noHeaders, { name: 'list', kind: 'bool' }, { name: 'quiet', short: 'q', kind: 'bool' }, { name: 'subresource', kind: 'value' }],
};

/** Subcommands that take a second word (`rollout status`), with the second words allowed. */
export const subcommandGroups: Readonly<Record<string, readonly string[]>> = {
  rollout: ['status', 'history', 'undo', 'restart', 'pause', 'resume'],
  set: ['image'],
  top: ['pod'],
  auth: ['can-i'],
};

/** Aliases kubectl itself accepts for second words. */
export const subcommandAliases: Readonly<Record<string, string>> = { 'top pods': 'top pod', 'top po': 'top pod' };
