// P5: a 5 MB streamed command from the child process to the screen. The app: Command Execution in
// streaming mode runs `kubectl get pods -o json` of a Deployment big enough to pass the app's 5 MiB
// streaming limit (browser mode, the real composition root, Debian's Chromium), from the Run click
// until the window shows how it ended. The comparator is the thinnest terminal app there is: this
// script spawns the same kubectl, forwards each stdout chunk over a WebSocket to a bare
// @xterm/xterm in the same Chromium, cuts at the same 5 MiB, and times until xterm has written the
// last byte and painted. Alternating runs after one warm-up of each; medians with min/max.
// Run: node bench/command-stream.ts   (BENCH_RUNS=5, BENCH_PODS=2000)

import { spawn } from 'node:child_process';
import { once } from 'node:events';
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
// The longest either side may take for one run before the bench gives up with a message.
const runTimeoutMs = 120_000;
try {
  // address() is null until the server listens: read before that, the page was sent to port 0,
  // which Chromium refuses (ERR_UNSAFE_PORT), and it then waited forever for an end line.
  await once(sockets, 'listening');
  const address = sockets.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  if (port === 0) throw new Error(`the comparator's WebSocket server has no port: ${JSON.stringify(address)}`);
  const kubeconfig = bench.kube.kubeconfigPath('developer');
  const argv = ['--kubeconfig', kubeconfig, 'get', 'pods', '-n', 'default', '-l', `app=${DEPLOYMENT}`, '-o', 'json'];

  // The comparator's main side: child stdout → WebSocket, cut at the app's limit. Every run ends
  // with one text message: `end <bytes>` at the limit, `short <bytes> …` when kubectl ended first.
  sockets.on('connection', (socket) => {
    const child = spawn('kubectl', argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let sent = 0;
    let stderr = '';
    let ended = false;
    const end = (line: string): void => {
      if (ended) return;
      ended = true;
      socket.send(line);
    };
    socket.on('close', () => child.kill('SIGKILL'));
    socket.on('error', () => child.kill('SIGKILL'));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-300)));
    child.stdout.on('data', (chunk: Buffer) => {
      if (sent >= streamOutputLimitBytes) return;
      const part = chunk.subarray(0, streamOutputLimitBytes - sent);
      sent += part.length;
      socket.send(part);
      if (sent >= streamOutputLimitBytes) {
        child.kill('SIGKILL');
        end(`end ${sent}`);
      }
    });
    child.on('error', (error) => end(`short ${sent}: ${error.message}`));
    child.on('close', (code, signal) => end(`short ${sent}: kubectl ended (${signal ?? `exit ${code}`}) ${stderr.trim()}`));
  });

  const terminalPage = await bench.app.context.newPage();
  await terminalPage.setContent('<!doctype html><html><head><style>body{margin:0} #term{height:600px;width:1000px}</style></head><body><div id="term"></div></body></html>');
  await terminalPage.addStyleTag({ path: join(xtermDir, 'css', 'xterm.css') });
  await terminalPage.addScriptTag({ path: join(xtermDir, 'lib', 'xterm.js') });
  // Runs in the page; kept as source text because this file is type-checked without the DOM.
  // Settles on the server's `end <bytes>` (after xterm has parsed every byte and painted twice),
  // and fails on anything else: a refused or dropped connection, a short stream, fewer bytes than
  // were sent, or no end within the time limit.
  const terminalRun = `new Promise((resolve, reject) => {
    document.getElementById('term').replaceChildren();
    const term = new Terminal({ rows: 33, cols: 140, scrollback: 100000 });
    term.open(document.getElementById('term'));
    const socket = new WebSocket('ws://127.0.0.1:${port}');
    socket.binaryType = 'arraybuffer';
    let received = 0;
    let settled = false;
    const finish = (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close();
      term.dispose();
      if (error) reject(new Error(error)); else resolve();
    };
    const timer = setTimeout(() => finish('no end line within ${runTimeoutMs} ms; received ' + received + ' bytes'), ${runTimeoutMs});
    socket.onerror = () => finish('the WebSocket to port ${port} failed after ' + received + ' bytes');
    socket.onclose = (event) => finish('the WebSocket closed (' + event.code + ') before its end line, after ' + received + ' bytes');
    socket.onmessage = (event) => {
      if (typeof event.data !== 'string') {
        received += event.data.byteLength;
        return term.write(new Uint8Array(event.data));
      }
      const [kind, bytes] = event.data.split(' ');
      if (kind !== 'end') return finish('kubectl printed less than the limit: ' + event.data);
      if (Number(bytes) !== received) return finish('the server sent ' + bytes + ' bytes, the page received ' + received);
      socket.onclose = null;
      term.write('', () => requestAnimationFrame(() => requestAnimationFrame(() => finish())));
    };
  })`;
  const viaXterm = async (): Promise<number> => {
    const started = performance.now();
    // the page's own timer fails the run; this one covers a page that stopped running at all
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the bare-xterm page did not settle within ${runTimeoutMs + 10_000} ms`)), runTimeoutMs + 10_000);
    });
    try {
      await Promise.race([terminalPage.evaluate(terminalRun), stuck]);
    } finally {
      clearTimeout(timer);
    }
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
    if (previous) await command.endReason.waitFor({ state: 'detached', timeout: runTimeoutMs });
    await command.endReason.waitFor({ timeout: runTimeoutMs });
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
