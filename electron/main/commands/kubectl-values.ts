import { refuse } from './command-decision.ts';

/**
 * Flag values as kubectl v1.32 reads them (cmdutil.GetDryRunStrategy, labels.Parse), so the
 * policy decides on what kubectl will do, not on how the value was spelled.
 */
export type DryRunStrategy = 'none' | 'client' | 'server';

// Go's strconv.ParseBool: kubectl still accepts the deprecated boolean spellings.
const goTrue = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const goFalse = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

export function dryRunStrategy(value: string): DryRunStrategy {
  if (goTrue.has(value)) return 'client';
  if (goFalse.has(value)) return 'none';
  // 'unchanged' is the flag's NoOptDefVal: a bare --dry-run.
  if (value === 'unchanged' || value === 'client') return 'client';
  if (value === 'server') return 'server';
  if (value === 'none') return 'none';
  return refuse('invalid-flag-value', `--dry-run takes none, client or server, not "${value}".`, 'Write --dry-run=server to preview, or leave the flag out.');
}

/** Splits a label selector into its requirements (commas inside `in (…)` sets do not split). */
export function selectorRequirements(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
    } else current += char;
  }
  out.push(current.trim());
  return out.filter((requirement) => requirement !== '');
}

const equality = /^[A-Za-z0-9_./-]+\s*==?\s*[A-Za-z0-9_.-]+$/;

/**
 * A delete must pick its objects by at least one `key=value` requirement. Selectors made only of
 * negations (`app!=web`, `!app`), existence (`app`) or sets (`app in (…)`, `app notin (…)`), or
 * an empty one, match everything but a few objects: that is deleting all, which is refused.
 */
export function checkDeleteSelector(selector: string | undefined): void {
  if (selector === undefined) return;
  if (!selectorRequirements(selector).some((requirement) => equality.test(requirement))) {
    refuse('delete-all', `The selector "${selector}" matches by negation, existence or sets only, so it would delete (nearly) every pod of the namespace.`, 'Select with at least one KEY=VALUE, e.g. -l app=web, or name the pods.');
  }
}
