// The before/after of one change as an operator reads it: the fields that matter, path by path.
// Bookkeeping the API server owns (managedFields, resourceVersion, uid, generation, timestamps,
// status) is left out so the diff shows what the operator changes, not what the server touches.
// Secret data is never shown: each key reads "added", "changed", "unchanged" or "removed".

export type ChangeKind = 'added' | 'removed' | 'changed' | 'unchanged';

export interface ChangeLine {
  readonly path: string;
  readonly change: ChangeKind;
  /** Null when absent before (added) or hidden (secret values). */
  readonly before: string | null;
  readonly after: string | null;
}

const droppedMetadata = new Set(['managedFields', 'resourceVersion', 'uid', 'generation', 'creationTimestamp', 'deletionTimestamp', 'selfLink']);
const droppedTop = new Set(['status']);
const maxValueChars = 200;

/** Flattens an object to path → printed leaf; arrays of named things are keyed by name. */
function flatten(value: unknown, path: string, into: Map<string, string>): void {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      into.set(path, '[]');
      return;
    }
    value.forEach((item, index) => {
      const name = typeof item === 'object' && item !== null && typeof (item as { name?: unknown }).name === 'string' ? (item as { name: string }).name : String(index);
      flatten(item, `${path}[${name}]`, into);
    });
    return;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, child]) => child !== undefined && child !== null);
    if (entries.length === 0) {
      into.set(path, '{}');
      return;
    }
    for (const [key, child] of entries) flatten(child, path ? `${path}.${key}` : key, into);
    return;
  }
  into.set(path, printed(value));
}

function printed(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > maxValueChars ? `${text.slice(0, maxValueChars)}… (${text.length} chars)` : text;
}

function meaningful(object: unknown): Record<string, unknown> {
  if (typeof object !== 'object' || object === null) return {};
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object as Record<string, unknown>)) {
    if (droppedTop.has(key)) continue;
    if (key === 'metadata' && typeof value === 'object' && value !== null) {
      copy.metadata = Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([field]) => !droppedMetadata.has(field)));
      continue;
    }
    copy[key] = value;
  }
  return copy;
}

function isSecretValuePath(path: string): boolean {
  return path.startsWith('data.') || path.startsWith('stringData.');
}

/**
 * The lines that differ between `before` and `after` (Kubernetes objects or plain records).
 * With `secret`, data keys are listed all, changed or not, and never with their values.
 */
export function diffObjects(before: unknown, after: unknown, options: { secret?: boolean } = {}): ChangeLine[] {
  const left = new Map<string, string>();
  const right = new Map<string, string>();
  flatten(meaningful(before), '', left);
  flatten(meaningful(after), '', right);
  const paths = [...new Set([...left.keys(), ...right.keys()])].sort();
  const lines: ChangeLine[] = [];
  for (const path of paths) {
    const was = left.get(path);
    const now = right.get(path);
    const change: ChangeKind = was === undefined ? 'added' : now === undefined ? 'removed' : was === now ? 'unchanged' : 'changed';
    if (options.secret && isSecretValuePath(path)) {
      lines.push({ path, change, before: null, after: null });
      continue;
    }
    if (change === 'unchanged') continue;
    lines.push({ path, change, before: was ?? null, after: now ?? null });
  }
  return lines;
}

const maxSummaryChars = 1_000;

/** One bounded line for the audit row: what changed, values included only where the diff shows them. */
export function diffSummary(lines: readonly ChangeLine[]): string {
  const changed = lines.filter((line) => line.change !== 'unchanged');
  if (changed.length === 0) return 'no change';
  const parts = changed.map((line) => {
    if (line.before === null && line.after === null) return `${line.path} ${line.change}`;
    if (line.change === 'added') return `${line.path} + ${line.after ?? ''}`;
    if (line.change === 'removed') return `${line.path} - ${line.before ?? ''}`;
    return `${line.path}: ${line.before ?? ''} → ${line.after ?? ''}`;
  });
  const text = parts.join('; ');
  return text.length > maxSummaryChars ? `${text.slice(0, maxSummaryChars - 1)}…` : text;
}
