/**
 * Whether a command run inside a container (docker/podman exec, kubectl exec) only reads.
 * Production asks for confirmation for every exec except these: an allow-list of programs
 * whose arguments cannot make them write, kill or run something else. Wrappers (env, nice,
 * timeout, nohup, stdbuf, ionice, xargs, busybox APPLET) are judged by the command they run.
 * Shells and interpreters are never read-only: their script cannot be judged.
 */
type Judge = (args: readonly string[]) => boolean;

const anyArgs: Judge = () => true;
const noneOf =
  (...forbidden: RegExp[]): Judge =>
  (args) =>
    !args.some((arg) => forbidden.some((pattern) => pattern.test(arg)));

/** A GNU long option, or any prefix of it (getopt_long abbreviations; an ambiguous one is refused too). */
function longPrefix(name: string, min = 1): RegExp {
  const parts: string[] = [];
  for (let i = min; i <= name.length; i++) parts.push(name.slice(0, i));
  return new RegExp(`^--(${parts.join('|')})(=|$)`);
}

const readers: Readonly<Record<string, Judge>> = {
  ls: anyArgs, cat: anyArgs, head: anyArgs, wc: anyArgs, stat: anyArgs, pwd: anyArgs, echo: anyArgs, printf: anyArgs,
  printenv: anyArgs, id: anyArgs, whoami: anyArgs, groups: anyArgs, uname: anyArgs, uptime: anyArgs, nproc: anyArgs,
  free: anyArgs, df: anyArgs, du: anyArgs, ps: anyArgs, vmstat: anyArgs, lscpu: anyArgs, which: anyArgs, true: anyArgs,
  false: anyArgs, basename: anyArgs, dirname: anyArgs, readlink: anyArgs, realpath: anyArgs, md5sum: anyArgs,
  sha1sum: anyArgs, sha256sum: anyArgs, sha512sum: anyArgs, cksum: anyArgs, grep: anyArgs, egrep: anyArgs, fgrep: anyArgs,
  cut: anyArgs, tr: anyArgs, nl: anyArgs, od: anyArgs, hexdump: anyArgs, strings: anyArgs, getent: anyArgs,
  netstat: anyArgs, test: anyArgs, '[': anyArgs, sleep: anyArgs, mount: (args) => args.length === 0,
  tail: noneOf(/^-[A-Za-z0-9]*[fF]/, longPrefix('follow'), longPrefix('retry')),
  date: noneOf(/^-[A-Za-z]*s/, longPrefix('set')),
  hostname: (args) => args.every((arg) => /^-[fisdAI]+$|^--(fqdn|short|domain|ip-address|all-ip-addresses|all-fqdns)$/.test(arg)),
  top: (args) => args.includes('-b'),
  ss: noneOf(/^-[A-Za-z]*[KD]/, longPrefix('kill'), longPrefix('diag')),
  ip: (args) => {
    const words = args.filter((a) => !a.startsWith('-'));
    return words.length >= 1 && /^(a|addr|address|r|route|l|link|n|neigh|neighbour)$/.test(words[0] as string) && (words[1] === undefined || /^(show|list|ls)$/.test(words[1]));
  },
  find: noneOf(/^-(delete|exec|execdir|ok|okdir|fprint|fprint0|fprintf|fls)$/),
  sort: noneOf(/^-[A-Za-z]*o/, longPrefix('output'), longPrefix('compress-program')),
};

/** Wrappers: how many words to skip before the command they run; undefined when they run nothing judgeable. */
function unwrap(program: string, args: readonly string[]): readonly string[] | 'no-command' | undefined {
  switch (program) {
    case 'env': {
      let i = 0;
      while (i < args.length) {
        const arg = args[i] as string;
        if (arg === '-i' || arg === '-0' || arg === '--null' || arg === '--ignore-environment' || arg === '-') i += 1;
        else if (arg === '-u' || arg === '--unset') i += 2;
        else if (/^(-u.+|--unset=.*)$/.test(arg)) i += 1;
        else if (arg.startsWith('-')) return undefined;
        else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(arg)) i += 1;
        else break;
      }
      return i >= args.length ? 'no-command' : args.slice(i);
    }
    case 'nice':
    case 'ionice':
    case 'stdbuf':
    case 'nohup':
    case 'timeout': {
      let i = 0;
      while (i < args.length && (args[i] as string).startsWith('-')) {
        const arg = args[i] as string;
        // Options that take a separate value word.
        i += /^(-n|-c|-p|-t|-i|-o|-e|-s|-k|--adjustment|--signal|--kill-after|--class|--classdata)$/.test(arg) ? 2 : 1;
      }
      if (program === 'timeout') i += 1; // DURATION
      return i >= args.length ? undefined : args.slice(i);
    }
    case 'busybox':
      return args.length === 0 ? 'no-command' : args;
    case 'xargs': {
      let i = 0;
      while (i < args.length && (args[i] as string).startsWith('-')) {
        const arg = args[i] as string;
        if (!/^(-0|-r|-t|--null|--no-run-if-empty|--verbose|-[nLPIdsE]|-[nLPIdsE].+|--(max-args|max-lines|max-procs|replace|delimiter|max-chars|eof)=.*)$/.test(arg)) return undefined;
        i += /^-[nLPIdsE]$/.test(arg) ? 2 : 1;
      }
      return i >= args.length ? ['echo'] : args.slice(i);
    }
    default:
      return 'no-command';
  }
}

// Not `time`: GNU time -o FILE writes a file. Not `file`: file -C writes a compiled magic file.
const wrappers = new Set(['env', 'nice', 'ionice', 'stdbuf', 'nohup', 'timeout', 'busybox', 'xargs']);

export function commandIsReadOnly(argv: readonly string[], depth = 0): boolean {
  const [word = '', ...args] = argv;
  if (depth > 8 || word === '') return false;
  // A program named by path is judged by its name only when it lives in a system folder.
  const match = /^(?:\/(?:usr\/)?s?bin\/)?([A-Za-z0-9_.[-]+)$/.exec(word);
  if (match === null) return false;
  const program = match[1] as string;
  if (wrappers.has(program)) {
    const inner = unwrap(program, args);
    if (inner === undefined) return false;
    if (inner === 'no-command') return program === 'env' || program === 'busybox';
    return commandIsReadOnly(inner, depth + 1);
  }
  const judge = Object.hasOwn(readers, program) ? readers[program] : undefined;
  return judge !== undefined && judge(args);
}
