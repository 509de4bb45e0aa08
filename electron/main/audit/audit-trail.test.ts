import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.ts';
import { MemorySecretStore } from '../secrets/memory-secret-store.ts';
import { auditAnchorFileName } from './audit-anchor-file.ts';
import { auditKeySecret } from './audit-key.ts';
import type { AuditRow } from './audit-row.ts';
import { dropAppendOnlyTriggers, openAuditTestBench, recordSome, type AuditTestBench } from './audit-test-kit.ts';

const benches: AuditTestBench[] = [];

async function bench(options: Parameters<typeof openAuditTestBench>[0] = {}): Promise<AuditTestBench> {
  const opened = await openAuditTestBench(options);
  benches.push(opened);
  return opened;
}

afterEach(() => {
  for (const opened of benches.splice(0)) opened.dispose();
});

describe('record and list', () => {
  it('numbers, chains and stores each row, creating the key on first use', async () => {
    const { trail, secrets, dataDir } = await bench();
    expect(await secrets.get(auditKeySecret)).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const first = trail.record({
      action: 'deployment.scale',
      target: 'prod/payments/deployment/api',
      outcome: 'success',
      actorIdentity: 'oidc:alice@example.com',
      environmentId: 'prod',
      details: { from: 2, to: 5 },
    });
    const second = trail.record({ action: 'secret.edit', target: 'prod/payments/secret/db', outcome: 'failure', error: 'forbidden', details: { keys: ['DB_PASSWORD'] } });
    expect(first).toMatchObject({ seq: 1, actor: 'alice', actorIdentity: 'oidc:alice@example.com', prevHash: '0'.repeat(64) });
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash, actorIdentity: null, error: 'forbidden' });
    expect(second.at > first.at).toBe(true);
    expect(trail.list()).toEqual([second, first]);
    expect(existsSync(join(dataDir, auditAnchorFileName))).toBe(true);
  });

  it('pages backwards and filters by action and outcome', async () => {
    const { trail } = await bench();
    recordSome(trail, 5);
    trail.record({ action: 'command.run', target: 'kubectl get pods', outcome: 'refused', error: 'not allowed' });
    expect(trail.list({ limit: 2 }).map((row) => row.seq)).toEqual([6, 5]);
    expect(trail.list({ limit: 2, beforeSeq: 5 }).map((row) => row.seq)).toEqual([4, 3]);
    expect(trail.list({ action: 'command.run' }).map((row) => row.seq)).toEqual([6]);
    expect(trail.list({ outcome: 'success', beforeSeq: 3 }).map((row) => row.seq)).toEqual([2, 1]);
  });

  it('rejects malformed entries with INVALID_INPUT and writes nothing', async () => {
    const { trail } = await bench();
    expect(() => trail.record({ action: 'Delete Pod', target: 'x', outcome: 'success' })).toThrow(/dotted lower-case verb/);
    expect(() => trail.record({ action: 'pod.delete', target: '', outcome: 'success' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => trail.record({ action: 'audit.reseal', target: 'audit-trail', outcome: 'success' })).toThrow(/written by the trail itself/);
    expect(trail.list()).toEqual([]);
  });

  it('turns a stored row that fails validation into STORAGE_CORRUPT naming its seq', async () => {
    const { trail, database } = await bench();
    recordSome(trail, 3);
    dropAppendOnlyTriggers(database);
    database.prepare("UPDATE audit_trail SET details = 'not json' WHERE seq = 2").run();
    expect(() => trail.list()).toThrow(expect.objectContaining({ code: 'STORAGE_CORRUPT', message: expect.stringMatching(/audit_trail row \(2\).*details/) }));
    expect(trail.list({ beforeSeq: 2 })).toHaveLength(1);
    // Export still carries the damaged row so a reviewer can see it.
    const lines = [...trail.exportJsonLines()];
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[1] ?? '')).toMatchObject({ seq: 2, details: 'not json' });
  });
});

