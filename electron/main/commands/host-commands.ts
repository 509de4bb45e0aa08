import { lstatSync, realpathSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { refuse, type CommandMode, type TimeoutKind } from './command-decision.ts';
import { parseToolOptions, type ToolOptions } from './host-options.ts';

/**
 * Host commands (Docker/Podman mode with no container selected): read-only tools only, each
 * with the options it may take (GNU getopt_long semantics, see host-options.ts), run by an
 * absolute path resolved once to a root-owned file in a root-owned system folder — never
 * through PATH, so a writable folder early in PATH cannot put another program in their place.
 * Tools that write files, kill processes or change the host (cp, mv, dd, rm, tee, kill,
 * `ss -K/-D`, `date -s`, …) are refused.
 */
interface HostTool {
  /** Option table; undefined for tools none of whose options write or change anything (checked against their --help). */
  readonly options?: ToolOptions;
  /** Extra checks on the parsed words. */
  readonly check?: (args: readonly string[], operands: readonly string[], mode: CommandMode) => void;
  readonly kind?: TimeoutKind;
}

const noOperands = (tool: string) => (_args: readonly string[], operands: readonly string[]): void => {
  if (operands.length > 0) refuse('invalid-argument', `"${tool} ${operands[0]}" is not available here.`, `Run ${tool} with its read-only options only.`);
};

const tail: ToolOptions = {
  short: { n: 'required', c: 'required', q: 'none', v: 'none', z: 'none', f: 'none', F: 'none', s: 'required' },
  long: { bytes: 'required', lines: 'required', quiet: 'none', silent: 'none', verbose: 'none', 'zero-terminated': 'none', follow: 'optional', retry: 'none', pid: 'required', 'sleep-interval': 'required', 'max-unchanged-stats': 'required', help: 'none', version: 'none' },
  followOptions: ['f', 'F', 'follow', 'retry', 'pid', 'sleep-interval', 'max-unchanged-stats'],
  numberOption: true,
};

const ss: ToolOptions = {
  short: Object.fromEntries([...'hVnraloempTisbEZzH O406tMSudwx'.replaceAll(' ', '')].map((c) => [c, 'none'])) as Record<string, 'none'>,
  long: Object.fromEntries(
    ['help', 'version', 'numeric', 'resolve', 'all', 'listening', 'options', 'extended', 'memory', 'processes', 'threads', 'info', 'tos', 'cgroup', 'tipcinfo', 'summary', 'bpf', 'events', 'context', 'contexts', 'ipv4', 'ipv6', 'packet', 'tcp', 'mptcp', 'sctp', 'udp', 'dccp', 'raw', 'unix', 'tipc', 'vsock', 'xdp', 'inet-sockopt', 'no-header', 'oneline'].map((n) => [n, 'none']),
  ) as Record<string, 'none'>,
  refused: { kill: 'closes sockets', K: 'closes sockets', diag: 'writes a file', D: 'writes a file', filter: 'reads a filter file', F: 'reads a filter file', net: 'switches network namespace', N: 'switches network namespace', family: 'is not needed here (use -4/-6/-x)', f: 'is not needed here (use -4/-6/-x)', query: 'is not needed here (use -t/-u/-x)', socket: 'is not needed here (use -t/-u/-x)', A: 'is not needed here (use -t/-u/-x)' },
};

const date: ToolOptions = {
  short: { u: 'none', R: 'none', I: 'optional', d: 'required', r: 'required' },
  long: { utc: 'none', universal: 'none', 'rfc-email': 'none', 'iso-8601': 'optional', 'rfc-3339': 'required', date: 'required', reference: 'required', debug: 'none', resolution: 'none', help: 'none', version: 'none' },
  refused: { set: 'sets the system clock', s: 'sets the system clock', file: 'reads dates from a file', f: 'reads dates from a file' },
};

const hostname: ToolOptions = {
  short: { f: 'none', i: 'none', s: 'none', d: 'none', A: 'none', I: 'none', a: 'none' },
  long: { fqdn: 'none', long: 'none', short: 'none', domain: 'none', 'ip-address': 'none', 'all-ip-addresses': 'none', 'all-fqdns': 'none', alias: 'none', help: 'none', version: 'none' },
  refused: { file: 'sets the host name from a file', F: 'sets the host name from a file', boot: 'sets the host name', b: 'sets the host name', nis: 'reads NIS', yp: 'reads NIS', y: 'reads NIS' },
};

const env: ToolOptions = { short: { '0': 'none' }, long: { null: 'none' } };

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
  ss: { options: ss },
  tail: { options: tail, kind: 'logs' },
  date: {
    options: date,
    check: (_args, operands) => {
      if (operands.some((operand) => !operand.startsWith('+'))) refuse('invalid-argument', '"date MMDDhhmm" sets the system clock, which is not available here.', 'Use date +FORMAT to print the time.');
    },
  },
  hostname: { options: hostname, check: noOperands('hostname') },
  env: { options: env, check: noOperands('env') },
  // top needs a terminal unless it runs in batch mode for a fixed number of rounds.
  top: {
    check: (args) => {
      const joined = args.join(' ');
      if (!/(^| )-b( |$)/.test(joined) || !/(^| )-n ?[1-9]\d*( |$)/.test(joined) || args.some((a) => !/^(-b|-n[1-9]\d*|-n|[1-9]\d*|-c|-w\d*|-o[A-Za-z%]+|-H)$/.test(a))) {
        refuse('interactive', 'Interactive top is not available; the app has no terminal.', 'Use batch mode for one round: top -b -n 1');
      }
    },
  },
  ip: {
    check: (args) => {
      const words = args.filter((a) => !/^-(4|6|br|brief|s|stats|d|details|c|color|j|json|p|pretty)$/.test(a));
      const [object, verb, ...rest] = words;
      if (object === undefined || !/^(a|addr|address|r|route|l|link|n|neigh|neighbour|rule)$/.test(object) || (verb !== undefined && !/^(show|list|ls|s)$/.test(verb)) || rest.some((w) => w.startsWith('-'))) {
        refuse('invalid-argument', 'Only "ip addr|route|link|neigh [show]" is available here.', 'For example: ip addr show');
      }
    },
  },
};

