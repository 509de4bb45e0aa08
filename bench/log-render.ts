// Does the Log Viewer stay smooth on a 5 MB log? Renders the same 5 MB of log text (ANSI
// coloured) in Debian's Chromium, side by side: VirtualLogView (only visible lines in the DOM,
// scrolled to the newest line as the Log Viewer does), a bare @xterm/xterm terminal writing the same bytes
// (P4's comparator: what a terminal-based tool shows), and a naive <pre> holding the whole text.
// Prints time to the last line visible and scroll frame times, and the ratios.
// Run: node bench/log-render.ts

import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import vue from '@vitejs/plugin-vue';
import { chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { benchResult } from './bench-result.ts';

const repoRoot = join(import.meta.dirname, '..');
const work = join(repoRoot, 'out', 'bench-log-render');
const TARGET_BYTES = 5 * 1024 * 1024;
const SCROLL_FRAMES = 120;

function logText(): string {
  const lines: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < TARGET_BYTES; i++) {
    const line =
      i % 50 === 0
        ? `2026-11-27T07:00:${String(i % 60).padStart(2, '0')}.123Z \x1b[31mERROR\x1b[0m request ${i} failed: upstream timeout after 30000ms (retry ${i % 5})`
        : `2026-11-27T07:00:${String(i % 60).padStart(2, '0')}.123Z \x1b[32mINFO\x1b[0m  GET /api/items/${i}?page=${i % 17} 200 ${i % 97}ms user=${(i * 7919) % 10007}`;
    lines.push(line);
    bytes += line.length + 1;
  }
  return lines.join('\n');
}

async function bundle(): Promise<{ js: string; css: string }> {
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  const entry = join(work, 'entry.ts');
  await writeFile(
    entry,
    [
      `import { createApp, h } from 'vue';`,
      `import VirtualLogView from '${join(repoRoot, 'renderer/src/components/terminal/VirtualLogView.vue')}';`,
      `import { stripAnsi } from '${join(repoRoot, 'renderer/src/components/terminal/ansi.ts')}';`,
      `import { parseAnsiLazily } from '${join(repoRoot, 'renderer/src/components/terminal/lazy-ansi.ts')}';`,
      `import { Terminal } from '@xterm/xterm';`,
      `import '@xterm/xterm/css/xterm.css';`,
      `Object.assign(window, {`,
      // As the Log Viewer does: lines are parsed when first shown.
      `  mountVirtual: (text: string) => { const lines = parseAnsiLazily(text); createApp({ render: () => h(VirtualLogView, { lines }) }).mount('#app'); },`,
      // A terminal needs CR LF; its write callback fires once every byte is parsed into its buffer.
      `  mountXterm: (text: string) => new Promise((resolve) => { const term = new Terminal({ rows: 33, cols: 140, scrollback: 100000 }); term.open(document.getElementById('app')); term.write(text.replaceAll('\\n', '\\r\\n'), resolve); }),`,
      `  mountNaive: (text: string) => { const pre = document.createElement('pre'); pre.className = 'naive'; pre.textContent = stripAnsi(text); document.getElementById('app')?.append(pre); },`,
      `});`,
    ].join('\n'),
  );
  await build({
    configFile: false,
    logLevel: 'warn',
    plugins: [vue()],
    define: { 'process.env.NODE_ENV': '"production"' },
    build: { outDir: join(work, 'dist'), lib: { entry, formats: ['iife'], name: 'bench', fileName: () => 'bench.js', cssFileName: 'bench' }, minify: true },
  });
  return { js: join(work, 'dist', 'bench.js'), css: join(work, 'dist', 'bench.css') };
}

interface Measured {
  firstPaintMs: number;
  frames: number[];
  domNodes: number;
}

type Mode = 'virtual' | 'xterm' | 'naive';

