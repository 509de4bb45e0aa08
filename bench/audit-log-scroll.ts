// Does the Audit Log scroll at display rate once "Load more" has made it thousands of rows? Browser
// mode in Debian's Chromium (the real composition root): BENCH_ROWS audited events recorded
// through main's audit trail, the Audit Log opened and "Load more" clicked until every row is in
// the table, then the table scrolled one step per animation frame as bench/pod-list-scroll.ts
// scrolls the Pod List (table-scroll.ts), BENCH_RUNS times. Not a row of the P1–P9 table: run it
// by hand to compare table code (e.g. at two commits).
// Run: node bench/audit-log-scroll.ts   (BENCH_ROWS=3000, BENCH_RUNS=3, BENCH_FRAMES=120)

import { startTestEnvironment } from '../scripts/testenv/index.ts';
import { AppShellPage } from '../tests/e2e/pages/app-shell-page.ts';
import { AuditLogPage } from '../tests/e2e/pages/audit-log-page.ts';
import { startBrowserApp } from '../tests/e2e/support/browser-app.ts';
import { median } from './bench-result.ts';
import { pct, scrollTable } from './table-scroll.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 3000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FRAMES = Number(process.env.BENCH_FRAMES ?? 120);
const auditTable = { tableTestId: 'audit-table', rowTestId: 'audit-row', keyAttribute: 'data-seq' };

// the audit key lives in the keychain: a private gnome-keyring, as the other browser-mode benches use
const environment = await startTestEnvironment({ pieces: ['keyring'], owner: 'test-run' });
const keyring = environment.description.keyring;
if (keyring.status !== 'ready') throw new Error(`bench needs gnome-keyring: ${JSON.stringify(keyring)}`);
Object.assign(process.env, keyring.env);
const app = await startBrowserApp();
try {
  const shell = new AppShellPage(app.page);
  const audit = new AuditLogPage(app.page);
  await shell.waitUntilReady();
  const first = app.server.core.audit.list({ limit: 1 })[0]?.seq ?? 0;
  for (let index = 0; index < ROWS; index++) {
    const failed = index % 7 === 3;
    app.server.core.audit.record({
      action: ['pod.delete', 'deployment.scale', 'container.restart', 'command.run'][index % 4] ?? 'pod.delete',
      target: `shop/pod/checkout-api-7d9f8b6c5-${index.toString(36).padStart(5, 'x')}`,
      outcome: failed ? 'failure' : 'success',
      ...(failed ? { error: `the API server refused the request (row ${index}): pods "checkout-api" is forbidden` } : {}),
      details: { namespace: 'shop' },
    });
  }
  await shell.navigate('audit');
  await audit.row(first + ROWS).waitFor();
  const started = performance.now();
  let pages = 0;
  while (await audit.loadMoreButton.isVisible()) {
    await audit.loadMoreButton.click();
    pages += 1;
    await app.page.waitForFunction(`(() => { const more = document.querySelector('[data-testid="audit-load-more"]'); return more === null || !more.classList.contains('n-button--loading'); })()`);
  }
  process.stdout.write(`${ROWS} audit rows: ${pages} clicks on Load more in ${(performance.now() - started).toFixed(0)} ms\n`);

  const runs = [];
  for (let run = 0; run < RUNS; run++) runs.push(await scrollTable(app.page, auditTable, FRAMES, 30, 600));
  const frames = runs.flatMap((run) => run.frames);
  const interval = median(runs.flatMap((run) => run.idle));
  const over = frames.filter((ms) => ms > 2 * interval).length;
  const mounted = runs.flatMap((run) => run.mounted);
  const last = runs.at(-1);
  if (last === undefined) throw new Error('BENCH_RUNS must be at least 1');
  process.stdout.write(
    [
      `Audit Log of ${ROWS}+ rows, ${RUNS} runs of ${FRAMES} scroll frames (600 px, every 20th a quarter of the list):`,
      `  display interval (idle frames, median): ${interval.toFixed(1)} ms`,
      `  scroll frame p50 ${pct(frames, 50).toFixed(1)} ms, p95 ${pct(frames, 95).toFixed(1)} ms, max ${Math.max(...frames).toFixed(1)} ms; ${over} of ${frames.length} frames over 2× the interval`,
      `  rows moved in ${runs.map((run) => run.moved).join('/')} of ${FRAMES} frames; frames that began blank: ${runs.map((run) => run.blank).join('/')}`,
      `  rows mounted per frame: median ${median(mounted)}, max ${Math.max(...mounted)}; ${last.rowsInDom} rows in the DOM, ${last.elementsInTable} elements in the table; list ${last.scrollHeight} px tall, view ${last.viewHeight} px`,
      '',
    ].join('\n'),
  );
} finally {
  await app.close();
  await environment.stop();
}