describe('audited()', () => {
  it('records success with details from the result before returning', async () => {
    const { trail } = await bench();
    const result = await trail.audited(
      { action: 'command.run', target: 'kubectl get pods', environmentId: 'prod', details: { argv: ['get', 'pods'] } },
      async () => ({ exitCode: 0 }),
      { detailsFromResult: (run) => ({ exitCode: run.exitCode }) },
    );
    expect(result).toEqual({ exitCode: 0 });
    expect(trail.list()[0]).toMatchObject({ outcome: 'success', error: null, details: { argv: ['get', 'pods'], exitCode: 0 } });
  });

  it('writes each started row before its action runs and chains the outcome to it, for actions arriving together', async () => {
    const { trail } = await bench();
    const seenByAction: (AuditRow | undefined)[] = [];
    await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        trail.audited({ action: 'deployment.scale', target: `prod/web-${index}`, details: { replicas: index } }, () => {
          // while the action runs, its started row is already committed
          seenByAction[index] = trail.list({ limit: 1000 }).find((row) => row.target === `prod/web-${index}`);
          return index;
        }),
      ),
    );
    expect(seenByAction.every((row) => row?.outcome === 'started')).toBe(true);
    const rows = trail.list({ limit: 1000 });
    expect(rows).toHaveLength(80);
    for (const outcome of rows.filter((row) => row.outcome === 'success')) {
      const started = rows.find((row) => row.seq === outcome.details.startedSeq);
      expect(started).toMatchObject({ outcome: 'started', target: outcome.target, details: { replicas: outcome.details.replicas } });
      expect(started?.seq).toBeLessThan(outcome.seq);
    }
    expect(trail.verify()).toMatchObject({ ok: true, rows: 80 });
  });

  it('records a failure with its message and rethrows the original error', async () => {
    const { trail } = await bench();
    const boom = new Error('pods "api-1" not found');
    await expect(trail.audited({ action: 'pod.delete', target: 'prod/api-1' }, () => Promise.reject(boom))).rejects.toBe(boom);
    expect(trail.list()[0]).toMatchObject({ action: 'pod.delete', outcome: 'failure', error: 'pods "api-1" not found' });
  });

  it('records a refusal when the service refused on purpose', async () => {
    const { trail } = await bench();
    const refusal = new AppError('BLOCKED_COMMAND', 'kubectl exec is not allowed here');
    await expect(trail.audited({ action: 'command.run', target: 'kubectl exec' }, () => Promise.reject(refusal))).rejects.toBe(refusal);
    expect(trail.list()[0]).toMatchObject({ outcome: 'refused', error: 'kubectl exec is not allowed here' });
  });

  it('refuses to run the action at all when the trail cannot record', async () => {
    const { trail } = await bench({ secrets: new MemorySecretStore({ available: false }) });
    let ran = false;
    const attempt = trail.audited({ action: 'pod.delete', target: 'prod/api-1' }, () => {
      ran = true;
    });
    await expect(attempt).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
    expect(ran).toBe(false);
  });

  it('forwards each stored row to further sinks, and a failing sink does not fail the action', async () => {
    const received: AuditRow[] = [];
    const problems: string[] = [];
    const { trail } = await bench({
      problems,
      sinks: [
        { name: 'broken-syslog', write: () => { throw new Error('syslog down'); } },
        { name: 'collector', write: (row) => received.push(row) },
      ],
    });
    await trail.audited({ action: 'pod.restart', target: 'prod/api-1' }, () => 'done');
    // the started row and the outcome row, in the order they were stored
    expect(received).toEqual(trail.list().reverse());
    expect(received.map((row) => row.outcome)).toEqual(['started', 'success']);
    expect(problems).toEqual(['sink broken-syslog', 'sink broken-syslog']);
  });
});

describe('without the keychain', () => {
  it('refuses to record with a readable AUDIT_UNAVAILABLE, while listing and export still work', async () => {
    const secrets = new MemorySecretStore();
    const first = await bench({ secrets });
    recordSome(first.trail, 2);
    secrets.setAvailable(false);
    const reopened = await first.reopen();
    benches.push(reopened);

    expect(reopened.trail.status()).toMatchObject({ writable: false, reason: expect.stringMatching(/refuses them/) });
    expect(() => recordSome(reopened.trail, 1)).toThrow(expect.objectContaining({ code: 'AUDIT_UNAVAILABLE' }));
    expect(() => reopened.trail.verify()).toThrow(expect.objectContaining({ code: 'AUDIT_UNAVAILABLE' }));
    expect(reopened.trail.list()).toHaveLength(2);
    expect([...reopened.trail.exportJsonLines()]).toHaveLength(2);

    secrets.setAvailable(true);
    expect(await reopened.trail.connectKeychain()).toEqual({ writable: true });
    recordSome(reopened.trail, 1);
    expect(reopened.trail.verify()).toMatchObject({ ok: true, rows: 3 });
  });

  it('does not mint a fresh key over an existing trail whose key is gone', async () => {
    const secrets = new MemorySecretStore();
    const first = await bench({ secrets });
    recordSome(first.trail, 2);
    await secrets.delete(auditKeySecret);
    const reopened = await first.reopen();
    benches.push(reopened);
    expect(reopened.trail.status()).toMatchObject({ writable: false, reason: expect.stringMatching(/key .* is missing from the OS keychain/) });
    expect(await secrets.get(auditKeySecret)).toBeNull();
  });
});

describe('export', () => {
  it('writes JSON lines and CSV with hashes, guarding spreadsheet formulas', async () => {
    const { trail } = await bench();
    trail.record({ action: 'config.edit', target: '=HYPERLINK("x")', outcome: 'success', details: { keys: ['A', 'B'] } });
    const [line] = [...trail.exportJsonLines()];
    expect(JSON.parse(line ?? '')).toMatchObject({ seq: 1, target: '=HYPERLINK("x")', details: { keys: ['A', 'B'] }, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const csv = [...trail.exportCsv()];
    expect(csv[0]).toBe('seq,at,actor,actorIdentity,environmentId,action,target,outcome,error,details,prevHash,hash\r\n');
    expect(csv[1]).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv[1]).toContain('"{""keys"":[""A"",""B""]}"');
  });
});
