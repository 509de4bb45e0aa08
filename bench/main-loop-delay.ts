// P8: how long main's event loop is held up while it serves a 5,000-pod Pod List in one window and
// a 5 MB command stream in another at the same time (browser mode: the real composition root in
// this process, the windows in Debian's Chromium). The stream is `kubectl get pods -o json` of the
// same 5,000 pods (20 MB), cut by the app's own 5 MB streaming limit. Main's delay is sampled with
// perf_hooks.monitorEventLoopDelay (1 ms resolution) from the two clicks until both windows show
// their result; BENCH_RUNS runs, the median p99 and the worst single delay.
// A delay is not always main's own work: this process shares the machine's cores with Chromium,
// kubectl and the test API server, and a loop turn can be long because main waited for a core.
// So the longest turns are also split, from Linux's per-thread scheduler counters, into the time
// main's thread ran (its JavaScript, GC, and Playwright's client, which runs in this process too),
// the time it was runnable but waiting for a core, and the time it was blocked in a system call.
// Run: node bench/main-loop-delay.ts   (BENCH_RUNS=3, BENCH_PODS=5000)

import { closeSync, openSync, readSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { CommandExecutionTab } from '../tests/e2e/pages/command-execution-tab.ts';
import { benchResult, median } from './bench-result.ts';
import { podListShown, startKubeBenchApp } from './kube-app.ts';

const PODS = Number(process.env.BENCH_PODS ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DEPLOYMENT = 'big';

/** One loop turn: wall time, and of it the time main's thread ran and waited for a core (ms). */
interface Turn {
  readonly ms: number;
  readonly ranMs: number;
  readonly queuedMs: number;
}

/**
 * Times every loop turn on a 1 ms timer (as monitorEventLoopDelay does) and reads main's thread's
 * scheduler counters (/proc/thread-self/schedstat: ns on a core, ns runnable waiting for one) at
 * each turn. `stop()` returns the longest turn and the longest one main itself held (ran or was
 * blocked, i.e. the turn without its wait for a core). Without /proc (not Linux) it returns nothing.
 */
function traceTurns(): { stop(): { longest: Turn; longestHeld: Turn } | undefined } {
  let fd: number;
  try {
    fd = openSync('/proc/thread-self/schedstat', 'r');
  } catch {
    return { stop: () => undefined };
  }
  const buffer = Buffer.alloc(128);
  const counters = (): [number, number] => {
    const [ran = 0, queued = 0] = buffer.toString('latin1', 0, readSync(fd, buffer, 0, buffer.length, 0)).split(' ').map(Number);
    return [ran, queued];
  };
  let last = { at: performance.now(), counters: counters() };
  const none: Turn = { ms: 0, ranMs: 0, queuedMs: 0 };
  let longest = none;
  let longestHeld = none;
  const timer = setInterval(() => {
    const now = { at: performance.now(), counters: counters() };
    const turn = { ms: now.at - last.at, ranMs: (now.counters[0] - last.counters[0]) / 1e6, queuedMs: (now.counters[1] - last.counters[1]) / 1e6 };
    last = now;
    if (turn.ms > longest.ms) longest = turn;
    if (turn.ms - turn.queuedMs > longestHeld.ms - longestHeld.queuedMs) longestHeld = turn;
  }, 1);
  return {
    stop() {
      clearInterval(timer);
      closeSync(fd);
      return { longest, longestHeld };
    },
  };
}

const describeTurn = (turn: Turn): string =>
  `${turn.ms.toFixed(0)} ms (main ran ${turn.ranMs.toFixed(0)}, waited for a core ${turn.queuedMs.toFixed(0)}, blocked ${Math.max(0, turn.ms - turn.ranMs - turn.queuedMs).toFixed(0)})`;

const bench = await startKubeBenchApp(DEPLOYMENT, PODS);
try {
  const listWindow = bench.app.page;
  const streamWindow = await bench.newWindow();

  type Run = { p99: number; max: number; ms: number; turns: ReturnType<ReturnType<typeof traceTurns>['stop']> };
  const run = async (): Promise<Run> => {
    const listModal = await bench.operate(DEPLOYMENT, listWindow);
    const streamModal = await bench.operate(DEPLOYMENT, streamWindow);
    await streamModal.openTab('Command Execution', 'commands');
    const command = new CommandExecutionTab(streamWindow);
    await command.mode('streaming');
    await command.type(`kubectl get pods -l app=${DEPLOYMENT} -o json`);
    const listTab = listModal.tabs.filter({ hasText: 'Pod List' });
    await listTab.waitFor();

    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const turns = traceTurns();
    const started = performance.now();
    await Promise.all([
      listTab.click().then(() => podListShown(listWindow, PODS)),
      command.runButton.click().then(() => command.endReason.waitFor({ timeout: 120_000 })),
    ]);
    const ms = performance.now() - started;
    const traced = turns.stop();
    delay.disable();
    const reason = await command.endReason.getAttribute('data-reason');
    if (reason !== 'output-limit') throw new Error(`the stream ended by "${reason}", not at the 5 MB limit: nothing measured the limit path`);
    await listModal.close();
    await streamModal.close();
    return { p99: delay.percentile(99) / 1e6, max: delay.max / 1e6, ms, turns: traced };
  };

  await run(); // warm-up: JIT, Chromium caches, kubectl discovery cache
  const results: Run[] = [];
  for (let index = 0; index < RUNS; index++) results.push(await run());
  const p99 = median(results.map((result) => result.p99));
  const worst = Math.max(...results.map((result) => result.max));
  // the longest turn main itself held in any run: its own work, with the wait for a core taken out
  const held = results
    .map((result) => result.turns?.longestHeld)
    .filter((turn) => turn !== undefined)
    .sort((a, b) => b.ms - b.queuedMs - (a.ms - a.queuedMs))[0];
  const heldMs = held === undefined ? undefined : held.ms - held.queuedMs;
  process.stdout.write(
    [
      `main event-loop delay while a ${PODS}-pod list and a 5 MB stream are served together, ${RUNS} runs:`,
      ...results.map(
        (result, index) =>
          `  run ${index + 1}: p99 ${result.p99.toFixed(1)} ms, max ${result.max.toFixed(1)} ms, both shown after ${result.ms.toFixed(0)} ms` +
          (result.turns === undefined
            ? ''
            : `\n    longest turn ${describeTurn(result.turns.longest)}\n    longest held by main: ${(result.turns.longestHeld.ms - result.turns.longestHeld.queuedMs).toFixed(0)} ms, in a turn of ${describeTurn(result.turns.longestHeld)}`),
      ),
      '',
    ].join('\n'),
  );
  benchResult({ row: 'P8', what: `main event-loop delay p99 during a ${PODS}-pod list + a 5 MB stream (goal: worst ≤ 100 ms)`, ratio: p99, goal: 50, unit: 'ms', note:
      `worst ${worst.toFixed(0)} ms${worst > 100 ? ' (**over 100 ms**)' : ''}` +
      (heldMs === undefined ? '' : `; longest turn main itself held ${heldMs.toFixed(0)} ms${heldMs > 100 ? ' (**over 100 ms**)' : ''}, the rest of a long turn is waiting for a core`),
  });
} finally {
  await bench.close();
}
