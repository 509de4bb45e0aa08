import {
  catchRefusal,
  confirmIfProduction,
  refuse,
  type AllowDecision,
  type BlockRule,
  type CommandDecision,
  type CommandMode,
  type TimeoutKind,
} from './command-decision.ts';
import { FlagParser, flagIsTrue, flagValue, isFlagWord, renderFlags, type ParsedArgs } from './flag-parser.ts';
import { allNamespaces, globalFlags, namespaceHint, subcommandAliases, subcommandFlags, subcommandGroups } from './kubectl-flags.ts';
import { checkObjectName, readResourceRefs, renderResourceRefs } from './kubectl-resources.ts';
import { checkDeleteSelector, dryRunStrategy } from './kubectl-values.ts';
import { commandIsReadOnly } from './read-only-commands.ts';

/**
 * Kubernetes-mode policy: an allow-list grammar per kubectl subcommand over a canonical argv.
 * The argv that runs is rebuilt from what was parsed (path, canonical resources, `--flag=value`
 * flags, then the app's own `--namespace` and `--kubeconfig`), never the words as typed.
 */
export interface KubectlTarget {
  /** The service's namespace, injected into every command. */
  readonly namespace: string;
  /** Path of the app's temporary 0600 kubeconfig for this environment. */
  readonly kubeconfigPath: string;
  /**
   * Deployments an HPA controls (Deployment name → HPA name), looked up with the Scaling panel's
   * lock; a manual `kubectl scale` of one is refused.
   */
  readonly hpaLocks?: ReadonlyMap<string, string>;
}

export interface KubectlRequest {
  readonly argv: readonly string[];
  readonly mode: CommandMode;
  readonly target: KubectlTarget;
  readonly production: boolean;
  /** The confirmText from an earlier `needs-confirmation` answer, repeated by the user. */
  readonly confirmation?: string;
}

/** Shown instead of the kubeconfig path in audit rows and confirmations. */
export const kubeconfigPlaceholder = '<kubeconfig>';

const builtinRules: Readonly<Record<string, { rule: BlockRule; message: string; hint: string }>> = {
  'port-forward': { rule: 'port-forward', message: 'Port forwarding is not available here.', hint: 'Use the Domain Settings tab to expose a service, or run kubectl port-forward from your own terminal.' },
  attach: { rule: 'attach', message: 'Attaching to a running container is not available here.', hint: 'Use kubectl logs POD -f in streaming mode to follow its output.' },
  proxy: { rule: 'raw-api', message: 'kubectl proxy exposes the raw API and is not available here.', hint: 'Name a resource instead, e.g. kubectl get pods.' },
  edit: { rule: 'interactive', message: 'kubectl edit opens an editor; interactive sessions are not available.', hint: 'Use the Deployment Management or Config/Secret tab, or kubectl set image / scale / label.' },
  debug: { rule: 'interactive', message: 'kubectl debug starts an interactive session, which is not available.', hint: 'Use kubectl exec POD -- CMD.' },
  config: { rule: 'credential-override', message: 'The kubeconfig is managed by the app and cannot be read or changed here.', hint: 'Use the environment settings to change connections.' },
  plugin: { rule: 'plugin', message: 'kubectl plugins are not available here.', hint: 'Use built-in kubectl subcommands such as get, describe, logs or exec.' },
  cp: { rule: 'local-files', message: 'kubectl cp reads and writes files on this computer and is not available here.', hint: 'To read a file in a pod: kubectl exec POD -- cat /path/to/file' },
  apply: { rule: 'local-files', message: 'kubectl apply reads manifests from files and is not available here.', hint: 'Use the Deployment Management tab to change a deployment.' },
  create: { rule: 'local-files', message: 'kubectl create is not available here.', hint: 'Use the Deployment Management tab.' },
  replace: { rule: 'local-files', message: 'kubectl replace reads manifests from files and is not available here.', hint: 'Use the Deployment Management tab.' },
  diff: { rule: 'local-files', message: 'kubectl diff reads manifests from files and is not available here.', hint: 'Use kubectl get -o yaml to see an object.' },
  kustomize: { rule: 'local-files', message: 'kubectl kustomize reads files on this computer and is not available here.', hint: 'Use kubectl get -o yaml to see an object.' },
  drain: { rule: 'cluster-scoped', message: 'Nodes are cluster-wide; draining is not available here.', hint: 'Ask a cluster administrator.' },
  cordon: { rule: 'cluster-scoped', message: 'Nodes are cluster-wide; cordoning is not available here.', hint: 'Ask a cluster administrator.' },
  uncordon: { rule: 'cluster-scoped', message: 'Nodes are cluster-wide; uncordoning is not available here.', hint: 'Ask a cluster administrator.' },
  taint: { rule: 'cluster-scoped', message: 'Nodes are cluster-wide; tainting is not available here.', hint: 'Ask a cluster administrator.' },
  certificate: { rule: 'cluster-scoped', message: 'Certificate requests are cluster-wide and not available here.', hint: 'Ask a cluster administrator.' },
  'cluster-info': { rule: 'cluster-scoped', message: 'cluster-info is cluster-wide and not available here.', hint: 'Use kubectl version or kubectl api-resources.' },
};

