// P6 of issue 13: audited events vs a raw better-sqlite3 loop. The app side runs
// AuditTrail.audited() (a "started" row before the no-op action, an outcome row after, both
// HMAC-chained and anchored in the head file and the OS keychain, rows arriving together
// sharing one anchor write); the raw side inserts exactly the rows the app stored, with the
// same schema, triggers and pragmas (WAL, synchronous=FULL), one commit per row.
// Alternating runs, medians with min/max. Run: node bench/audit-throughput.ts
// BENCH_EVENTS (default 100000), BENCH_RUNS (default 3), BENCH_IN_FLIGHT (default 64),
// BENCH_SEQUENTIAL_EVENTS (default 1000; the one-at-a-time row).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestEnvironment } from '../scripts/testenv/index.ts';
import { benchResult } from './bench-result.ts';
import { auditKeySecret } from '../electron/main/audit/audit-key.ts';
import { auditAnchorSecret } from '../electron/main/audit/audit-keychain-anchor.ts';
import { openAuditTrail } from '../electron/main/audit/audit-trail.ts';
import { KeychainSecretStore } from '../electron/main/secrets/keychain-secret-store.ts';
import { openDatabase } from '../electron/main/storage/database.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 64);
const SEQUENTIAL_EVENTS = Math.min(EVENTS, Number(process.env.BENCH_SEQUENTIAL_EVENTS ?? 1_000));

const environment = await startTestEnvironment({ pieces: ['keyring'], owner: 'test-run' });
const keyring = environment.description.keyring;
if (keyring.status !== 'ready') throw new Error(`bench needs gnome-keyring: ${JSON.stringify(keyring)}`);
Object.assign(process.env, keyring.env);

const columns = 'seq, at, actor, actor_identity, environment_id, action, target, outcome, error, details, prev_hash, hash';
type Row = Record<string, unknown>;

/** One app run: `events` audited no-op actions, `inFlight` at a time. Returns ms and the rows stored. */
async function appRun(events: number, inFlight: number): Promise<{ ms: number; rows: Row[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiops-bench-audit-'));
  const service = `kiops-bench-audit-${process.pid}-${Math.random().toString(16).slice(2)}`;
  const secrets = new KeychainSecretStore({ service });
  const database = openDatabase(dataDir);
  try {
    const trail = await openAuditTrail({ database, secrets, dataDir, actor: 'bench' });
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < events) {
        const index = (next += 1);
        await trail.audited(
          { action: 'deployment.scale', target: `bench/payments/deployment/api-${index % 50}`, environmentId: 'bench', details: { replicas: index % 10 } },
          () => index,
        );
      }
    };
    const start = performance.now();
    await Promise.all(Array.from({ length: inFlight }, () => lane()));
    const ms = performance.now() - start;
    const verification = await trail.verifyNow();
    if (!verification.ok || verification.rows !== 2 * events) throw new Error(`app run did not verify: ${JSON.stringify(verification)}`);
    return { ms, rows: database.prepare(`SELECT ${columns} FROM audit_trail ORDER BY seq`).all() as Row[] };
  } finally {
    database.close();
    await secrets.delete(auditKeySecret).catch(() => false);
    await secrets.delete(auditAnchorSecret).catch(() => false);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The comparator: the same rows into the same schema and pragmas, one commit per row. */
function rawRun(rows: readonly Row[]): number {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiops-bench-raw-'));
  const database = openDatabase(dataDir);
  try {
    const insert = database.prepare(`INSERT INTO audit_trail (${columns}) VALUES (@seq, @at, @actor, @actor_identity, @environment_id, @action, @target, @outcome, @error, @details, @prev_hash, @hash)`);
    const start = performance.now();
    for (const row of rows) insert.run(row); // autocommit: one transaction, one WAL fsync per row
    return performance.now() - start;
  } finally {
    database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function summary(values: number[]): { median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)] ?? NaN, min: sorted[0] ?? NaN, max: sorted.at(-1) ?? NaN };
}

const format = (ms: number) => `${Math.round(ms).toLocaleString('en')} ms`;
const describe = (label: string, values: number[]) => {
  const { median, min, max } = summary(values);
  return `| ${label} | ${format(median)} | ${format(min)}–${format(max)} |`;
};

try {
  await appRun(Math.min(EVENTS, 500), IN_FLIGHT); // warm-up: JIT, keychain session, page cache
  const app: number[] = [];
  const raw: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const result = await appRun(EVENTS, IN_FLIGHT);
    app.push(result.ms);
    raw.push(rawRun(result.rows));
    console.error(`run ${run + 1}: app ${format(result.ms)}, raw ${format(raw.at(-1) ?? NaN)}`);
  }
  const sequentialApp: number[] = [];
  const sequentialRaw: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const result = await appRun(SEQUENTIAL_EVENTS, 1);
    sequentialApp.push(result.ms);
    sequentialRaw.push(rawRun(result.rows));
  }
  const ratio = summary(app).median / summary(raw).median;
  const sequentialRatio = summary(sequentialApp).median / summary(sequentialRaw).median;
  console.log(`Node ${process.version}, ${RUNS} alternating runs, ${EVENTS.toLocaleString('en')} events (${(2 * EVENTS).toLocaleString('en')} rows), ${IN_FLIGHT} in flight`);
  console.log('| what | median | min–max |');
  console.log('| --- | ---: | ---: |');
  console.log(describe(`app: ${EVENTS.toLocaleString('en')} audited() events, ${IN_FLIGHT} in flight`, app));
  console.log(describe(`raw better-sqlite3: the same ${(2 * EVENTS).toLocaleString('en')} rows, one commit each`, raw));
  console.log(describe(`app: ${SEQUENTIAL_EVENTS.toLocaleString('en')} events one after another`, sequentialApp));
  console.log(describe(`raw: the same ${(2 * SEQUENTIAL_EVENTS).toLocaleString('en')} rows`, sequentialRaw));
  console.log(`\nRatio app / raw: ${ratio.toFixed(2)}× with ${IN_FLIGHT} in flight (goal ≤ 1.5×); ${sequentialRatio.toFixed(2)}× one event at a time.`);
  benchResult({ row: 'P6', what: `${EVENTS.toLocaleString('en')} audited events vs a raw better-sqlite3 loop (same rows, schema, pragmas, one commit per row)`, ratio, goal: 1.5, note: `${IN_FLIGHT} in flight; ${sequentialRatio.toFixed(2)}× one event at a time` });
} finally {
  await environment.stop();
}
