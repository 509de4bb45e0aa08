import { refuse, type CommandMode, type TimeoutKind } from './command-decision.ts';

/**
 * Host commands (Docker/Podman mode with no container selected): an allow-list of
 * read-mostly tools, each with the arguments it may take, plus the data-modifying tools that
 * production environments confirm first. Anything else is refused.
 */
interface HostTool {
  /** Throws a refusal when the arguments would make the tool do something else. */
  readonly check?: (args: readonly string[], mode: CommandMode) => void;
  readonly modifiesData?: boolean;
  readonly kind?: TimeoutKind;
}

function onlyFlags(tool: string, allowed: RegExp): (args: readonly string[]) => void {
  return (args) => {
    for (const arg of args) {
      if (!allowed.test(arg)) refuse('invalid-argument', `"${tool} ${arg}" is not available here.`, `Run ${tool} with its read-only options only.`);
    }
  };
}

const followWords = new Set(['-f', '-F', '--follow', '--retry']);

const hostTools: Readonly<Record<string, HostTool>> = {
  ps: {},
  free: {},
  df: {},
  du: {},
  netstat: {},
  uptime: {},
  uname: {},
  ls: {},
  cat: {},
  head: {},
  lscpu: {},
  nproc: {},
  vmstat: {},
  whoami: {},
  id: {},
  // ss -K closes sockets; everything else it does is reading.
  ss: {
    check: (args) => {
      if (args.some((arg) => arg === '--kill' || (/^-[a-zA-Z]+$/.test(arg) && arg.includes('K')))) refuse('invalid-argument', 'ss -K closes sockets and is not available here.', 'Drop -K.');
    },
  },
  tail: {
    kind: 'logs',
    check: (args, mode) => {
      const follows = args.some((arg) => followWords.has(arg) || arg.startsWith('--follow=') || (/^-[a-zA-Z0-9]+$/.test(arg) && /[fF]/.test(arg)));
      if (follows && mode === 'one-shot') refuse('follow-watch', 'tail -f keeps running and is not available in one-shot mode.', 'Switch to streaming mode, or drop -f.');
    },
  },
  // top needs a terminal unless it runs in batch mode for a fixed number of rounds.
  top: {
    check: (args) => {
      const joined = args.join(' ');
      if (!/(^| )-b( |$)/.test(joined) || !/(^| )-n ?[1-9]\d*( |$)/.test(joined) || args.some((a) => !/^(-b|-n[1-9]\d*|-n|[1-9]\d*|-c|-w\d*|-o[A-Za-z%]+|-H)$/.test(a))) {
        refuse('interactive', 'Interactive top is not available; the app has no terminal.', 'Use batch mode for one round: top -b -n 1');
      }
    },
  },
  env: { check: onlyFlags('env', /^(-0|--null)$/) },
  date: { check: onlyFlags('date', /^(-u|--utc|-R|--rfc-email|-I[a-z]*|--iso-8601(=[a-z]+)?|\+[^\s]*)$/) },
  hostname: { check: onlyFlags('hostname', /^(-[fisdAI]|--fqdn|--short|--domain|--ip-address|--all-ip-addresses|--all-fqdns)$/) },
  ip: {
    check: (args) => {
      const words = args.filter((a) => !/^-(4|6|br|brief|s|stats|d|details|c|color|j|json|p|pretty)$/.test(a));
      const [object, verb] = words;
      if (object === undefined || !/^(a|addr|address|r|route|l|link|n|neigh|neighbour|rule)$/.test(object) || (verb !== undefined && !/^(show|list|ls|s)$/.test(verb))) {
        refuse('invalid-argument', 'Only "ip addr|route|link|neigh [show]" is available here.', 'For example: ip addr show');
      }
    },
  },
  rm: { modifiesData: true },
  mv: { modifiesData: true },
  cp: { modifiesData: true },
  dd: { modifiesData: true },
  truncate: { modifiesData: true },
  kill: { modifiesData: true },
  mkdir: { modifiesData: true },
  rmdir: { modifiesData: true },
  touch: { modifiesData: true },
};

export const hostToolNames = Object.keys(hostTools);

export interface HostCommandShape {
  readonly kind: TimeoutKind;
  readonly modifiesData: boolean;
}

export function checkHostCommand(argv: readonly string[], mode: CommandMode): HostCommandShape {
  const [program = '', ...args] = argv;
  const tool = Object.hasOwn(hostTools, program) ? hostTools[program] : undefined;
  if (tool === undefined) {
    const where = program.includes('/') ? 'Give the tool by name, without a path.' : `Available on the host: ${hostToolNames.join(', ')}; or select a container to run commands inside it.`;
    refuse('host-command-not-allowed', `"${program}" is not available as a host command here.`, where);
  }
  tool.check?.(args, mode);
  return { kind: tool.kind ?? 'other', modifiesData: tool.modifiesData ?? false };
}

/** In a container anything may run, but these change data, so production asks first. */
const containerModifying = new Set(['rm', 'mv', 'cp', 'dd', 'truncate', 'kill', 'pkill', 'killall', 'mkdir', 'rmdir', 'touch', 'chmod', 'chown', 'ln', 'tee', 'shred', 'sed', 'apt', 'apt-get', 'apk', 'yum', 'dnf', 'pip', 'npm', 'reboot', 'shutdown', 'halt']);
/** Shells and interpreters run arbitrary code, so production treats them as data-modifying too. */
const interpreters = /^(sh|bash|ash|dash|zsh|ksh|busybox|python[0-9.]*|perl|ruby|node|php|psql|mysql|redis-cli|mongo|mongosh)$/;

export function containerCommandModifiesData(argv: readonly string[]): boolean {
  const program = (argv[0] ?? '').split('/').at(-1) ?? '';
  return containerModifying.has(program) || interpreters.test(program);
}
