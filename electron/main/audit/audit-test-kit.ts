import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type AppDatabase } from '../storage/database.ts';
import { MemorySecretStore } from '../secrets/memory-secret-store.ts';
import { openAuditTrail, type AuditTrail } from './audit-trail.ts';
import type { AuditSink } from './audit-sink.ts';

/** Test support only: a trail on a real SQLite file in a fresh temp folder. */
export interface AuditTestBench {
  readonly dataDir: string;
  readonly database: AppDatabase;
  readonly secrets: MemorySecretStore;
  readonly trail: AuditTrail;
  /** Closes the database and opens database + trail again on the same files, as a restart would. */
  reopen(): Promise<AuditTestBench>;
  dispose(): void;
}

export async function openAuditTestBench(
  options: { secrets?: MemorySecretStore; sinks?: AuditSink[]; dataDir?: string; problems?: string[] } = {},
): Promise<AuditTestBench> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'kiops-audit-'));
  const secrets = options.secrets ?? new MemorySecretStore();
  const database = openDatabase(dataDir);
  let tick = Date.parse('2026-01-01T00:00:00.000Z');
  const trail = await openAuditTrail({
    database,
    secrets,
    dataDir,
    actor: 'alice',
    sinks: options.sinks ?? [],
    onProblem: (where) => options.problems?.push(where),
    now: () => new Date((tick += 1000)),
  });
  const bench: AuditTestBench = {
    dataDir,
    database,
    secrets,
    trail,
    async reopen() {
      database.close();
      return openAuditTestBench({ ...options, secrets, dataDir });
    },
    dispose() {
      if (database.open) database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return bench;
}

/** What an attacker with file access (and no key) would do first. */
export function dropAppendOnlyTriggers(database: AppDatabase): void {
  database.exec('DROP TRIGGER audit_trail_append_only_update; DROP TRIGGER audit_trail_append_only_delete; DROP TRIGGER audit_trail_contiguous_seq;');
}

export function recordSome(trail: AuditTrail, count: number): void {
  for (let index = 1; index <= count; index += 1) {
    trail.record({ action: 'pod.delete', target: `prod/payments/pod/api-${index}`, outcome: 'success', environmentId: 'prod', details: { index } });
  }
}