const otherBuiltins = ['run', 'expose', 'autoscale', 'patch', 'wait', 'alpha', 'completion', 'help', 'options'];
const allowedList = 'get, describe, logs, events, top pod, explain, api-resources, api-versions, version, rollout status|history|undo|restart|pause|resume, scale, set image, exec, delete, label, annotate, auth can-i';

const workloadTypes = new Set(['deployments', 'statefulsets', 'daemonsets']);
const scalableTypes = new Set(['deployments', 'statefulsets', 'replicasets', 'replicationcontrollers']);
const logSourceTypes = new Set(['pods', 'deployments', 'statefulsets', 'daemonsets', 'replicasets', 'jobs', 'services', 'replicationcontrollers']);
const deletableTypes = new Set(['pods']);

const parserHint = (path: string): string => `Run \`kubectl ${path} --help\` on your own machine for flags; the ones that leave the service's namespace or credentials are not available here.`;

export function decideKubectl(request: KubectlRequest): CommandDecision {
  return catchRefusal(() => decide(request));
}

function decide(request: KubectlRequest): CommandDecision {
  const [program, ...words] = request.argv;
  checkProgram(program ?? '');
  const { path, rest } = splitCommandPath(words);
  const parser = new FlagParser({
    specs: [...globalFlags, ...(subcommandFlags[path] ?? [])],
    underscoreIsDash: true,
    unknownFlagHint: parserHint(path),
    commandName: `kubectl ${path}`,
  });
  const args = parser.parse(rest);
  checkNamespace(args, request.target.namespace);
  if (args.flags.has('dry-run')) isDryRun(args);
  checkStreamingFlags(args, request.mode, path);
  const shape = checkArguments(path, args);
  if (path === 'scale') checkHpaLock(shape.positionals, request.target);
  const tail = args.afterDashDash && path === 'exec' ? ['--', ...args.afterDashDash] : [];
  const head = ['kubectl', ...path.split(' '), ...shape.positionals, ...renderFlags(args.flags), `--namespace=${request.target.namespace}`];
  const allowed: AllowDecision = {
    decision: 'allow',
    argv: [...head, `--kubeconfig=${request.target.kubeconfigPath}`, ...tail],
    auditArgv: [...head, `--kubeconfig=${kubeconfigPlaceholder}`, ...tail],
    kind: shape.kind,
  };
  // The confirmation repeats the command with its namespace, but without the kubeconfig noise.
  return confirmIfProduction(allowed, shape.modifiesData, request.production, request.confirmation, [...head, ...tail]);
}

/** `-n`/`--namespace` may only repeat the service's own namespace; the app injects it either way. */
function checkNamespace(args: ParsedArgs, namespace: string): void {
  const given = args.flags.get('namespace');
  if (given === undefined) return;
  for (const value of given.values) {
    if (value !== namespace) refuse('namespace-override', `Choosing another namespace ("${value}") is not allowed here; this service lives in "${namespace}".`, namespaceHint);
  }
  args.flags.delete('namespace');
}

