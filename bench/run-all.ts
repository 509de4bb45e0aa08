// `npm run bench`: runs every bench of the P1–P9 table (and the L1–L3 link-heal rows) one after another (never in parallel: each
// measures the app and its comparator side by side on the same cores), collects their `BENCH`
// lines, and writes the table with the machine and date into bench/README.md between the
// bench-table markers. Benches are not tests: a ratio above its goal is reported, never fails.
// `npm run bench -- P1 P6` runs only the benches for those rows.

import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchLinePrefix, type BenchRow } from './bench-result.ts';

interface Bench {
  readonly script: string;
  readonly rows: readonly string[];
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

const benchDir = import.meta.dirname;
const readme = join(benchDir, 'README.md');
const start = '<!-- bench-table:start -->';
const end = '<!-- bench-table:end -->';

function runBench(script: string): Promise<{ rows: BenchRow[]; failure?: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(benchDir, script)], { stdio: ['ignore', 'pipe', 'pipe'] });
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
const figure = (row: BenchRow): string => (row.unit === 'ms' ? `${row.ratio.toFixed(0)} ms` : `${row.ratio.toFixed(2)}×`);
const goal = (row: BenchRow): string => (row.unit === 'ms' ? `≤ ${row.goal} ms` : `≤ ${row.goal}×`);

const wanted = process.argv.slice(2);
const chosen = wanted.length === 0 ? benches : benches.filter((bench) => bench.rows.some((row) => wanted.includes(row)));
const lines: string[] = [];
for (const bench of chosen) {
  process.stdout.write(`\n== ${bench.script} (${bench.rows.join(', ')})\n`);
  const result = await runBench(bench.script);
  for (const row of result.rows) lines.push(`| ${row.row} | ${cell(row.what)} | ${figure(row)} | ${goal(row)} | ${row.ratio <= row.goal ? 'met' : '**not met**'} | ${cell(row.note ?? '')} |`);
  for (const missing of bench.rows.filter((name) => !result.rows.some((row) => row.row === name || row.row.startsWith(`${name} `)))) {
    lines.push(`| ${missing} | \`${bench.script}\` | — | | **not measured** | ${cell(result.failure ?? 'the script printed no result for this row')} |`);
  }
}

const cpu = cpus();
const machine = `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, load average ${loadavg().map((value) => value.toFixed(2)).join(' ')} at the end`;
const table = [
  start,
  `Recorded by \`npm run bench${wanted.length ? ` -- ${wanted.join(' ')}` : ''}\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: ${machine}.`,
  '',
  '| row | what | measured | goal | | notes |',
  '| --- | --- | ---: | ---: | --- | --- |',
  ...lines,
  end,
].join('\n');
const text = await readFile(readme, 'utf8');
const from = text.indexOf(start);
const to = text.indexOf(end);
const updated = from >= 0 && to > from ? `${text.slice(0, from)}${table}${text.slice(to + end.length)}` : text.replace(/^(# Benchmarks\n)/, `$1\n${table}\n`);
await writeFile(readme, updated);
process.stdout.write(`\n${table}\n\nwritten to ${readme}\n`);