async function measure(page: Page, files: { js: string; css: string }, mode: Mode, text: string): Promise<Measured> {
  await page.setContent(
    `<!doctype html><html><head><style>body{margin:0} #app{height:600px;width:1000px} .naive{height:600px;overflow:auto;margin:0;font:13px/18px monospace;background:#1e1e1e;color:#d4d4d4}</style></head><body><div id="app"></div></body></html>`,
  );
  await page.addStyleTag({ path: files.css });
  await page.addScriptTag({ path: files.js });
  // Runs in the page; kept as source text because this file is type-checked without the DOM.
  const inPage = `async ({ mode, text, frames, lastLine }) => {
    const nextFrame = () => new Promise((resolve) => requestAnimationFrame((t) => resolve(t)));
    await nextFrame();
    const start = performance.now();
    await window[{ virtual: 'mountVirtual', xterm: 'mountXterm', naive: 'mountNaive' }[mode]](text);
    // the last line in view: the Log Viewer scrolls to the bottom once the snapshot is shown
    // (LogViewerTab calls scrollToBottom), xterm scrolls as it writes, the <pre> is scrolled there too
    const scroller = document.querySelector({ virtual: '[data-testid="log-view"]', xterm: '.xterm-viewport', naive: '.naive' }[mode]);
    if (mode !== 'xterm') scroller.scrollTop = scroller.scrollHeight;
    await nextFrame();
    await nextFrame();
    const firstPaintMs = performance.now() - start;
    if (!document.body.innerText.includes(lastLine)) throw new Error(mode + ': the last line is not on screen after the paint');
    const times = [];
    let last = await nextFrame();
    for (let i = 0; i < frames; i++) {
      scroller.scrollTop += i % 20 === 19 ? 200000 : 900;
      const now = await nextFrame();
      times.push(now - last);
      last = now;
    }
    return { firstPaintMs, frames: times, domNodes: document.getElementsByTagName('*').length };
  }`;
  return page.evaluate(`(${inPage})(${JSON.stringify({ mode, text, frames: SCROLL_FRAMES, lastLine: stripAnsiText(text.slice(text.lastIndexOf('\n') + 1)).slice(-40) })})`) as Promise<Measured>;
}

// eslint-disable-next-line no-control-regex
const stripAnsiText = (line: string): string => line.replace(/\x1b\[[0-9;]*m/g, '');

const pct = (values: number[], p: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? 0;

const text = logText();
const files = await bundle();
const browser = await chromium.launch({ executablePath: process.env['KIOPS_CHROMIUM'] ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
  const runs = Number(process.env['BENCH_RUNS'] ?? 3);
  const results: Record<Mode, Measured[]> = { virtual: [], xterm: [], naive: [] };
  // Alternate so machine noise hits all alike.
  for (let run = 0; run < runs; run++) for (const mode of ['virtual', 'xterm', 'naive'] as const) results[mode].push(await measure(page, files, mode, text));
  const summary = (mode: Mode) => {
    const all = results[mode];
    const paint = pct(all.map((r) => r.firstPaintMs), 50);
    const frames = all.flatMap((r) => r.frames);
    return { paint, p50: pct(frames, 50), p95: pct(frames, 95), max: Math.max(...frames), nodes: all[0]?.domNodes ?? 0 };
  };
  const v = summary('virtual');
  const x = summary('xterm');
  const n = summary('naive');
  console.log(`log: ${(text.length / 1024 / 1024).toFixed(1)} MB, ${text.split('\n').length.toLocaleString()} lines; ${runs} runs each, ${SCROLL_FRAMES} scroll frames per run`);
  console.log('| view | last line visible (median) | scroll frame p50 | p95 | max | DOM elements |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const [name, s] of [['VirtualLogView', v], ['bare @xterm/xterm', x], ['naive <pre>', n]] as const) {
    console.log(`| ${name} | ${s.paint.toFixed(0)} ms | ${s.p50.toFixed(1)} ms | ${s.p95.toFixed(1)} ms | ${s.max.toFixed(1)} ms | ${s.nodes} |`);
  }
  console.log(`ratio virtual/xterm: last line visible ${(v.paint / x.paint).toFixed(2)}×, scroll p95 ${(v.p95 / x.p95).toFixed(2)}×`);
  console.log(`ratio naive/virtual: last line visible ${(n.paint / v.paint).toFixed(1)}×, scroll p95 ${(n.p95 / v.p95).toFixed(1)}×, max frame ${(n.max / v.max).toFixed(1)}×`);
  benchResult({ row: 'P4', what: `${(text.length / 1024 / 1024).toFixed(1)} MB log snapshot to last line visible vs a bare @xterm/xterm write of the same bytes`, ratio: v.paint / x.paint, goal: 1, note: `Log Viewer ${v.paint.toFixed(0)} ms, xterm ${x.paint.toFixed(0)} ms; scroll p95 ${v.p95.toFixed(1)} vs ${x.p95.toFixed(1)} ms` });
} finally {
  await browser.close();
}
