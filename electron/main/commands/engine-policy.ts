import {
  catchRefusal,
  confirmIfProduction,
  refuse,
  type AllowDecision,
  type CommandDecision,
  type CommandMode,
  type TimeoutKind,
} from './command-decision.ts';
import { engineAliases, engineBlockedSubcommands, engineGlobalFlags, engineGroups, engineSubcommands, flagsFor } from './engine-flags.ts';
import { FlagParser, flagIsTrue, flagValue, isFlagWord, renderFlags, type ParsedArgs } from './flag-parser.ts';
import { resolveObject, objectKinds, type EngineObjects, type ObjectKind } from './engine-membership.ts';
import { checkHostCommand, type HostTools } from './host-commands.ts';
import { commandIsReadOnly } from './read-only-commands.ts';

/**
 * Docker/Podman-mode policy. Three shapes of command, one decision type:
 * - a container is selected: the typed command runs inside it (`ENGINE exec CONTAINER argv…`);
 * - no container, `docker …`/`podman …`: an allow-list grammar per engine subcommand;
 * - no container, anything else: a host command from the host allow-list.
 * The app injects the engine connection (`--host=` / `--url=`); the user cannot choose one.
 */
export type EngineKind = 'docker' | 'podman';

export interface EngineTarget {
  readonly engine: EngineKind;
  /** Engine endpoint the app resolved (unix socket or tunnel); omitted for the local default. */
  readonly endpoint?: string;
  /** Selected container name or id; commands then run inside it. */
  readonly container?: string;
  /**
   * Every engine object and whether it belongs to the service (see engine-membership.ts).
   * Without it no engine command may name a container, image, volume or network.
   */
  readonly objects?: EngineObjects;
  /** The service's name, for refusals. */
  readonly serviceName?: string;
  /** Host tools resolved to absolute root-owned paths; without it host commands are refused. */
  readonly hostTools?: HostTools;
}

export interface EngineRequest {
  readonly argv: readonly string[];
  readonly mode: CommandMode;
  readonly target: EngineTarget;
  readonly production: boolean;
  readonly confirmation?: string;
}

/** Shown instead of the engine endpoint in audit rows and confirmations. */
export const endpointPlaceholder = '<engine-endpoint>';

const containerName = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/;
const engineList = 'ps, images, logs, inspect, stats, top, port, version, info, events, diff, history, exec, start, stop, restart, pause, unpause, kill, rm, rmi, volume ls|inspect, network ls|inspect, system df';

/** What each subcommand's positional words name, and how many of them (exec/top/port: only the first). */
const namedObjects: Readonly<Record<string, { kinds: readonly ObjectKind[]; firstOnly?: boolean }>> = {
  logs: { kinds: ['container'] }, diff: { kinds: ['container'] }, stats: { kinds: ['container'] },
  start: { kinds: ['container'] }, stop: { kinds: ['container'] }, restart: { kinds: ['container'] }, pause: { kinds: ['container'] },
  unpause: { kinds: ['container'] }, kill: { kinds: ['container'] }, rm: { kinds: ['container'] },
  exec: { kinds: ['container'], firstOnly: true }, top: { kinds: ['container'], firstOnly: true }, port: { kinds: ['container'], firstOnly: true },
  rmi: { kinds: ['image'] }, history: { kinds: ['image'] }, 'image inspect': { kinds: ['image'] },
  'volume inspect': { kinds: ['volume'] }, 'network inspect': { kinds: ['network'] },
  inspect: { kinds: objectKinds },
};

/** Verbs that act on every object of the host at once: other services' objects included. */
const hostWide = new Set(['container prune', 'image prune']);

export function decideEngineCommand(request: EngineRequest): CommandDecision {
  return catchRefusal(() => decide(request));
}

function connection(target: EngineTarget, shown: boolean): string[] {
  if (target.endpoint === undefined) return [];
  const value = shown ? endpointPlaceholder : target.endpoint;
  return [target.engine === 'docker' ? `--host=${value}` : `--url=${value}`];
}

