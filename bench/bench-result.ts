// What every bench prints for `npm run bench` (bench/run-all.ts): one `BENCH {json}` line per
// table row it measures, beside its own human-readable lines.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

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
  /** For the scaling table (`npm run bench -- scaling`): the size, the app's own time and memory. */
  readonly scaling?: Scaling;
}

export interface Scaling {
  /** How many pods or containers the run had. */
  readonly size: number;
  readonly of: 'pods' | 'containers';
  /** The app's own time at this size, in ms (what the row's `what` says it is). */
  readonly ms: number;
  /** Click on the Pod List tab → first row on screen, in ms. */
  readonly firstRowMs?: number;
  /** Bytes, with the list open: main's heap after a full collection, main's resident set, the renderer's JS heap after a full collection. */
  readonly mainHeap?: number;
  readonly mainRss?: number;
  readonly rendererHeap?: number;
}

/** "1k", "20k", "50": the size as the scaling rows name it ("P1 @ 20k"). */
export const sizeLabel = (size: number): string => (size >= 1000 && size % 1000 === 0 ? `${size / 1000}k` : String(size));

export const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/**
 * Main's heap after a full collection and its resident set: in browser mode and in the benches
 * that drive main's classes directly, main runs in the bench's own process (the RSS includes the
 * bench's own client side, e.g. Playwright's, which is small beside main).
 */
export const mainMemory = (): { heap: number; rss: number } => {
  // a context made after the flag is set has gc(); the bench's own context does not need it
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed, rss: usage.rss };
};

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
