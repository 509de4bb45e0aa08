// What every bench prints for `npm run bench` (bench/run-all.ts): one `BENCH {json}` line per
// table row it measures, beside its own human-readable lines.

export interface BenchRow {
  /** The row of bench/README.md's table: P1 … P9, or a scaling row (e.g. "P1 @ 20k"). */
  readonly row: string;
  readonly what: string;
  /** app ÷ comparator (for P8: the p99 delay in ms). */
  readonly ratio: number;
  /** The goal: the ratio must be at most this. */
  readonly goal: number;
  /** How `ratio` reads: a ratio (×) or milliseconds. */
  readonly unit?: 'x' | 'ms';
  /** Extra figures worth keeping beside the ratio (medians, worst cases, memory). */
  readonly note?: string;
}

export const benchLinePrefix = 'BENCH ';

export function benchResult(row: BenchRow): void {
  process.stdout.write(`${benchLinePrefix}${JSON.stringify(row)}\n`);
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/** "median (min–max) ms" of a run's samples. */
export const spread = (values: readonly number[]): string =>
  `${median(values).toFixed(0)} ms (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`;
