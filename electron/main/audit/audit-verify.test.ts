import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditAnchorFileName } from './audit-anchor-file.ts';
import { dropAppendOnlyTriggers, openAuditTestBench, recordSome, type AuditTestBench } from './audit-test-kit.ts';

const benches: AuditTestBench[] = [];

async function benchWith(rows: number): Promise<AuditTestBench> {
  const bench = await openAuditTestBench();
  benches.push(bench);
  recordSome(bench.trail, rows);
  return bench;
}

afterEach(() => {
  for (const bench of benches.splice(0)) bench.dispose();
});

describe('audit trail verify()', () => {
  it('passes for an untouched trail and after a restart', async () => {
    const bench = await benchWith(10);
    expect(bench.trail.verify()).toEqual({ ok: true, rows: 10, headSeq: 10, anchorSeq: 10, resealedAt: [] });
    const reopened = await bench.reopen();
    benches.push(reopened);
    expect(reopened.trail.verify()).toMatchObject({ ok: true, rows: 10 });
    expect(reopened.trail.status()).toEqual({ writable: true });
  });

  it('refuses UPDATE and DELETE through the append-only triggers', async () => {
    const bench = await benchWith(3);
    expect(() => bench.database.prepare("UPDATE audit_trail SET target = 'x' WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => bench.database.prepare('DELETE FROM audit_trail WHERE seq = 3').run()).toThrow(/append-only/);
    expect(() => bench.database.exec("INSERT INTO audit_trail SELECT 9, at, actor, actor_identity, environment_id, action, target, outcome, error, details, prev_hash, hash FROM audit_trail WHERE seq = 1")).toThrow(/follow the head/);
  });

  it('catches an edited row', async () => {
    const bench = await benchWith(10);
    dropAppendOnlyTriggers(bench.database);
    bench.database.prepare("UPDATE audit_trail SET outcome = 'failure' WHERE seq = 4").run();
    expect(bench.trail.verify()).toMatchObject({ ok: false, problem: 'edited', atSeq: 4 });
  });

  it('catches edited details even when the edit keeps valid JSON', async () => {
    const bench = await benchWith(5);
    dropAppendOnlyTriggers(bench.database);
    bench.database.prepare(`UPDATE audit_trail SET details = '{"index": 3 }' WHERE seq = 3`).run();
    expect(bench.trail.verify()).toMatchObject({ ok: false, problem: 'edited', atSeq: 3 });
  });

  it('catches a deleted row in the middle', async () => {
    const bench = await benchWith(10);
    dropAppendOnlyTriggers(bench.database);
    bench.database.prepare('DELETE FROM audit_trail WHERE seq = 5').run();
    const result = bench.trail.verify();
    expect(result).toMatchObject({ ok: false, problem: 'deleted', atSeq: 5 });
    expect(result.ok === false && result.message).toMatch(/Row 5 is missing/);
  });

  it('catches a deleted row when the rows after it were renumbered to close the gap', async () => {
    const bench = await benchWith(8);
    dropAppendOnlyTriggers(bench.database);
    bench.database.prepare('DELETE FROM audit_trail WHERE seq = 5').run();
    for (let seq = 6; seq <= 8; seq += 1) bench.database.prepare('UPDATE audit_trail SET seq = ? WHERE seq = ?').run(seq - 1, seq);
    expect(bench.trail.verify()).toMatchObject({ ok: false, problem: 'deleted', atSeq: 5 });
  });

  it('catches a reordered pair', async () => {
    const bench = await benchWith(10);
    dropAppendOnlyTriggers(bench.database);
    bench.database.exec(`
      UPDATE audit_trail SET seq = -1 WHERE seq = 6;
      UPDATE audit_trail SET seq = 6 WHERE seq = 7;
      UPDATE audit_trail SET seq = 7 WHERE seq = -1;
    `);
    const result = bench.trail.verify();
    expect(result).toMatchObject({ ok: false, problem: 'reordered', atSeq: 6 });
    expect(result.ok === false && result.message).toMatch(/Rows 6 and 7 were swapped/);
  });

  it('catches a truncated tail through the head file, and refuses to write over it', async () => {
    const bench = await benchWith(10);
    dropAppendOnlyTriggers(bench.database);
    bench.database.prepare('DELETE FROM audit_trail WHERE seq > 7').run();
    expect(bench.trail.verify()).toMatchObject({ ok: false, problem: 'truncated', atSeq: 8 });

    // The running trail notices on its next write instead of reusing seq 8.
    expect(() => recordSome(bench.trail, 1)).toThrow(expect.objectContaining({ code: 'AUDIT_UNAVAILABLE' }));
    const reopened = await bench.reopen();
    benches.push(reopened);
    expect(reopened.trail.status()).toMatchObject({ writable: false, finding: { problem: 'truncated', atSeq: 8 } });
    expect(() => recordSome(reopened.trail, 1)).toThrow(/cut from the end.*refuses operational actions/s);
    expect(reopened.trail.verify()).toMatchObject({ ok: false, problem: 'truncated' });
  });

  it('catches every row being deleted', async () => {
    const bench = await benchWith(3);
    dropAppendOnlyTriggers(bench.database);
    bench.database.exec('DELETE FROM audit_trail');
    expect(bench.trail.verify()).toMatchObject({ ok: false, problem: 'truncated', atSeq: 1 });
  });

  it('treats a removed or altered head file as a problem once there is more than one row', async () => {
    const bench = await benchWith(4);
    const anchorPath = join(bench.dataDir, auditAnchorFileName);
    const original = readFileSync(anchorPath, 'utf8');
    writeFileSync(anchorPath, original.replace(/"seq":4/, '"seq":3'));
    expect(bench.trail.verify()).toMatchObject({ ok: false, problem: 'anchor-invalid' });
    rmSync(anchorPath);
    expect(bench.trail.verify()).toMatchObject({ ok: false, problem: 'anchor-missing', atSeq: 4 });
  });

  it('accepts a head file one row behind: the crash window between commit and head write', async () => {
    const bench = await benchWith(4);
    const anchorPath = join(bench.dataDir, auditAnchorFileName);
    const atFour = readFileSync(anchorPath);
    recordSome(bench.trail, 1);
    writeFileSync(anchorPath, atFour); // as if the process died right after committing row 5

    const reopened = await bench.reopen();
    benches.push(reopened);
    expect(reopened.trail.verify()).toMatchObject({ ok: true, rows: 5, headSeq: 5, anchorSeq: 4 });
    expect(reopened.trail.status()).toEqual({ writable: true });
    recordSome(reopened.trail, 1);
    expect(reopened.trail.verify()).toMatchObject({ ok: true, rows: 6, anchorSeq: 6 });
  });

  it('flags a head file more than one row behind (an old head file put back)', async () => {
    const bench = await benchWith(3);
    const anchorPath = join(bench.dataDir, auditAnchorFileName);
    const atThree = readFileSync(anchorPath);
    recordSome(bench.trail, 3);
    writeFileSync(anchorPath, atThree);
    expect(bench.trail.verify()).toMatchObject({ ok: false, problem: 'anchor-behind', atSeq: 4 });
  });

  it('reseal records the finding, then the trail verifies and accepts writes again', async () => {
    const bench = await benchWith(6);
    dropAppendOnlyTriggers(bench.database);
    bench.database.prepare('DELETE FROM audit_trail WHERE seq > 4').run();
    const reopened = await bench.reopen();
    benches.push(reopened);

    expect(() => reopened.trail.reseal('  ')).toThrow(/why/);
    const row = reopened.trail.reseal('Restored kiops.db from last night’s backup');
    expect(row).toMatchObject({ seq: 5, action: 'audit.reseal', details: { problem: 'truncated', atSeq: 5, previousHead: { seq: 6 } } });
    recordSome(reopened.trail, 1);
    expect(reopened.trail.verify()).toMatchObject({ ok: true, rows: 6, resealedAt: [5] });
    expect(() => reopened.trail.reseal('again')).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
  });

  it('says the key is different instead of calling every row edited', async () => {
    const bench = await benchWith(3);
    const anchorPath = join(bench.dataDir, auditAnchorFileName);
    const keyless = await openAuditTestBench();
    benches.push(keyless);
    writeFileSync(join(keyless.dataDir, auditAnchorFileName), readFileSync(anchorPath));
    const result = keyless.trail.verify();
    expect(result).toMatchObject({ ok: false, problem: 'wrong-key' });
  });
});
