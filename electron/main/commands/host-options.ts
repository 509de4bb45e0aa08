import { refuse, type CommandMode } from './command-decision.ts';

/**
 * GNU getopt_long as host tools parse their options: `--name`, `--name=value`, `--name value`,
 * and any unique prefix of a long option standing for that option (`ss --ki` is `--kill`);
 * short options combined (`-tlnp`), with attached (`-n20`) or separate values (`-n 20`);
 * operands anywhere (permutation) until `--`. Each tool's table lists the options it may use;
 * options that write, kill or change the host are listed too, so their prefixes are refused.
 */
export type ArgKind = 'none' | 'required' | 'optional';

export interface ToolOptions {
  readonly short: Readonly<Record<string, ArgKind>>;
  readonly long: Readonly<Record<string, ArgKind>>;
  /** Long or short (`-K`) option names refused, with why. */
  readonly refused?: Readonly<Record<string, string>>;
  /** Options that keep the tool running: streaming mode only. */
  readonly followOptions?: readonly string[];
  /** `tail -20`: an obsolete `-NUMBER` option counts as an operand-free line count. */
  readonly numberOption?: boolean;
}

export interface ParsedOptions {
  readonly options: { readonly name: string; readonly value?: string }[];
  readonly operands: string[];
}

function refusedOption(tool: string, table: ToolOptions, name: string): void {
  const why = table.refused?.[name];
  if (why !== undefined) refuse('invalid-argument', `"${tool} ${name.length === 1 ? `-${name}` : `--${name}`}" ${why}, which is not available here.`, `Run ${tool} with its read-only options only.`);
}

function kindOf(table: ToolOptions, name: string, short: boolean): ArgKind | undefined {
  if (short) return table.short[name] ?? (table.refused?.[name] !== undefined ? 'none' : undefined);
  return table.long[name] ?? (table.refused?.[name] !== undefined ? 'none' : undefined);
}

/** The long option a word names: exact, else the only option it is a prefix of. */
export function resolveLong(table: ToolOptions, typed: string, tool: string): string {
  const all = [...Object.keys(table.long), ...Object.keys(table.refused ?? {}).filter((name) => name.length > 1)];
  if (all.includes(typed)) return typed;
  const matches = [...new Set(all.filter((name) => name.startsWith(typed)))];
  if (matches.length === 1) return matches[0] as string;
  if (matches.length > 1) refuse('invalid-argument', `"${tool} --${typed}" is ambiguous (${matches.map((m) => `--${m}`).join(', ')}).`, 'Write the option in full.');
  return refuse('invalid-argument', `"${tool} --${typed}" is not available here.`, `Run ${tool} with its read-only options only.`);
}

export function parseToolOptions(tool: string, table: ToolOptions, args: readonly string[], mode: CommandMode): ParsedOptions {
  const parsed: ParsedOptions = { options: [], operands: [] };
  const add = (name: string, value?: string): void => {
    refusedOption(tool, table, name);
    if (mode === 'one-shot' && table.followOptions?.includes(name)) {
      refuse('follow-watch', `${tool} ${name.length === 1 ? `-${name}` : `--${name}`} keeps running and is not available in one-shot mode.`, 'Switch to streaming mode, or drop that option.');
    }
    parsed.options.push(value === undefined ? { name } : { name, value });
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      parsed.operands.push(...args.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      parsed.operands.push(arg);
      continue;
    }
    if (table.numberOption === true && /^-\d+$/.test(arg)) {
      add('n', arg.slice(1));
      continue;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = resolveLong(table, eq < 0 ? arg.slice(2) : arg.slice(2, eq), tool);
      const kind = kindOf(table, name, false) ?? 'none';
      if (eq >= 0) {
        if (kind === 'none') refuse('invalid-argument', `"${tool} --${name}" takes no value.`, `Write --${name} without "=".`);
        add(name, arg.slice(eq + 1));
      } else if (kind === 'required') {
        if (i + 1 >= args.length) refuse('invalid-argument', `"${tool} --${name}" needs a value.`, `Write --${name}=VALUE.`);
        add(name, args[++i]);
      } else add(name);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j] as string;
      const kind = kindOf(table, letter, true);
      if (kind === undefined) refuse('invalid-argument', `"${tool} -${letter}" is not available here.`, `Run ${tool} with its read-only options only.`);
      if (kind === 'none') {
        add(letter);
        continue;
      }
      const rest = arg.slice(j + 1);
      if (rest !== '' || kind === 'optional') add(letter, rest === '' ? undefined : rest);
      else {
        if (i + 1 >= args.length) refuse('invalid-argument', `"${tool} -${letter}" needs a value.`, `Give -${letter} a value.`);
        add(letter, args[++i]);
      }
      break;
    }
  }
  return parsed;
}
