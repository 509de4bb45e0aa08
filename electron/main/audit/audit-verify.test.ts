import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditAnchorFileName } from './audit-anchor-file.ts';
import { auditAnchorSecret } from './audit-keychain-anchor.ts';
import { dropAppendOnlyTriggers, openAuditTestBench, recordSome, type AuditTestBench } from './audit-test-kit.ts';

const benches: AuditTestBench[] = [];

async function benchWith(rows: number): Promise<AuditTestBench> {
  const bench = await openAuditTestBench();
  benches.push(bench);
  recordSome(bench.trail, rows);
  await bench.trail.whenAnchored();
  return bench;
}

afterEach(() => {
  for (const bench of benches.splice(0)) bench.dispose();
});

describe('audit trail verify()', () => {
  it('passes for an untouched trail and after a restart', async () => {
    const bench = await benchWith(10);
    expect(bench.trail.verify()).toEqual({ ok: true, rows: 10, headSeq: 10, anchorSeq: 10, resealedAt: [], acknowledged: [] });
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
    expect(() => recordSome(reopened.trail, 1)).toThrow(/Rows 8–10 are missing: the OS keychain records row 10.*refuses operational actions/s);
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

  it('accepts anchors behind the table when the rows after them were never acknowledged (a crash mid-group)', async () => {
    const bench = await benchWith(4);
    const anchorPath = join(bench.dataDir, auditAnchorFileName);
    const fileAtFour = readFileSync(anchorPath);
    const keychainAtFour = await bench.secrets.get(auditAnchorSecret);
    recordSome(bench.trail, 3);
    await bench.trail.whenAnchored();
    // As if the process died after committing rows 5-7 and before anchoring their group.
    writeFileSync(anchorPath, fileAtFour);
    await bench.secrets.set(auditAnchorSecret, String(keychainAtFour));

    const reopened = await bench.reopen();
    benches.push(reopened);
    expect(reopened.trail.verify()).toMatchObject({ ok: true, rows: 7, headSeq: 7, anchorSeq: 4 });
    expect(reopened.trail.status()).toEqual({ writable: true });
    recordSome(reopened.trail, 1);
    await reopened.trail.whenAnchored();
    expect(reopened.trail.verify()).toMatchObject({ ok: true, rows: 8, anchorSeq: 8 });
  });

  it('flags a head file behind the keychain copy (an old head file put back)', async () => {
    const bench = await benchWith(3);
    const anchorPath = join(bench.dataDir, auditAnchorFileName);
    const atThree = readFileSync(anchorPath);
    recordSome(bench.trail, 3);
    await bench.trail.whenAnchored();
    writeFileSync(anchorPath, atThree);
    expect(bench.trail.verify()).toMatchObject({ ok: false, problem: 'anchor-behind', atSeq: 4 });
  });

  it('acknowledge records the finding, then the trail verifies and accepts writes again', async () => {
    const bench = await benchWith(6);
    dropAppendOnlyTriggers(bench.database);
    bench.database.prepare('DELETE FROM audit_trail WHERE seq > 4').run();
    const reopened = await bench.reopen();
    benches.push(reopened);

    await expect(reopened.trail.acknowledge('  ')).rejects.toThrow(/why/);
    const row = await reopened.trail.acknowledge('Restored kiops.db from last night’s backup');
    expect(row).toMatchObject({ seq: 5, action: 'audit.reseal', details: { problem: 'truncated', atSeq: 5, previousHead: { seq: 6 }, previousKeychainHead: { seq: 6 } } });
    recordSome(reopened.trail, 1);
    await reopened.trail.whenAnchored();
    expect(reopened.trail.verify()).toMatchObject({ ok: true, rows: 6, resealedAt: [5] });
    await expect(reopened.trail.acknowledge('again')).rejects.toThrow(expect.objectContaining({ code: 'CONFLICT' }));
  });

  it('stops appends after verify finds an edited middle row, until the finding is acknowledged; later tampering still shows', async () => {
    const bench = await benchWith(6);
    dropAppendOnlyTriggers(bench.database);
    bench.database.prepare("UPDATE audit_trail SET target = 'someone-else' WHERE seq = 3").run();
    expect(bench.trail.status()).toEqual({ writable: true });
    expect(bench.trail.verify()).toMatchObject({ ok: false, problem: 'edited', atSeq: 3 });
    expect(bench.trail.status()).toMatchObject({ writable: false, finding: { problem: 'edited', atSeq: 3 } });
    expect(() => recordSome(bench.trail, 1)).toThrow(expect.objectContaining({ code: 'AUDIT_UNAVAILABLE' }));
    await expect(bench.trail.audited({ action: 'pod.delete', target: 'x' }, () => 'ran')).rejects.toThrow(/integrity check/);

    await bench.trail.acknowledge('Row 3 was edited by a test; reviewed');
    recordSome(bench.trail, 2);
    await bench.trail.whenAnchored();
    const passed = bench.trail.verify();
    expect(passed).toMatchObject({ ok: true, rows: 9, acknowledged: [{ problem: 'edited', atSeq: 3 }] });

    bench.database.prepare("UPDATE audit_trail SET target = 'again' WHERE seq = 8").run();
    expect(bench.trail.verify()).toMatchObject({ ok: false, problem: 'edited', atSeq: 8 });
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
