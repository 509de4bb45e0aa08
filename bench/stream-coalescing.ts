// How many IPC messages does a streamed command's output become? `docker logs -f` hands main
// ~10k tiny chunks for 5 MB; each used to be one message and one render. This feeds the same
// shape (BENCH_MB, default 5, in chunks of 1–1,000 bytes, ANSI-coloured lines with UTF-8, a few
// chunks per event-loop turn as a pipe delivers them) through OutputCoalescer, checks that the
// text out is the text in, and reports messages and time next to the chunk count.
// Run: node bench/stream-coalescing.ts (BENCH_MB=5 BENCH_RUNS=3)

import { OutputCoalescer } from '../electron/main/commands/output-coalescer.ts';

const MB = Number(process.env.BENCH_MB ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

let seed = 42;
const next = (): number => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const lines: string[] = [];
let size = 0;
for (let i = 0; size < MB * 1024 * 1024; i++) {
  const line = `${i % 7 === 0 ? '\u001b[31mERROR\u001b[0m' : '\u001b[32mINFO\u001b[0m'} request ${i} handled in ${Math.floor(next() * 900)} ms — ok ✓ 한\n`;
  lines.push(line);
  size += Buffer.byteLength(line);
}
const input = Buffer.from(lines.join(''), 'utf8');
const chunks: Buffer[] = [];
for (let offset = 0; offset < input.length; ) {
  const length = 1 + Math.floor(next() * 1000);
  chunks.push(input.subarray(offset, offset + length));
  offset += length;
}

const results: { ms: number; messages: number }[] = [];
for (let run = 0; run < RUNS; run++) {
  const out: string[] = [];
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const output = new OutputCoalescer((_stream, text) => out.push(text));
    let at = 0;
    const feed = (): void => {
      for (let i = 0; i < 4 && at < chunks.length; i++) output.push('stdout', chunks[at++] as Buffer);
      if (at < chunks.length) setImmediate(feed);
      else {
        output.end();
        resolve();
      }
    };
    feed();
  });
  const ms = performance.now() - started;
  if (!Buffer.from(out.join(''), 'utf8').equals(input)) throw new Error('the text out is not the text in');
  results.push({ ms, messages: out.length });
}
const sorted = [...results].sort((a, b) => a.ms - b.ms);
const median = sorted[Math.floor(sorted.length / 2)] ?? { ms: 0, messages: 0 };
process.stdout.write(
  `${(input.length / 1024 / 1024).toFixed(1)} MB in ${chunks.length} chunks → ${median.messages} messages (median of ${RUNS} runs: ${median.ms.toFixed(0)} ms, min ${sorted[0]?.ms.toFixed(0)} ms, max ${sorted.at(-1)?.ms.toFixed(0)} ms); bytes in = bytes out\n`,
);