function checkHpaLock(positionals: readonly string[], target: KubectlTarget): void {
  if (target.hpaLocks === undefined || target.hpaLocks.size === 0) return;
  for (const word of positionals) {
    const [type, name] = word.split('/');
    if (type === 'deployments' && name === undefined) {
      // Chosen by a selector: any of them may be locked.
      const [deployment, hpa] = [...target.hpaLocks][0] ?? ['', ''];
      refuse('hpa-controls-replicas', `Deployments here are chosen by a selector, and the HorizontalPodAutoscaler "${hpa}" controls deployment "${deployment}" in this namespace.`, `Name the deployment to scale, or remove the HPA first (kubectl delete hpa ${hpa}, or "Remove HPA" in the Scaling panel).`);
    }
    if (type !== 'deployments' || name === undefined) continue;
    const hpa = target.hpaLocks.get(name);
    if (hpa !== undefined) {
      refuse('hpa-controls-replicas', `The HorizontalPodAutoscaler "${hpa}" controls the replicas of deployment "${name}"; a manual scale would be undone.`, `Change the HPA's min/max in the Scaling panel, or remove it first (kubectl delete hpa ${hpa}, or "Remove HPA" in the Scaling panel).`);
    }
  }
}

function checkProgram(program: string): void {
  if (program === 'kubectl') return;
  if (program.startsWith('kubectl-')) refuse('plugin', `"${program}" is a kubectl plugin; plugins are not available here.`, 'Use built-in kubectl subcommands such as get, describe, logs or exec.');
  refuse('wrong-program', `Kubernetes mode runs kubectl commands, not "${program}".`, 'Start the command with kubectl, e.g. kubectl get pods.');
}

/** Finds the subcommand path the way cobra does, allowing only global flags before it. */
function splitCommandPath(words: readonly string[]): { path: string; rest: string[] } {
  const leading = new FlagParser({ specs: [...globalFlags, allNamespaces], underscoreIsDash: true, unknownFlagHint: 'Put subcommand flags after the subcommand, e.g. kubectl get pods -o wide.', commandName: 'kubectl' });
  const scratch: ParsedArgs = { positionals: [], flags: new Map(), afterDashDash: undefined };
  const rest: string[] = [];
  const path: string[] = [];
  let i = 0;
  while (i < words.length) {
    const word = words[i] as string;
    if (word === '--') break;
    if (isFlagWord(word)) {
      const next = leading.parseOne(words, i, scratch);
      rest.push(...words.slice(i, next));
      i = next;
      continue;
    }
    path.push(word);
    i += 1;
    const group = subcommandGroups[path[0] as string];
    if (group === undefined || path.length === 2) break;
  }
  rest.push(...words.slice(i));
  return { path: resolvePath(path), rest };
}

function resolvePath(path: string[]): string {
  const [first, second] = path;
  if (first === undefined) refuse('invalid-argument', 'kubectl needs a subcommand.', `Available here: ${allowedList}.`);
  const builtin = builtinRules[first];
  if (builtin) refuse(builtin.rule, builtin.message, builtin.hint);
  if (otherBuiltins.includes(first)) refuse('subcommand-not-allowed', `kubectl ${first} is not available here.`, `Available here: ${allowedList}.`);
  const group = subcommandGroups[first];
  if (group) {
    const joined = subcommandAliases[`${first} ${second ?? ''}`] ?? `${first} ${second ?? ''}`;
    if (first === 'top' && (second === 'node' || second === 'nodes' || second === 'no')) {
      refuse('cluster-scoped', 'Node metrics are cluster-wide and not available here.', 'Use kubectl top pod.');
    }
    if (second === undefined || !subcommandFlags[joined]) {
      refuse('subcommand-not-allowed', `kubectl ${first} ${second ?? ''} is not available here.`.replace('  ', ' '), `Available: ${group.map((g) => `${first} ${g}`).join(', ')}.`);
    }
    return joined;
  }
  if (subcommandFlags[first]) return first;
  return refuse('plugin', `"${first}" is not a kubectl subcommand; kubectl would look for a plugin named kubectl-${first}, and plugins are not available here.`, `Available here: ${allowedList}.`);
}

