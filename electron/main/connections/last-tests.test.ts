import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionTest } from '../../../shared/contract/environments.ts';
import { openDatabase, type AppDatabase } from '../storage/database.ts';
import { SettingsRepository } from '../storage/settings-repository.ts';
import { LastTests } from './last-tests.ts';

let dataDir: string;
let db: AppDatabase;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'kiops-last-tests-'));
  db = openDatabase(dataDir);
});

afterEach(() => {
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const connected: ConnectionTest = { state: 'connected', ok: true, method: 'direct', reason: 'Auto chose Direct.', latencyMs: 12, attempts: [], details: { engineVersion: '27.0.1', containers: 3 } };
const failed: ConnectionTest = { state: 'error', ok: false, method: 'ssh', reason: 'Direct SSH failed.', error: { code: 'UNREACHABLE', message: 'host did not answer' }, attempts: [] };

describe('the last connection test of each environment', () => {
  it.each([connected, failed])('survives a restart (a new database handle): $state', (result) => {
    new LastTests(new SettingsRepository(db), () => new Date('2026-01-02T03:04:05Z')).record('env-1', result);
    db.close();
    db = openDatabase(dataDir);
    expect(new LastTests(new SettingsRepository(db)).get('env-1')).toEqual({ testedAt: '2026-01-02T03:04:05.000Z', result });
  });

  it('keeps only the newest test and forgets it with its environment', () => {
    const tests = new LastTests(new SettingsRepository(db));
    tests.record('env-2', failed);
    tests.record('env-2', connected);
    tests.record('env-3', failed);
    expect(tests.get('env-2')?.result).toEqual(connected);
    tests.forget('env-2');
    expect(tests.get('env-2')).toBeNull();
    expect(tests.get('env-3')?.result).toEqual(failed);
  });
});
