import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openAuditTrail } from '../../../electron/main/audit/audit-trail.ts';
import { auditKeySecret } from '../../../electron/main/audit/audit-key.ts';
import { KeychainSecretStore } from '../../../electron/main/secrets/keychain-secret-store.ts';
import { openDatabase } from '../../../electron/main/storage/database.ts';

const writerPath = fileURLToPath(new URL('./audit-writer.ts', import.meta.url));
const service = `kiops-desktop-test-audit-${process.pid}`;
const dataDir = mkdtempSync(join(tmpdir(), 'kiops-audit-crash-'));

afterAll(async () => {
  await new KeychainSecretStore({ service }).delete(auditKeySecret).catch(() => false);
  rmSync(dataDir, { recursive: true, force: true });
});

interface Burst {
  readonly acknowledged: number[];
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/** Starts the writer, lets it acknowledge `killAfter` rows, then SIGKILLs it mid-burst. */
function burstThenKill(killAfter: number): Promise<Burst> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writerPath, dataDir, service], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acknowledged: number[] = [];
    let pending = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^ack (\d+)$/.exec(line);
        if (match?.[1] !== undefined) acknowledged.push(Number(match[1]));
      }
      if (acknowledged.length >= killAfter && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve({ acknowledged, signal, stderr }));
  });
}

describe('audit trail under kill -9', () => {
  it('keeps every acknowledged row, an intact database and a verifiable chain across repeated crashes', async () => {
    const acknowledged: number[] = [];
    const bursts: number[][] = [];
    for (const killAfter of [150, 40, 300]) {
      const burst = await burstThenKill(killAfter);
      expect(burst.stderr).not.toMatch(/not writable/);
      expect(burst.signal).toBe('SIGKILL');
      expect(burst.acknowledged.length).toBeGreaterThanOrEqual(killAfter);
      acknowledged.push(...burst.acknowledged);
      bursts.push(burst.acknowledged);
    }

    const database = openDatabase(dataDir);
    try {
      expect(database.pragma('integrity_check', { simple: true })).toBe('ok');
      const stored = new Set(database.prepare('SELECT seq FROM audit_trail').pluck().all());
      const missing = acknowledged.filter((seq) => !stored.has(seq));
      expect(missing).toEqual([]);
      // Each restart continued the same chain: acks are strictly increasing across all bursts.
      // Each restart continued the same chain: every burst's acks lie beyond the previous burst's.
      for (let burst = 1; burst < bursts.length; burst += 1) {
        expect(Math.min(...(bursts[burst] ?? []))).toBeGreaterThan(Math.max(...(bursts[burst - 1] ?? [])));
      }

      const trail = await openAuditTrail({ database, secrets: new KeychainSecretStore({ service }), dataDir, actor: 'crash-test' });
      const verification = await trail.verifyNow();
      expect(verification).toMatchObject({ ok: true, rows: stored.size });
      // Every acknowledged row is covered by the keychain anchor: cutting any of them is caught below.
      expect(verification.ok && verification.anchorSeq).toBeGreaterThanOrEqual(Math.max(...acknowledged));
      expect(trail.status()).toEqual({ writable: true });
    } finally {
      database.close();
    }
  });

  it('detects acknowledged rows cut off after a crash even with the head file deleted', async () => {
    const burst = await burstThenKill(60);
    const lastAcknowledged = Math.max(...burst.acknowledged);
    for (const cutTo of [lastAcknowledged - 1, Math.floor(lastAcknowledged / 2)]) {
      const database = openDatabase(dataDir);
      try {
        const before = database.prepare('SELECT MAX(seq) FROM audit_trail').pluck().get();
        expect(Number(before)).toBeGreaterThanOrEqual(lastAcknowledged);
        database.exec('DROP TRIGGER IF EXISTS audit_trail_append_only_delete');
        database.prepare('DELETE FROM audit_trail WHERE seq > ?').run(cutTo);
        rmSync(join(dataDir, 'audit-head.json'), { force: true });
        const trail = await openAuditTrail({ database, secrets: new KeychainSecretStore({ service }), dataDir, actor: 'crash-test', onProblem: () => {} });
        expect(trail.status()).toMatchObject({ writable: false, finding: { problem: 'truncated', atSeq: cutTo + 1 } });
        expect(await trail.verifyNow()).toMatchObject({ ok: false, problem: 'truncated', atSeq: cutTo + 1 });
        await trail.acknowledge(`cut to ${cutTo} by the crash test`);
      } finally {
        database.close();
      }
    }
  });
});