/** Tools that write files, kill processes or change the host: refused by name, with the reason. */
const writingTools = new Set(['rm', 'mv', 'cp', 'dd', 'truncate', 'kill', 'pkill', 'killall', 'mkdir', 'rmdir', 'touch', 'tee', 'ln', 'chmod', 'chown', 'install', 'shred', 'sed', 'sh', 'bash']);

export const hostToolNames = Object.keys(hostTools);

/** Host tool name → absolute path of a root-owned executable; built once (resolveHostTools). */
export type HostTools = ReadonlyMap<string, string>;

const systemFolders = ['/usr/bin', '/bin', '/usr/sbin', '/sbin'];

/** True when no one but root can replace this file or any folder above it. */
function rootOwnedChain(path: string): boolean {
  for (let current = path; ; current = dirname(current)) {
    const info = statSync(current);
    if (info.uid !== 0 || (info.mode & 0o022) !== 0) return false;
    if (current === '/') return true;
  }
}

/** Resolves every host tool once, in fixed system folders only; tools not found that way are left out. */
export function resolveHostTools(folders: readonly string[] = systemFolders): HostTools {
  const tools = new Map<string, string>();
  for (const name of hostToolNames) {
    for (const folder of folders) {
      const candidate = `${folder}/${name}`;
      try {
        lstatSync(candidate);
        const real = realpathSync(candidate);
        if (!rootOwnedChain(real) || !rootOwnedChain(folder)) continue;
        tools.set(name, candidate);
        break;
      } catch {
        // not there: try the next folder
      }
    }
  }
  return tools;
}

export interface HostCommandShape {
  readonly kind: TimeoutKind;
  /** What runs: the resolved absolute path of the tool. */
  readonly program: string;
}

export function checkHostCommand(argv: readonly string[], mode: CommandMode, tools: HostTools | undefined): HostCommandShape {
  const [program = '', ...args] = argv;
  if (writingTools.has(program)) {
    refuse('host-command-not-allowed', `"${program}" writes files, runs other programs or stops processes on the host, which is not available here.`, 'Select one of the service’s containers to change files inside it.');
  }
  const tool = Object.hasOwn(hostTools, program) ? hostTools[program] : undefined;
  if (tool === undefined) {
    const where = program.includes('/') ? 'Give the tool by name, without a path.' : `Available on the host: ${hostToolNames.join(', ')}; or select a container to run commands inside it.`;
    refuse('host-command-not-allowed', `"${program}" is not available as a host command here.`, where);
  }
  const operands = tool.options === undefined ? args : parseToolOptions(program, tool.options, args, mode).operands;
  tool.check?.(args, operands, mode);
  const path = tools?.get(program);
  if (path === undefined) refuse('host-command-not-allowed', `"${program}" was not found as a root-owned program in ${systemFolders.join(', ')}.`, 'Install it from the system packages, or select a container.');
  return { kind: tool.kind ?? 'other', program: path };
}
