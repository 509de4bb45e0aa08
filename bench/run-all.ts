// `npm run bench`: runs every bench of the P1–P9 table (and the L1–L3 link-heal rows) one after another (never in parallel: each
// measures the app and its comparator side by side on the same cores), collects their `BENCH`
// lines, and writes the table with the machine and date into bench/README.md between the
// bench-table markers. Benches are not tests: a ratio above its goal is reported, never fails.
// `npm run bench -- P1 P6` runs only the benches for those rows.
// `npm run bench -- scaling` runs the same benches at growing sizes instead (issue 13: the Pod List
// at 1k/5k/20k pods, opened and scrolled; container stats for 50/200 containers) and writes a
// second table, time and memory per size, between the bench-scaling markers.
// BENCH_SCALING_PODS=1000,5000,20000 and BENCH_SCALING_CONTAINERS=50,200 change the sizes.

import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchLinePrefix, mib, sizeLabel, type BenchRow } from './bench-result.ts';

interface Bench {
  readonly script: string;
  readonly rows: readonly string[];
  /** Environment for the script (the scaling runs' sizes). */
  readonly env?: Readonly<Record<string, string>>;
}

/** Which script measures which rows of the issue's table. */
const benches: readonly Bench[] = [
  { script: 'pod-list-open.ts', rows: ['P1', 'P2'] },
  { script: 'pod-watch.ts', rows: ['P3'] },
  { script: 'log-render.ts', rows: ['P4'] },
  { script: 'command-stream.ts', rows: ['P5'] },
  { script: 'audit-throughput.ts', rows: ['P6'] },
  { script: 'container-stats.ts', rows: ['P7'] },
  { script: 'main-loop-delay.ts', rows: ['P8'] },
  { script: 'service-list-open.ts', rows: ['P9'] },
  { script: 'link-heal.ts', rows: ['L1', 'L2', 'L3'] },
];

const sizes = (variable: string, fallback: string): number[] => (process.env[variable] ?? fallback).split(',').map(Number).filter((size) => size > 0);
const podSizes = sizes('BENCH_SCALING_PODS', '1000,5000,20000');
const containerSizes = sizes('BENCH_SCALING_CONTAINERS', '50,200');
// 20,000 pods take long to set up and kubectl's side is slow: 3 runs are enough there
const podRuns = (pods: number): Record<string, string> => (pods >= 20_000 && process.env.BENCH_RUNS === undefined ? { BENCH_RUNS: '3' } : {});

/** The scaling runs: each script at each size, its rows named with the size ("P1 @ 20k"). */
const scalingBenches: readonly Bench[] = [
  ...podSizes.map((pods) => ({ script: 'pod-list-open.ts', rows: [`P1 @ ${sizeLabel(pods)}`], env: { BENCH_PODS: String(pods), ...podRuns(pods) } })),
  ...podSizes.map((pods) => ({ script: 'pod-list-scroll.ts', rows: [`P1 @ ${sizeLabel(pods)} scroll`], env: { BENCH_PODS: String(pods) } })),
  ...containerSizes.map((containers) => ({ script: 'container-stats.ts', rows: [`P7 @ ${sizeLabel(containers)}`], env: { BENCH_CONTAINERS: String(containers) } })),
];

const benchDir = import.meta.dirname;
const readme = join(benchDir, 'README.md');

function runBench(script: string, env: Readonly<Record<string, string>> = {}): Promise<{ rows: BenchRow[]; failure?: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(benchDir, script)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const rows: BenchRow[] = [];
    let pending = '';
    let errorTail = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith(benchLinePrefix)) rows.push(JSON.parse(line.slice(benchLinePrefix.length)) as BenchRow);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      errorTail = (errorTail + chunk.toString('utf8')).slice(-400);
    });
    child.on('close', (code) => resolve(code === 0 ? { rows } : { rows, failure: `exit ${code}: ${errorTail.trim().split('\n').pop() ?? ''}` }));
  });
}

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const milliseconds = (ms: number): string => `${ms < 100 ? ms.toFixed(1) : ms.toFixed(0)} ms`;
const figure = (row: BenchRow): string => (row.unit === 'ms' ? milliseconds(row.ratio) : `${row.ratio.toFixed(2)}×`);
const goal = (row: BenchRow): string => (row.unit === 'ms' ? `≤ ${row.goal} ms` : `≤ ${row.goal}×`);

