import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors.ts';
import { assertMigrationsOrdered, assertNotNewer, runMigrations, type Migration } from './migrations.ts';
import { schemaMigrations } from './schema.ts';

export type AppDatabase = Database.Database;

export const databaseFileName = 'kiops.db';

export interface OpenDatabaseOptions {
  /** Defaults to the app's schema; tests pass their own list. */
  readonly migrations?: readonly Migration[];
  readonly fileName?: string;
  /** How long a write waits for another connection's lock before failing. */
  readonly busyTimeoutMs?: number;
}

/**
 * Opens (creating if needed) the app database in `dataDir` and brings its schema up to date.
 * WAL + synchronous=FULL: a committed transaction survives a crash or power loss, which the
 * audit trail's "durable before it returns" promise depends on.
 */
export function openDatabase(dataDir: string, options: OpenDatabaseOptions = {}): AppDatabase {
  const migrations = options.migrations ?? schemaMigrations;
  assertMigrationsOrdered(migrations);
  const fileName = options.fileName ?? databaseFileName;
  // The folder holds the anchor and database; other local users have no business reading them.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, fileName);

  let db: AppDatabase;
  try {
    db = new Database(path);
  } catch (error) {
    throw new AppError('UNAVAILABLE', `The app database ${path} could not be opened: ${describe(error)}`, undefined, { key: 'connections.storage.openFailed', params: { path, detail: describe(error) } });
  }
  try {
    chmodSync(path, 0o600);
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    // Before any pragma that rewrites the header (journal_mode does).
    assertNotNewer(db, migrations, path);
    const journalMode = db.pragma('journal_mode = WAL', { simple: true });
    if (journalMode !== 'wal') {
      throw new AppError('UNAVAILABLE', `The app database ${path} cannot use write-ahead logging (got "${String(journalMode)}"); is the folder on a network share?`, undefined, { key: 'connections.storage.noWal', params: { path, mode: String(journalMode) } });
    }
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    runMigrations(db, migrations);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof AppError) throw error;
    throw new AppError('UNAVAILABLE', `The app database ${path} could not be prepared: ${describe(error)}`, undefined, { key: 'connections.storage.prepareFailed', params: { path, detail: describe(error) } });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