function allow(target: EngineTarget, rest: readonly string[], kind: TimeoutKind): AllowDecision {
  return {
    decision: 'allow',
    argv: [target.engine, ...connection(target, false), ...rest],
    auditArgv: [target.engine, ...connection(target, true), ...rest],
    kind,
  };
}

function decide(request: EngineRequest): CommandDecision {
  const { argv, target, mode } = request;
  const program = argv[0] ?? '';
  const isEngine = program === 'docker' || program === 'podman';
  if (target.container !== undefined) {
    if (!containerName.test(target.container)) refuse('invalid-argument', `"${target.container}" is not a valid container name.`, 'Select the container from the list.');
    if (program.startsWith('-')) refuse('invalid-argument', `"${program}" is not a command.`, 'Type the command to run inside the container, e.g. ps aux.');
    if (isEngine) refuse('wrong-program', `With a container selected, commands run inside it; "${program} …" would not make sense there.`, 'Clear the container selection to run engine commands.');
    const allowed = allow(target, ['exec', target.container, ...argv], 'other');
    return confirmIfProduction(allowed, !commandIsReadOnly(argv), request.production, request.confirmation);
  }
  if (isEngine) {
    if (program !== target.engine) refuse('wrong-program', `This environment runs ${target.engine}, not ${program}.`, `Start the command with ${target.engine}.`);
    return decideEngineCli(request);
  }
  const shape = checkHostCommand(argv, mode, target.hostTools);
  return { decision: 'allow', argv: [...argv], auditArgv: [shape.program, ...argv.slice(1)], kind: shape.kind, program: shape.program };
}

function decideEngineCli(request: EngineRequest): CommandDecision {
  const { target, mode } = request;
  const { path, rest } = splitPath(request.argv.slice(1), target.engine);
  const subcommand = engineSubcommands[path];
  if (subcommand === undefined) refuse('subcommand-not-allowed', `${target.engine} ${path} is not available here.`, `Available here: ${engineList}.`);
  const parser = new FlagParser({
    specs: flagsFor(path, subcommand),
    underscoreIsDash: false,
    unknownFlagHint: `Run \`${target.engine} ${path} --help\` on your own machine; flags that change the connection, user or privileges are not available here.`,
    commandName: `${target.engine} ${path}`,
    flagsEndAtFirstPositional: subcommand.flagsEndAtFirstPositional ?? false,
  });
  const args = parser.parse(rest);
  const positionals = [...args.positionals, ...(args.afterDashDash ?? [])];
  checkInteractive(path, args);
  checkStreaming(path, args, mode);
  if (hostWide.has(path)) {
    refuse('host-wide', `${target.engine} ${path} removes objects of every service on this host, not only this service's.`, `Remove this service's own objects by name, e.g. ${target.engine} rm CONTAINER or ${target.engine} rmi IMAGE.`);
  }
  if (positionals.length < subcommand.min || (subcommand.max !== undefined && positionals.length > subcommand.max)) {
    refuse('invalid-argument', `${target.engine} ${path} got ${positionals.length} argument(s).`, `Check \`${target.engine} ${path} --help\`.`);
  }
  // Names the command acts on are container/image/volume names; the exec command words are free.
  const named = path === 'exec' || path === 'top' ? positionals.slice(0, 1) : positionals;
  for (const name of named) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.:/@-]*$/.test(name)) refuse('invalid-argument', `"${name}" is not a valid name.`, 'Use a container or image name as shown by ps or images.');
  }
  checkMembership(path, args, positionals, target);
  const allowed = allow(target, [...path.split(' '), ...renderFlags(args.flags), ...positionals], subcommand.kind ?? 'other');
  const modifies = path === 'exec' ? !commandIsReadOnly(positionals.slice(1)) : (subcommand.modifiesData ?? false);
  return confirmIfProduction(allowed, modifies, request.production, request.confirmation);
}