function checkStreamingFlags(args: ParsedArgs, mode: CommandMode, path: string): void {
  if (mode === 'streaming') return;
  for (const name of ['follow', 'watch', 'watch-only']) {
    if (flagIsTrue(args, name)) {
      refuse('follow-watch', `--${name} keeps running and is not available in one-shot mode.`, `Switch to streaming mode, or run kubectl ${path} without --${name}.`);
    }
  }
}

interface CommandShape {
  readonly positionals: string[];
  readonly kind: TimeoutKind;
  readonly modifiesData: boolean;
}

const outputFormats = /^(wide|yaml|json|name|(jsonpath|jsonpath-as-json|go-template|template|custom-columns)=.+)$/;

function checkOutput(args: ParsedArgs, formats: RegExp = outputFormats): void {
  const output = flagValue(args, 'output');
  if (output === undefined) return;
  if (/-file=/.test(output)) refuse('local-files', `-o ${output} reads a file on this computer and is not available here.`, 'Give the template inline, e.g. -o jsonpath=\'{.items[*].metadata.name}\'.');
  if (!formats.test(output)) refuse('invalid-flag-value', `-o ${output} is not a supported output format.`, 'Use wide, yaml, json, name, jsonpath=…, go-template=… or custom-columns=….');
}

function noPositionals(path: string, args: ParsedArgs): void {
  if (args.positionals.length > 0) refuse('invalid-argument', `kubectl ${path} takes no arguments here ("${args.positionals[0]}").`, `Run kubectl ${path} on its own.`);
}

/** kubectl's own reading of --dry-run (booleans included); the flag is rendered canonically. */
function isDryRun(args: ParsedArgs): boolean {
  const flag = args.flags.get('dry-run');
  if (flag === undefined) return false;
  const strategy = dryRunStrategy(flag.values.at(-1) ?? '');
  flag.values.splice(0, flag.values.length, strategy);
  return strategy !== 'none';
}

function objectsOrSelector(path: string, args: ParsedArgs, allowed: ReadonlySet<string>): string[] {
  const refs = readResourceRefs(args.positionals, allowed);
  if (refs.types.length === 0 || (refs.objects.length === 0 && flagValue(args, 'selector') === undefined)) {
    refuse('invalid-argument', `kubectl ${path} needs objects to act on.`, `Name them, e.g. kubectl ${path} ${[...allowed][0]}/NAME, or select them with -l KEY=VALUE.`);
  }
  return renderResourceRefs(refs);
}

