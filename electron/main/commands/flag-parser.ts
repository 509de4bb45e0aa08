import { refuse, type BlockRule } from './command-decision.ts';

/**
 * Parses argv the way spf13/pflag does (kubectl, docker and podman all use it), so the policy
 * decides on what the real CLI will see, not on how the user spelled it:
 * `--flag=value` / `--flag value`, booleans as `--flag` or `--flag=true|false|1|0|t|f…`,
 * short flags combined (`-it`) or with attached values (`-nfoo`, `-n=foo`), interspersed
 * positionals, `--` ending flags, and the last of repeated single-value flags winning.
 */
export interface FlagSpec {
  /** Canonical long name, without dashes. */
  readonly name: string;
  readonly short?: string;
  /**
   * `bool`: never consumes the next word. `value`: needs a value (`=` or next word).
   * `optional`: bare `--flag` means `optionalDefault`, a value only with `=` (pflag NoOptDefVal).
   */
  readonly kind: 'bool' | 'value' | 'optional';
  readonly optionalDefault?: string;
  /** Values accumulate (string arrays such as `-e`), instead of the last one winning. */
  readonly repeatable?: boolean;
  /** Recognised so it parses exactly as the CLI would, but always refused with this rule. */
  readonly blocked?: { readonly rule: BlockRule; readonly message: string; readonly hint: string };
}

export interface ParsedFlag {
  readonly spec: FlagSpec;
  /** Booleans are normalised to 'true' / 'false'. */
  readonly values: string[];
}

export interface ParsedArgs {
  readonly positionals: string[];
  /** In first-appearance order; the key is the canonical long name. */
  readonly flags: Map<string, ParsedFlag>;
  /** Words after a bare `--`, or undefined when there was none. */
  readonly afterDashDash: string[] | undefined;
}

export interface FlagTable {
  readonly specs: readonly FlagSpec[];
  /** kubectl normalises `_` to `-` in long flag names (`--all_namespaces`); docker does not. */
  readonly underscoreIsDash: boolean;
  /** What the refusal of an unknown flag should suggest. */
  readonly unknownFlagHint: string;
  /** Program name used in messages, e.g. "kubectl get". */
  readonly commandName: string;
  /**
   * docker/podman `exec`, `top`…: flags end at the first positional (cobra
   * SetInterspersed(false)), everything after it is positional.
   */
  readonly flagsEndAtFirstPositional?: boolean;
}

const trueWords = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const falseWords = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

function parseBool(spec: FlagSpec, raw: string): string {
  if (trueWords.has(raw)) return 'true';
  if (falseWords.has(raw)) return 'false';
  return refuse('invalid-flag-value', `--${spec.name} takes true or false, not "${raw}".`, `Write --${spec.name} or --${spec.name}=false.`);
}

export function isFlagWord(word: string): boolean {
  return word.length > 1 && word.startsWith('-');
}

export class FlagParser {
  private readonly table: FlagTable;
  private readonly byLong = new Map<string, FlagSpec>();
  private readonly byShort = new Map<string, FlagSpec>();

  constructor(table: FlagTable) {
    this.table = table;
    for (const spec of table.specs) {
      this.byLong.set(spec.name, spec);
      if (spec.short !== undefined) this.byShort.set(spec.short, spec);
    }
  }

  parse(words: readonly string[]): ParsedArgs {
    const result: ParsedArgs = { positionals: [], flags: new Map(), afterDashDash: undefined };
    let i = 0;
    while (i < words.length) {
      const word = words[i] as string;
      if (word === '--') {
        return { ...result, afterDashDash: words.slice(i + 1) };
      }
      if (!isFlagWord(word)) {
        if (this.table.flagsEndAtFirstPositional) {
          result.positionals.push(...words.slice(i));
          return result;
        }
        result.positionals.push(word);
        i += 1;
        continue;
      }
      i = word.startsWith('--') ? this.parseLong(words, i, result) : this.parseShortGroup(words, i, result);
    }
    return result;
  }

