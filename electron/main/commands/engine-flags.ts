import type { BlockRule } from './command-decision.ts';
import type { FlagSpec } from './flag-parser.ts';

/**
 * docker/podman CLI flag tables (both are cobra/pflag: no `_` normalisation). Connection and
 * storage flags are declared so they parse as the CLI would, and carry the rule refusing them.
 */
function blocked(name: string, rule: BlockRule, message: string, hint: string, kind: FlagSpec['kind'] = 'value', short?: string): FlagSpec {
  return short === undefined ? { name, kind, blocked: { rule, message, hint } } : { name, kind, short, blocked: { rule, message, hint } };
}

const connectionHint = "The app connects to this environment's engine itself; drop the flag.";
const conn = (name: string, kind: FlagSpec['kind'] = 'value', short?: string): FlagSpec =>
  blocked(name, 'connection-override', `--${name} would connect to another engine or storage; it is not allowed here.`, connectionHint, kind, short);

/** Global flags of docker and podman that redirect the connection or the storage. */
export const engineGlobalFlags: readonly FlagSpec[] = [
  conn('host', 'value', 'H'), conn('context', 'value', 'c'), conn('url'), conn('connection'), conn('remote', 'bool', 'r'), conn('identity'),
  conn('config'), conn('tls', 'bool'), conn('tlsverify', 'bool'), conn('tlscacert'), conn('tlscert'), conn('tlskey'), conn('root'),
  conn('runroot'), conn('storage-driver'), conn('storage-opt'), conn('runtime'), conn('ssh'), conn('tmpdir'), conn('module'),
  conn('cgroup-manager'), conn('events-backend'), conn('hooks-dir'), conn('network-cmd-path'), conn('conmon'),
];

/** The same connection flags without the short forms some subcommands reuse (`history -H`, `stop -t`). */
const connectionLongOnly: readonly FlagSpec[] = engineGlobalFlags.map((spec) => ({ name: spec.name, kind: spec.kind, ...(spec.blocked ? { blocked: spec.blocked } : {}) }));

const filter: FlagSpec = { name: 'filter', short: 'f', kind: 'value', repeatable: true };
// prune uses -f for --force, so its --filter has no short form.
const pruneFilter: FlagSpec = { name: 'filter', kind: 'value', repeatable: true };
const format: FlagSpec = { name: 'format', kind: 'value' };
const formatF: FlagSpec = { name: 'format', short: 'f', kind: 'value' };
const all: FlagSpec = { name: 'all', short: 'a', kind: 'bool' };
const noTrunc: FlagSpec = { name: 'no-trunc', kind: 'bool' };
const quiet: FlagSpec = { name: 'quiet', short: 'q', kind: 'bool' };
const force: FlagSpec = { name: 'force', short: 'f', kind: 'bool' };
const time: FlagSpec = { name: 'time', short: 't', kind: 'value' };

export interface EngineSubcommand {
  readonly flags: readonly FlagSpec[];
  /** docker exec/top/run: flags end at the first positional. */
  readonly flagsEndAtFirstPositional?: boolean;
  /** Changes state; asks for confirmation in production. */
  readonly modifiesData?: boolean;
  readonly kind?: 'logs' | 'events';
  /** Positional words required (min) and allowed (max; undefined = any number). */
  readonly min: number;
  readonly max?: number;
}

const names = { min: 1 } as const;