/** Finds `ps` / `container ls` / `image rm`… with only (blocked) global flags before it. */
function splitPath(words: readonly string[], engine: string): { path: string; rest: string[] } {
  const leading = new FlagParser({ specs: engineGlobalFlags, underscoreIsDash: false, unknownFlagHint: `Put flags after the subcommand, e.g. ${engine} ps -a.`, commandName: engine });
  const scratch: ParsedArgs = { positionals: [], flags: new Map(), afterDashDash: undefined };
  let i = 0;
  while (i < words.length && isFlagWord(words[i] as string)) i = leading.parseOne(words, i, scratch);
  const first = words[i];
  if (first === undefined) refuse('invalid-argument', `${engine} needs a subcommand.`, `Available here: ${engineList}.`);
  const blocked = engineBlockedSubcommands[first];
  if (blocked) refuse(blocked.rule, blocked.message, blocked.hint);
  if (engineGroups.has(first)) {
    const second = words[i + 1] ?? '';
    const joined = `${first} ${second}`;
    if (second === 'attach') refuse('attach', engineBlockedSubcommands.attach?.message ?? '', engineBlockedSubcommands.attach?.hint ?? '');
    if (second === 'connection') refuse('connection-override', 'Engine connections are managed by the app.', 'Use the environment settings to change connections.');
    const alias = engineAliases[joined];
    if (alias === undefined) refuse('subcommand-not-allowed', `${engine} ${joined.trim()} is not available here.`, `Available here: ${engineList}.`);
    return { path: alias, rest: words.slice(i + 2) };
  }
  return { path: first, rest: words.slice(i + 1) };
}

function checkInteractive(path: string, args: ParsedArgs): void {
  if (path !== 'exec') return;
  if (flagIsTrue(args, 'interactive') || flagIsTrue(args, 'tty')) {
    refuse('interactive', 'Interactive sessions (-i/-t) are not available; the app has no terminal to attach.', 'Run one command instead: exec CONTAINER CMD');
  }
  args.flags.delete('interactive');
  args.flags.delete('tty');
}

function checkStreaming(path: string, args: ParsedArgs, mode: CommandMode): void {
  if (mode === 'streaming') return;
  if (path === 'logs' && flagIsTrue(args, 'follow')) refuse('follow-watch', 'logs -f keeps running and is not available in one-shot mode.', 'Switch to streaming mode, or drop -f.');
  if (path === 'stats' && !flagIsTrue(args, 'no-stream')) refuse('follow-watch', 'stats keeps running unless given --no-stream.', 'Add --no-stream, or switch to streaming mode.');
  if (path === 'events' && flagValue(args, 'until') === undefined) refuse('follow-watch', 'events keeps running unless given --until.', "Add --until=0s for what happened so far, or switch to streaming mode.");
}

/** Every container, image, volume and network a command names must be the service's own. */
function checkMembership(path: string, args: ParsedArgs, positionals: readonly string[], target: EngineTarget): void {
  const named = namedObjects[path];
  if (named === undefined) return;
  const words = named.firstOnly === true ? positionals.slice(0, 1) : positionals;
  const service = target.serviceName === undefined ? 'this service' : `"${target.serviceName}"`;
  const hint = `Name only ${service}'s own containers, images, volumes and networks (see ${target.engine} ps in the Overview).`;
  const typeFlag = flagValue(args, 'type');
  const kinds = path === 'inspect' && typeFlag !== undefined ? named.kinds.filter((kind) => kind === typeFlag) : named.kinds;
  for (const word of words) {
    if (target.objects === undefined) refuse('not-in-service', `"${word}" cannot be checked against ${service}'s objects, so it is not used.`, hint);
    const found = kinds.map((kind) => ({ kind, resolved: resolveObject(target.objects as EngineObjects, kind, word) }));
    const other = found.find((entry) => entry.resolved.found === 'other' || entry.resolved.found === 'ambiguous');
    if (other !== undefined) refuse('not-in-service', `${other.kind} "${word}" does not belong to ${service}; commands here act only on the service's own objects.`, hint);
    if (!found.some((entry) => entry.resolved.found === 'member')) refuse('not-in-service', `No ${kinds.join(' / ')} of ${service} is called "${word}".`, hint);
  }
}