  /** Parses the flag word at `index` (and its value word, if it takes one); returns the next index. */
  parseOne(words: readonly string[], index: number, into: ParsedArgs): number {
    const word = words[index] as string;
    return word.startsWith('--') ? this.parseLong(words, index, into) : this.parseShortGroup(words, index, into);
  }

  private parseLong(words: readonly string[], index: number, into: ParsedArgs): number {
    const word = words[index] as string;
    const eq = word.indexOf('=');
    let name = eq < 0 ? word.slice(2) : word.slice(2, eq);
    if (this.table.underscoreIsDash) name = name.replaceAll('_', '-');
    const spec = this.byLong.get(name) ?? this.unknown(`--${name}`);
    if (eq >= 0) {
      this.record(into, spec, word.slice(eq + 1));
      return index + 1;
    }
    if (spec.kind === 'bool') {
      this.record(into, spec, 'true');
      return index + 1;
    }
    if (spec.kind === 'optional') {
      this.record(into, spec, spec.optionalDefault ?? '');
      return index + 1;
    }
    if (index + 1 >= words.length) this.missingValue(spec);
    this.record(into, spec, words[index + 1] as string);
    return index + 2;
  }

  private parseShortGroup(words: readonly string[], index: number, into: ParsedArgs): number {
    const word = words[index] as string;
    let rest = word.slice(1);
    while (rest.length > 0) {
      const letter = rest[0] as string;
      const spec = this.byShort.get(letter) ?? this.unknown(`-${letter}`);
      rest = rest.slice(1);
      if (rest.startsWith('=')) {
        // pflag: `-n=foo` and `-i=false` give the value after '=' to this shorthand.
        this.record(into, spec, rest.slice(1));
        return index + 1;
      }
      if (spec.kind === 'bool') {
        this.record(into, spec, 'true');
        continue;
      }
      if (spec.kind === 'optional') {
        if (rest.length > 0) {
          this.record(into, spec, rest);
          return index + 1;
        }
        this.record(into, spec, spec.optionalDefault ?? '');
        continue;
      }
      if (rest.length > 0) {
        this.record(into, spec, rest);
        return index + 1;
      }
      if (index + 1 >= words.length) this.missingValue(spec);
      this.record(into, spec, words[index + 1] as string);
      return index + 2;
    }
    return index + 1;
  }

  private record(into: ParsedArgs, spec: FlagSpec, raw: string): void {
    if (spec.blocked) refuse(spec.blocked.rule, spec.blocked.message, spec.blocked.hint);
    const value = spec.kind === 'bool' ? parseBool(spec, raw) : raw;
    const existing = into.flags.get(spec.name);
    if (existing && spec.repeatable) existing.values.push(value);
    else if (existing) existing.values.splice(0, existing.values.length, value);
    else into.flags.set(spec.name, { spec, values: [value] });
  }

  private unknown(flag: string): never {
    return refuse('flag-not-allowed', `The flag ${flag} is not available for \`${this.table.commandName}\` here.`, this.table.unknownFlagHint);
  }

  private missingValue(spec: FlagSpec): never {
    return refuse('invalid-flag-value', `--${spec.name} needs a value.`, `Write --${spec.name}=VALUE.`);
  }
}

/** Renders parsed flags canonically: `--name` for true booleans, `--name=value` otherwise. */
export function renderFlags(flags: ReadonlyMap<string, ParsedFlag>): string[] {
  const out: string[] = [];
  for (const { spec, values } of flags.values()) {
    for (const value of values) {
      if (spec.kind === 'bool') out.push(value === 'true' ? `--${spec.name}` : `--${spec.name}=false`);
      else out.push(`--${spec.name}=${value}`);
    }
  }
  return out;
}

export function flagValue(args: ParsedArgs, name: string): string | undefined {
  return args.flags.get(name)?.values.at(-1);
}

export function flagIsTrue(args: ParsedArgs, name: string): boolean {
  return flagValue(args, name) === 'true';
}