export const engineSubcommands: Readonly<Record<string, EngineSubcommand>> = {
  ps: { flags: [all, filter, format, noTrunc, quiet, { name: 'last', short: 'n', kind: 'value' }, { name: 'latest', short: 'l', kind: 'bool' }, { name: 'size', short: 's', kind: 'bool' }], min: 0, max: 0 },
  images: { flags: [all, filter, format, noTrunc, quiet, { name: 'digests', kind: 'bool' }], min: 0, max: 1 },
  logs: { flags: [{ name: 'details', kind: 'bool' }, { name: 'follow', short: 'f', kind: 'bool' }, { name: 'since', kind: 'value' }, { name: 'until', kind: 'value' }, { name: 'tail', short: 'n', kind: 'value' }, { name: 'timestamps', short: 't', kind: 'bool' }], kind: 'logs', min: 1, max: 1 },
  inspect: { flags: [formatF, { name: 'size', short: 's', kind: 'bool' }, { name: 'type', kind: 'value' }], ...names },
  'image inspect': { flags: [formatF], ...names },
  stats: { flags: [all, format, noTrunc, { name: 'no-stream', kind: 'bool' }], min: 0 },
  top: { flags: [], flagsEndAtFirstPositional: true, min: 1 },
  port: { flags: [], min: 1, max: 2 },
  version: { flags: [formatF], min: 0, max: 0 },
  info: { flags: [formatF], min: 0, max: 0 },
  events: { flags: [filter, format, { name: 'since', kind: 'value' }, { name: 'until', kind: 'value' }], kind: 'events', min: 0, max: 0 },
  diff: { flags: [], min: 1, max: 1 },
  history: { flags: [format, noTrunc, quiet, { name: 'human', kind: 'bool' }], min: 1, max: 1 },
  exec: {
    flags: [
      { name: 'env', short: 'e', kind: 'value', repeatable: true }, { name: 'workdir', short: 'w', kind: 'value' },
      { name: 'interactive', short: 'i', kind: 'bool' }, { name: 'tty', short: 't', kind: 'bool' },
      blocked('privileged', 'privileged', 'Running with extended privileges is not allowed here.', 'Drop --privileged.', 'bool'),
      blocked('env-file', 'local-files', 'Reading environment files from this computer is not available here.', 'Pass variables with -e KEY=VALUE.'),
      blocked('detach', 'flag-not-allowed', 'Detached commands would keep running after the session ends.', 'Drop -d; the app waits for the command.', 'bool', 'd'),
      blocked('user', 'privileged', 'Running as another user is not available here.', "Drop -u; commands run as the container's user.", 'value', 'u'),
    ],
    flagsEndAtFirstPositional: true,
    min: 2,
  },
  start: { flags: [], modifiesData: false, ...names },
  unpause: { flags: [], modifiesData: false, ...names },
  stop: { flags: [time], modifiesData: true, ...names },
  restart: { flags: [time], modifiesData: true, ...names },
  pause: { flags: [], modifiesData: true, ...names },
  kill: { flags: [{ name: 'signal', short: 's', kind: 'value' }], modifiesData: true, ...names },
  rm: { flags: [force, { name: 'volumes', short: 'v', kind: 'bool' }], modifiesData: true, ...names },
  rmi: { flags: [force, { name: 'no-prune', kind: 'bool' }], modifiesData: true, ...names },
  'container prune': { flags: [force, pruneFilter], modifiesData: true, min: 0, max: 0 },
  'image prune': { flags: [force, all, pruneFilter], modifiesData: true, min: 0, max: 0 },
  'volume ls': { flags: [filter, format, quiet], min: 0, max: 0 },
  'volume inspect': { flags: [formatF], ...names },
  'network ls': { flags: [filter, format, noTrunc, quiet], min: 0, max: 0 },
  'network inspect': { flags: [formatF], ...names },
  'system df': { flags: [format, { name: 'verbose', short: 'v', kind: 'bool' }], min: 0, max: 0 },
};

/** Flags every subcommand table also recognises, so `docker ps --host x` names the real rule. */
export function flagsFor(path: string, subcommand: EngineSubcommand): FlagSpec[] {
  const usesShort = new Set(subcommand.flags.map((f) => f.short).filter((s) => s !== undefined));
  const connection = engineGlobalFlags.filter((f) => f.short === undefined || !usesShort.has(f.short));
  return path === 'history' ? [...subcommand.flags, ...connectionLongOnly] : [...subcommand.flags, ...connection];
}

/** Two-word forms and their canonical one-word equivalents (accepted by both docker and podman). */
export const engineAliases: Readonly<Record<string, string>> = {
  'container ls': 'ps', 'container list': 'ps', 'container ps': 'ps', 'container logs': 'logs', 'container inspect': 'inspect',
  'container stats': 'stats', 'container top': 'top', 'container port': 'port', 'container diff': 'diff', 'container exec': 'exec',
  'container start': 'start', 'container stop': 'stop', 'container restart': 'restart', 'container kill': 'kill', 'container rm': 'rm',
  'container pause': 'pause', 'container unpause': 'unpause', 'container prune': 'container prune',
  'image ls': 'images', 'image list': 'images', 'image rm': 'rmi', 'image history': 'history', 'image inspect': 'image inspect',
  'image prune': 'image prune', 'system info': 'info', 'system df': 'system df', 'volume ls': 'volume ls', 'volume list': 'volume ls',
  'volume inspect': 'volume inspect', 'network ls': 'network ls', 'network list': 'network ls', 'network inspect': 'network inspect',
};

export const engineGroups = new Set(['container', 'image', 'system', 'volume', 'network']);

export const engineBlockedSubcommands: Readonly<Record<string, { rule: BlockRule; message: string; hint: string }>> = {
  attach: { rule: 'attach', message: 'Attaching to a container is not available here.', hint: 'Use logs -f in streaming mode to follow its output, or exec CONTAINER CMD.' },
  run: { rule: 'subcommand-not-allowed', message: 'Starting new containers is not available here.', hint: 'Run a command in the existing container: exec CONTAINER CMD.' },
  create: { rule: 'subcommand-not-allowed', message: 'Creating containers is not available here.', hint: 'Run a command in the existing container: exec CONTAINER CMD.' },
  cp: { rule: 'local-files', message: 'cp reads and writes files on this computer and is not available here.', hint: 'To read a file: exec CONTAINER cat /path/to/file' },
  context: { rule: 'connection-override', message: 'Engine contexts are managed by the app.', hint: 'Use the environment settings to change connections.' },
  login: { rule: 'credential-override', message: 'Registry credentials are not managed here.', hint: 'Log in from your own terminal.' },
  logout: { rule: 'credential-override', message: 'Registry credentials are not managed here.', hint: 'Log out from your own terminal.' },
  plugin: { rule: 'plugin', message: 'Engine plugins are not available here.', hint: 'Use built-in subcommands such as ps, logs or exec.' },
  'port-forward': { rule: 'port-forward', message: 'Port forwarding is not available here.', hint: 'Use the Domain Settings tab.' },
};