function checkArguments(path: string, args: ParsedArgs): CommandShape {
  const readOnly = (positionals: string[], kind: TimeoutKind = 'other'): CommandShape => ({ positionals, kind, modifiesData: false });
  const modifying = (positionals: string[], modifiesData = !isDryRun(args)): CommandShape => ({ positionals, kind: 'other', modifiesData });
  if (path !== 'exec' && args.afterDashDash !== undefined && args.afterDashDash.length > 0) {
    refuse('invalid-argument', `Words after "--" are only used by kubectl exec.`, 'Remove the "--".');
  }
  switch (path) {
    case 'get':
    case 'describe': {
      checkOutput(args);
      const refs = readResourceRefs(args.positionals, undefined, path === 'get');
      if (refs.types.length === 0) refuse('invalid-argument', `kubectl ${path} needs a resource type.`, `For example: kubectl ${path} pods`);
      return readOnly(renderResourceRefs(refs), refs.types.includes('events') ? 'events' : 'other');
    }
    case 'events': {
      noPositionals(path, args);
      checkOutput(args);
      const forObject = flagValue(args, 'for');
      if (forObject !== undefined) readResourceRefs(forObject.includes('/') ? [forObject] : ['pods', forObject]);
      return readOnly([], 'events');
    }
    case 'logs':
      return readOnly(logSource(args), 'logs');
    case 'top pod':
      if (args.positionals.length > 1) refuse('invalid-argument', 'kubectl top pod takes at most one pod name.', 'For example: kubectl top pod web-1');
      return readOnly(args.positionals.map(checkObjectName));
    case 'explain':
      checkOutput(args, /^(plaintext|plaintext-openapiv2)$/);
      if (args.positionals.length !== 1 || !/^[A-Za-z][A-Za-z0-9.-]*$/.test(args.positionals[0] as string)) {
        refuse('invalid-argument', 'kubectl explain takes one resource or field path.', 'For example: kubectl explain deployment.spec.replicas');
      }
      return readOnly([...args.positionals]);
    case 'api-resources':
      checkOutput(args, /^(wide|name)$/);
      noPositionals(path, args);
      return readOnly([]);
    case 'api-versions':
      noPositionals(path, args);
      return readOnly([]);
    case 'version':
      checkOutput(args, /^(json|yaml)$/);
      noPositionals(path, args);
      return readOnly([]);
    case 'rollout status':
    case 'rollout history':
      checkOutput(args);
      return readOnly(objectsOrSelector(path, args, workloadTypes));
    case 'rollout undo':
    case 'rollout restart':
    case 'rollout pause':
    case 'rollout resume':
      checkOutput(args);
      return modifying(objectsOrSelector(path, args, workloadTypes));
    case 'scale':
      return scaleShape(args, modifying);
    case 'set image':
      return setImageShape(args, modifying);
    case 'exec':
      return execShape(args);
    case 'delete':
      checkOutput(args, /^name$/);
      checkDeleteSelector(flagValue(args, 'selector'));
      return modifying(objectsOrSelector(path, args, deletableTypes));
    case 'label':
    case 'annotate':
      return labelShape(path, args, modifying);
    case 'auth can-i':
      return canIShape(args);
    default:
      return refuse('subcommand-not-allowed', `kubectl ${path} is not available here.`, `Available here: ${allowedList}.`);
  }
}

/** `logs POD [CONTAINER]`, `logs TYPE/NAME`, or `logs -l SELECTOR`; a positional container becomes --container. */
function logSource(args: ParsedArgs): string[] {
  const [source, containerName, ...extra] = args.positionals;
  if (extra.length > 0) refuse('invalid-argument', 'kubectl logs takes a pod and at most one container.', 'For example: kubectl logs web-1 -c app');
  if (containerName !== undefined) {
    if (args.flags.has('container')) refuse('invalid-argument', 'The container is given twice (argument and -c).', 'Use -c CONTAINER only.');
    args.flags.set('container', { spec: { name: 'container', short: 'c', kind: 'value' }, values: [checkObjectName(containerName)] });
  }
  if (source === undefined) {
    if (flagValue(args, 'selector') === undefined) refuse('invalid-argument', 'kubectl logs needs a pod.', 'For example: kubectl logs web-1, kubectl logs deploy/api, or kubectl logs -l app=api');
    return [];
  }
  if (source.includes('/')) return renderResourceRefs(readResourceRefs([source], logSourceTypes));
  return [checkObjectName(source)];
}

function execShape(args: ParsedArgs): CommandShape {
  if (flagIsTrue(args, 'stdin') || flagIsTrue(args, 'tty')) {
    refuse('interactive', 'Interactive sessions (-i/-t) are not available; the app has no terminal to attach.', 'Run one command instead: kubectl exec POD -- CMD');
  }
  args.flags.delete('stdin');
  args.flags.delete('tty');
  if (args.positionals.length !== 1) refuse('invalid-argument', 'kubectl exec takes exactly one pod before "--".', 'For example: kubectl exec web-1 -- ls /app');
  const command = args.afterDashDash ?? [];
  if (command.length === 0) refuse('invalid-argument', 'kubectl exec needs a command after "--".', 'For example: kubectl exec web-1 -- ps aux');
  const source = args.positionals[0] as string;
  const target = source.includes('/') ? renderResourceRefs(readResourceRefs([source], logSourceTypes)) : [checkObjectName(source)];
  // In production every exec asks first, unless the command only reads (read-only-commands.ts).
  return { positionals: target, kind: 'other', modifiesData: !commandIsReadOnly(command) };
}