const wanted = process.argv.slice(2);
const scaling = wanted.includes('scaling');
const chosen = scaling ? scalingBenches : wanted.length === 0 ? benches : benches.filter((bench) => bench.rows.some((row) => wanted.includes(row)));
const [start, end] = scaling ? ['<!-- bench-scaling:start -->', '<!-- bench-scaling:end -->'] : ['<!-- bench-table:start -->', '<!-- bench-table:end -->'];
const measured: BenchRow[] = [];
const lines: string[] = [];
// a row not measured: empty cells between its first figure and "not measured"
const blankCells = scaling ? 7 : 1;
for (const bench of chosen) {
  const sized = Object.entries(bench.env ?? {}).map(([name, value]) => `${name}=${value}`).join(' ');
  process.stdout.write(`\n== ${sized ? `${sized} ` : ''}${bench.script} (${bench.rows.join(', ')})\n`);
  const result = await runBench(bench.script, bench.env);
  measured.push(...result.rows);
  for (const row of result.rows) lines.push(scaling ? scalingLine(row) : `| ${row.row} | ${cell(row.what)} | ${figure(row)} | ${goal(row)} | ${row.ratio <= row.goal ? 'met' : '**not met**'} | ${cell(row.note ?? '')} |`);
  for (const missing of bench.rows.filter((name) => !result.rows.some((row) => row.row === name || row.row.startsWith(`${name} `)))) {
    const blanks: string[] = Array.from({ length: blankCells }, () => '');
    lines.push(`| ${[missing, `\`${sized ? `${sized} ` : ''}${bench.script}\``, '—', ...blanks, '**not measured**', cell(result.failure ?? 'the script printed no result for this row')].join(' | ')} |`);
  }
}

/** A scaling row: the app's own time and memory at this size, then the row's figure against its goal. */
function scalingLine(row: BenchRow): string {
  const at = row.scaling;
  const memory = (bytes: number | undefined): string => (bytes === undefined ? '—' : mib(bytes));
  const measuredCells = at === undefined ? '— | — | — | — | — | —' : `${at.size.toLocaleString('en-US')} ${at.of} | ${milliseconds(at.ms)} | ${at.firstRowMs === undefined ? '—' : milliseconds(at.firstRowMs)} | ${memory(at.mainHeap)} | ${memory(at.mainRss)} | ${memory(at.rendererHeap)}`;
  return `| ${row.row} | ${cell(row.what)} | ${measuredCells} | ${figure(row)} | ${goal(row)} | ${row.ratio <= row.goal ? 'met' : '**not met**'} | ${cell(row.note ?? '')} |`;
}

/** How each series grew from its smallest to its largest size ("P1 @ 1k" … "P1 @ 20k" is the series "P1"). */
function growth(rows: readonly BenchRow[]): string[] {
  const series = new Map<string, BenchRow[]>();
  for (const row of rows) {
    if (row.scaling === undefined) continue;
    const name = row.row.replace(/ @ \S+/, '');
    series.set(name, [...(series.get(name) ?? []), row]);
  }
  const times = (to: number | undefined, from: number | undefined): string | undefined => (to === undefined || from === undefined || from === 0 ? undefined : `${(to / from).toFixed(1)}×`);
  return [...series].flatMap(([name, list]) => {
    const sorted = [...list].sort((a, b) => (a.scaling?.size ?? 0) - (b.scaling?.size ?? 0));
    const small = sorted[0]?.scaling;
    const large = sorted.at(-1)?.scaling;
    if (small === undefined || large === undefined || small.size === large.size) return [];
    const grown = [
      ['time', times(large.ms, small.ms)],
      ['first row', times(large.firstRowMs, small.firstRowMs)],
      ['main heap', times(large.mainHeap, small.mainHeap)],
      ['main RSS', times(large.mainRss, small.mainRss)],
      ['renderer heap', times(large.rendererHeap, small.rendererHeap)],
    ].flatMap(([what, factor]) => (factor === undefined ? [] : [`${what} ${factor}`]));
    return [`- ${name}: ${sizeLabel(small.size)} → ${sizeLabel(large.size)} ${large.of} (${(large.size / small.size).toFixed(0)}× the ${large.of}): ${grown.join(', ')}.`];
  });
}

const cpu = cpus();
const machine = `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, load average ${loadavg().map((value) => value.toFixed(2)).join(' ')} at the end`;
const grew = scaling ? growth(measured) : [];
const table = [
  start,
  `Recorded by \`npm run bench${wanted.length ? ` -- ${wanted.join(' ')}` : ''}\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: ${machine}.`,
  '',
  ...(scaling
    ? ['| row | what | size | app time | first row | main heap | main RSS | renderer heap | measured | goal | | notes |', '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |']
    : ['| row | what | measured | goal | | notes |', '| --- | --- | ---: | ---: | --- | --- |']),
  ...lines,
  ...(grew.length > 0 ? ['', 'Growth from the smallest to the largest size:', '', ...grew] : []),
  end,
].join('\n');
const text = await readFile(readme, 'utf8');
const from = text.indexOf(start);
const to = text.indexOf(end);
const updated = from >= 0 && to > from ? `${text.slice(0, from)}${table}${text.slice(to + end.length)}` : text.replace(/^(# Benchmarks\n)/, `$1\n${table}\n`);
await writeFile(readme, updated);
process.stdout.write(`\n${table}\n\nwritten to ${readme}\n`);
