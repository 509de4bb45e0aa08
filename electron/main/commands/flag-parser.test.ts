import { describe, expect, it } from 'vitest';
import { CommandRefusal } from './command-decision.ts';
import { engineSubcommands, flagsFor } from './engine-flags.ts';
import { FlagParser, renderFlags, type FlagSpec } from './flag-parser.ts';
import { globalFlags, subcommandFlags } from './kubectl-flags.ts';

const specs: FlagSpec[] = [
  { name: 'namespace', short: 'n', kind: 'value' },
  { name: 'stdin', short: 'i', kind: 'bool' },
  { name: 'tty', short: 't', kind: 'bool' },
  { name: 'dry-run', kind: 'optional', optionalDefault: 'unchanged' },
  { name: 'label-columns', short: 'L', kind: 'value', repeatable: true },
];
const parser = new FlagParser({ specs, underscoreIsDash: true, unknownFlagHint: 'hint', commandName: 'kubectl test' });

describe('FlagParser reads argv as pflag does', () => {
  it.each([
    [['-nfoo'], ['--namespace=foo'], []],
    [['-n=foo'], ['--namespace=foo'], []],
    [['-n', 'foo'], ['--namespace=foo'], []],
    [['--namespace', 'a', '--namespace=b'], ['--namespace=b'], []],
    [['-it'], ['--stdin', '--tty'], []],
    [['-tinx'], ['--tty', '--stdin', '--namespace=x'], []],
    [['-i=false'], ['--stdin=false'], []],
    [['--stdin=T', '--tty=0'], ['--stdin', '--tty=false'], []],
    [['--stdin', 'false'], ['--stdin'], ['false']],
    [['--dry-run', 'server'], ['--dry-run=unchanged'], ['server']],
    [['--dry_run=client'], ['--dry-run=client'], []],
    [['-L', 'a', '-Lb'], ['--label-columns=a', '--label-columns=b'], []],
    [['pod', '-i', 'x', '-'], ['--stdin'], ['pod', 'x', '-']],
  ])('%j', (words, flags, positionals) => {
    const parsed = parser.parse(words);
    expect(renderFlags(parsed.flags)).toEqual(flags);
    expect(parsed.positionals).toEqual(positionals);
  });

  it('stops at -- and keeps the rest apart', () => {
    expect(parser.parse(['-i=false', '--', '-it', 'x']).afterDashDash).toEqual(['-it', 'x']);
  });

  it.each([['--bogus'], ['-x'], ['-n'], ['--stdin=maybe'], ['-i=yes']])('refuses %j', (word) => {
    expect(() => parser.parse([word])).toThrow(CommandRefusal);
  });
});

function duplicates(list: readonly FlagSpec[]): string[] {
  const seen = new Set<string>();
  const dupes: string[] = [];
  for (const key of list.flatMap((s) => [`--${s.name}`, ...(s.short ? [`-${s.short}`] : [])])) {
    if (seen.has(key)) dupes.push(key);
    seen.add(key);
  }
  return dupes;
}

// Two specs with the same short or long name would make the parser guess; each table must be unambiguous.
describe('flag tables are unambiguous', () => {
  it.each(Object.keys(subcommandFlags))('kubectl %s', (path) => {
    expect(duplicates([...globalFlags, ...(subcommandFlags[path] ?? [])])).toEqual([]);
  });

  it.each(Object.keys(engineSubcommands))('engine %s', (path) => {
    const subcommand = engineSubcommands[path];
    if (subcommand) expect(duplicates(flagsFor(path, subcommand))).toEqual([]);
  });
});