function scaleShape(args: ParsedArgs, modifying: (p: string[], m?: boolean) => CommandShape): CommandShape {
  checkOutput(args, /^(name|yaml|json)$/);
  const replicas = flagValue(args, 'replicas');
  if (replicas === undefined || !/^\d{1,5}$/.test(replicas)) refuse('invalid-argument', 'kubectl scale needs --replicas=N (a whole number).', 'For example: kubectl scale deploy/api --replicas=3');
  const positionals = objectsOrSelector('scale', args, scalableTypes);
  // Any count changes the service (3→2 drops capacity as surely as 0 stops it): production asks first.
  return modifying(positionals, !isDryRun(args));
}

function setImageShape(args: ParsedArgs, modifying: (p: string[]) => CommandShape): CommandShape {
  checkOutput(args);
  const pairs = args.positionals.filter((word) => word.includes('='));
  const objects = args.positionals.filter((word) => !word.includes('='));
  if (pairs.length === 0) refuse('invalid-argument', 'kubectl set image needs CONTAINER=IMAGE.', 'For example: kubectl set image deploy/api api=registry/api:1.2');
  for (const pair of pairs) {
    if (!/^([a-z0-9]([-a-z0-9]*[a-z0-9])?|\*)=[A-Za-z0-9][A-Za-z0-9._/:@-]*$/.test(pair)) refuse('invalid-argument', `"${pair}" is not CONTAINER=IMAGE.`, 'For example: api=registry/api:1.2');
  }
  const refs = readResourceRefs(objects, workloadTypes);
  if (refs.objects.length === 0 && flagValue(args, 'selector') === undefined) refuse('invalid-argument', 'kubectl set image needs objects to act on.', 'For example: kubectl set image deploy/api api=registry/api:1.2');
  return modifying([...renderResourceRefs(refs), ...pairs]);
}

const labelChange = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?(=[^\s]*|-)$/;

function labelShape(path: string, args: ParsedArgs, modifying: (p: string[], m?: boolean) => CommandShape): CommandShape {
  checkOutput(args);
  const changes = args.positionals.filter((word) => word.includes('=') || word.endsWith('-'));
  const objects = args.positionals.filter((word) => !changes.includes(word));
  for (const change of changes) {
    if (!labelChange.test(change)) refuse('invalid-argument', `"${change}" is not KEY=VALUE or KEY-.`, `For example: kubectl ${path} pod/web-1 tier=front`);
  }
  const refs = readResourceRefs(objects);
  if (refs.objects.length === 0 && flagValue(args, 'selector') === undefined) refuse('invalid-argument', `kubectl ${path} needs objects to act on.`, `For example: kubectl ${path} pod/web-1 tier=front`);
  const listing = changes.length === 0;
  return modifying([...renderResourceRefs(refs), ...changes], !listing && !isDryRun(args));
}

function canIShape(args: ParsedArgs): CommandShape {
  const [verb, resource, ...extra] = args.positionals;
  if (flagIsTrue(args, 'list')) {
    noPositionals('auth can-i --list', args);
    return { positionals: [], kind: 'other', modifiesData: false };
  }
  if (verb === undefined || resource === undefined || extra.length > 0 || !/^[a-z*-]+$/.test(verb) || !/^[A-Za-z0-9.*/:-]+$/.test(resource)) {
    refuse('invalid-argument', 'kubectl auth can-i takes a verb and a resource.', 'For example: kubectl auth can-i delete pods');
  }
  return { positionals: [verb, resource], kind: 'other', modifiesData: false };
}
