import type { AuditRowView } from '../../../shared/contract/audit.ts';

/** One "was → became" pair a change recorded (replicas, image, revision, namespaces...). */
export interface AuditChange {
  readonly name: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** What the row detail drawer shows, read out of a row's details; the rest stays as raw JSON. */
export interface AuditRowDetail {
  readonly argv?: readonly string[];
  readonly argvCut: boolean;
  readonly place: readonly { readonly name: 'namespace' | 'host' | 'container' | 'pod' | 'deployment' | 'engine'; readonly value: string }[];
  readonly changes: readonly AuditChange[];
  readonly durationMs?: number;
  readonly exitCode?: number | null;
  readonly signal?: string;
  readonly endReason?: string;
  /** The outcome row names the started row it closes. */
  readonly startedSeq?: number;
  /** What is left of the details once the fields above are taken out. */
  readonly other: Record<string, unknown>;
}

const placeNames = ['namespace', 'host', 'container', 'pod', 'deployment', 'engine'] as const;
// pairs as the main process records them: { before, after }, { from, to }, { imageFrom, imageTo }, { kindBefore, kindAfter }
const pairPatterns: readonly [RegExp, (stem: string) => [string, string]][] = [
  [/^(.*)From$/, (stem) => [`${stem}From`, `${stem}To`]],
  [/^(.*)Before$/, (stem) => [`${stem}Before`, `${stem}After`]],
];

export function auditRowDetail(row: AuditRowView): AuditRowDetail {
  const rest: Record<string, unknown> = { ...row.details };
  const take = (key: string): unknown => {
    const value = rest[key];
    delete rest[key];
    return value;
  };

  const argvValue = take('argv');
  const argv = Array.isArray(argvValue) ? argvValue.map(String) : undefined;
  const argvCut = take('argvCut') === true;

  const place: { name: (typeof placeNames)[number]; value: string }[] = [];
  for (const name of placeNames) {
    const value = rest[name];
    if (typeof value === 'string' && value !== '') {
      place.push({ name, value });
      delete rest[name];
    }
  }

  const changes: AuditChange[] = [];
  if ('before' in rest || 'after' in rest) changes.push({ name: '', before: take('before'), after: take('after') });
  if ('from' in rest && 'to' in rest) changes.push({ name: '', before: take('from'), after: take('to') });
  for (const key of Object.keys(rest)) {
    for (const [pattern, pair] of pairPatterns) {
      const stem = pattern.exec(key)?.[1];
      if (!stem) continue;
      const [beforeKey, afterKey] = pair(stem);
      if (beforeKey in rest && afterKey in rest) changes.push({ name: stem, before: take(beforeKey), after: take(afterKey) });
    }
  }

  const duration = take('durationMs');
  const exit = take('exitCode');
  const signal = take('signal');
  const endReason = take('endReason');
  const started = take('startedSeq');
  return {
    ...(argv === undefined ? {} : { argv }),
    argvCut,
    place,
    changes,
    ...(typeof duration === 'number' ? { durationMs: duration } : {}),
    ...(typeof exit === 'number' || exit === null ? { exitCode: exit } : {}),
    ...(typeof signal === 'string' ? { signal } : {}),
    ...(typeof endReason === 'string' ? { endReason } : {}),
    ...(typeof started === 'number' ? { startedSeq: started } : {}),
    other: rest,
  };
}

/** The outcome row that closes a started row, among the rows shown. */
export function outcomeRowOf(started: AuditRowView, rows: readonly AuditRowView[]): AuditRowView | undefined {
  if (started.outcome !== 'started') return undefined;
  return rows.find((row) => row.outcome !== 'started' && row.details.startedSeq === started.seq);
}

/**
 * How long the action took: the duration a command recorded, otherwise the time between the
 * started row and this outcome row (when the started row is known).
 */
export function durationOf(detail: AuditRowDetail, row: AuditRowView, startedRow: AuditRowView | undefined): number | undefined {
  if (detail.durationMs !== undefined) return detail.durationMs;
  if (startedRow === undefined) return undefined;
  const ms = Date.parse(row.at) - Date.parse(startedRow.at);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/** The hash as people compare it: its first 12 hex digits. */
export function hashPrefix(hash: string): string {
  return hash.slice(0, 12);
}

/** A command line as it would be typed: words with spaces or quotes are quoted. */
export function commandLine(argv: readonly string[]): string {
  return argv.map((word) => (word === '' || /[\s"'\\$`]/.test(word) ? `'${word.replaceAll("'", `'\\''`)}'` : word)).join(' ');
}

export function formatValue(value: unknown): string {
  if (value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
