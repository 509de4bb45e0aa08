import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseFileName, openDatabase } from './database.ts';
import { schemaVersion, type Migration } from './migrations.ts';
import { schemaMigrations } from './schema.ts';
import { appErrorThrownBy } from '../../../tests/support/app-errors.ts';

let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'kiops-storage-'));
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

const notesMigration: Migration = {
  version: 1,
  name: 'notes',
  up: (db) => db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL) STRICT'),
};

describe('openDatabase', () => {
  it('creates the file in the data folder with durable settings and the full schema', () => {
    const db = openDatabase(join(dataDir, 'nested'));
    try {
      expect(db.name).toBe(join(dataDir, 'nested', databaseFileName));
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(schemaVersion(db)).toBe(schemaMigrations.length);
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
      expect(tables).toEqual(['audit_trail', 'environments', 'settings', 'ssh_host_keys', 'ssh_identities', 'vpn_profiles']);
      expect(statSync(join(dataDir, 'nested')).mode & 0o777).toBe(0o700);
      expect(statSync(db.name).mode & 0o777).toBe(0o600);
    } finally {
      db.close();
    }
  });

  it('applies only the migrations it has not applied yet', () => {
    openDatabase(dataDir, { migrations: [notesMigration] }).close();
    const seen: number[] = [];
    const second: Migration = { version: 2, name: 'tags', up: (db) => (seen.push(2), db.exec('CREATE TABLE tags (name TEXT) STRICT')) };
    const db = openDatabase(dataDir, { migrations: [{ ...notesMigration, up: () => seen.push(1) }, second] });
    expect(seen).toEqual([2]);
    expect(schemaVersion(db)).toBe(2);
    db.close();
  });

  it('rolls a failing migration back completely, leaving the previous version', () => {
    openDatabase(dataDir, { migrations: [notesMigration] }).close();
    const broken: Migration = {
      version: 2,
      name: 'half done',
      up: (db) => {
        db.exec('CREATE TABLE tags (name TEXT) STRICT');
        throw new Error('disk said no');
      },
    };
    const error = appErrorThrownBy(() => openDatabase(dataDir, { migrations: [notesMigration, broken] }));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain('disk said no');
    const raw = new Database(join(dataDir, databaseFileName));
    expect(raw.pragma('user_version', { simple: true })).toBe(1);
    expect(raw.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'tags'").pluck().get()).toBe(0);
    raw.close();
  });

  it('refuses a database written by a newer app version and leaves its bytes alone', () => {
    const path = join(dataDir, databaseFileName);
    const raw = new Database(path);
    raw.exec('CREATE TABLE future (x TEXT)');
    raw.pragma(`user_version = ${schemaMigrations.length + 5}`);
    raw.close();
    const before = readFileSync(path);

    const error = appErrorThrownBy(() => openDatabase(dataDir));
    expect(error.code).toBe('STORAGE_NEWER_VERSION');
    expect(error.message).toMatch(/newer version of KIOPS Desktop/);
    expect(error.message).toContain(`schema ${schemaMigrations.length + 5}`);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('rejects a migration list with gaps before touching anything', () => {
    const error = appErrorThrownBy(() => openDatabase(dataDir, { migrations: [{ ...notesMigration, version: 2 }] }));
    expect(error.code).toBe('INTERNAL');
    expect(existsSync(join(dataDir, databaseFileName))).toBe(false);
  });
});
