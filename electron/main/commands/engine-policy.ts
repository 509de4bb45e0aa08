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
import { checkHostCommand, containerCommandModifiesData } from './host-commands.ts';

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
const engineList = 'ps, images, logs, inspect, stats, top, port, version, info, events, diff, history, exec, start, stop, restart, pause, unpause, kill, rm, rmi, container prune, image prune, volume ls|inspect, network ls|inspect, system df';

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
    return confirmIfProduction(allowed, containerCommandModifiesData(argv), request.production, request.confirmation);
  }
  if (isEngine) {
    if (program !== target.engine) refuse('wrong-program', `This environment runs ${target.engine}, not ${program}.`, `Start the command with ${target.engine}.`);
    return decideEngineCli(request);
  }
  const shape = checkHostCommand(argv, mode);
  const allowed: AllowDecision = { decision: 'allow', argv: [...argv], auditArgv: [...argv], kind: shape.kind };
  return confirmIfProduction(allowed, shape.modifiesData, request.production, request.confirmation);
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
  if (path === 'container prune' || path === 'image prune') {
    if (!flagIsTrue(args, 'force')) refuse('interactive', `${target.engine} ${path} asks for confirmation on a terminal, which the app does not have.`, `Add -f; production environments ask for confirmation in the app.`);
  }
  if (positionals.length < subcommand.min || (subcommand.max !== undefined && positionals.length > subcommand.max)) {
    refuse('invalid-argument', `${target.engine} ${path} got ${positionals.length} argument(s).`, `Check \`${target.engine} ${path} --help\`.`);
  }
  // Names the command acts on are container/image/volume names; the exec command words are free.
  const named = path === 'exec' || path === 'top' ? positionals.slice(0, 1) : positionals;
  for (const name of named) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.:/@-]*$/.test(name)) refuse('invalid-argument', `"${name}" is not a valid name.`, 'Use a container or image name as shown by ps or images.');
  }
  const allowed = allow(target, [...path.split(' '), ...renderFlags(args.flags), ...positionals], subcommand.kind ?? 'other');
  return confirmIfProduction(allowed, subcommand.modifiesData ?? false, request.production, request.confirmation);
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
