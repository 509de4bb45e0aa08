// P5: a 5 MB streamed command from the child process to the screen. The app: Command Execution in
// streaming mode runs `kubectl get pods -o json` of a Deployment big enough to pass the app's 5 MiB
// streaming limit (browser mode, the real composition root, Debian's Chromium), from the Run click
// until the window shows how it ended. The comparator is the thinnest terminal app there is: this
// script spawns the same kubectl, forwards each stdout chunk over a WebSocket to a bare
// @xterm/xterm in the same Chromium, cuts at the same 5 MiB, and times until xterm has written the
// last byte and painted. Alternating runs after one warm-up of each; medians with min/max.
// Run: node bench/command-stream.ts   (BENCH_RUNS=5, BENCH_PODS=2000)

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { streamOutputLimitBytes } from '../electron/main/commands/process-runner.ts';
import { CommandExecutionTab } from '../tests/e2e/pages/command-execution-tab.ts';
import { benchResult, median, spread } from './bench-result.ts';
import { startKubeBenchApp } from './kube-app.ts';

const PODS = Number(process.env.BENCH_PODS ?? 2000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const DEPLOYMENT = 'big';
const xtermDir = join(import.meta.dirname, '..', 'node_modules', '@xterm', 'xterm');

const bench = await startKubeBenchApp(DEPLOYMENT, PODS);
const sockets = new WebSocketServer({ host: '127.0.0.1', port: 0 });
try {
  const kubeconfig = bench.kube.kubeconfigPath('developer');
  const argv = ['--kubeconfig', kubeconfig, 'get', 'pods', '-n', 'default', '-l', `app=${DEPLOYMENT}`, '-o', 'json'];

  // The comparator's main side: child stdout → WebSocket, cut at the app's limit.
  sockets.on('connection', (socket) => {
    const child = spawn('kubectl', argv, { stdio: ['ignore', 'pipe', 'ignore'] });
    let sent = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      if (sent >= streamOutputLimitBytes) return;
      const part = chunk.subarray(0, streamOutputLimitBytes - sent);
      sent += part.length;
      socket.send(part);
      if (sent >= streamOutputLimitBytes) {
        child.kill('SIGKILL');
        socket.send(`end ${sent}`);
      }
    });
    child.on('close', () => {
      if (sent < streamOutputLimitBytes) socket.send(`short ${sent}`);
    });
  });
  const address = sockets.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  const terminalPage = await bench.app.context.newPage();
  await terminalPage.setContent('<!doctype html><html><head><style>body{margin:0} #term{height:600px;width:1000px}</style></head><body><div id="term"></div></body></html>');
  await terminalPage.addStyleTag({ path: join(xtermDir, 'css', 'xterm.css') });
  await terminalPage.addScriptTag({ path: join(xtermDir, 'lib', 'xterm.js') });
  // Runs in the page; kept as source text because this file is type-checked without the DOM.
  const terminalRun = `new Promise((resolve, reject) => {
    document.getElementById('term').replaceChildren();
    const term = new Terminal({ rows: 33, cols: 140, scrollback: 100000 });
    term.open(document.getElementById('term'));
    const socket = new WebSocket('ws://127.0.0.1:${port}');
    socket.binaryType = 'arraybuffer';
    socket.onmessage = (event) => {
      if (typeof event.data !== 'string') return term.write(new Uint8Array(event.data));
      socket.close();
      if (!event.data.startsWith('end')) return reject(new Error('kubectl printed less than the limit: ' + event.data));
      term.write('', () => requestAnimationFrame(() => requestAnimationFrame(() => { term.dispose(); resolve(); })));
    };
  })`;
  const viaXterm = async (): Promise<number> => {
    const started = performance.now();
    await terminalPage.evaluate(terminalRun);
    return performance.now() - started;
  };

  const modal = await bench.operate(DEPLOYMENT);
  await modal.openTab('Command Execution', 'commands');
  const command = new CommandExecutionTab(bench.app.page);
  await command.mode('streaming');
  await command.type(`kubectl get pods -l app=${DEPLOYMENT} -o json`);
  const viaApp = async (): Promise<number> => {
    const previous = (await command.endReason.count()) > 0;
    const started = performance.now();
    await command.runButton.click();
    // a previous run's end bar goes when the next run starts
    if (previous) await command.endReason.waitFor({ state: 'detached', timeout: 120_000 });
    await command.endReason.waitFor({ timeout: 120_000 });
    const ms = performance.now() - started;
    const reason = await command.endReason.getAttribute('data-reason');
    if (reason !== 'output-limit') throw new Error(`the stream ended by "${reason}", not at the 5 MiB limit`);
    return ms;
  };

  await viaApp();
  await viaXterm();
  const appMs: number[] = [];
  const xtermMs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    appMs.push(await viaApp());
    xtermMs.push(await viaXterm());
  }
  process.stdout.write(
    [
      `5 MiB of \`kubectl get pods -o json\` streamed child → screen, ${RUNS} alternating runs (medians, min–max):`,
      `  app, Run click → end shown:                 ${spread(appMs)}`,
      `  kubectl → WebSocket → bare @xterm/xterm:  ${spread(xtermMs)}`,
      '',
    ].join('\n'),
  );
  benchResult({ row: 'P5', what: '5 MB streamed command, child → UI, vs the same child → WebSocket → bare xterm writes', ratio: median(appMs) / median(xtermMs), goal: 1.5 });
} finally {
  sockets.close();
  await bench.close();
}
