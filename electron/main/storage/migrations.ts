import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors.ts';

/**
 * One step of the schema. `up` runs inside its own transaction together with the
 * `PRAGMA user_version` bump, so a crash mid-migration leaves the previous version intact.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
}

/** Reads `PRAGMA user_version`: 0 for a fresh file, otherwise the last migration applied. */
export function schemaVersion(db: Database.Database): number {
  const version = db.pragma('user_version', { simple: true });
  if (typeof version !== 'number') throw new AppError('INTERNAL', 'SQLite returned no schema version.', undefined, { key: 'connections.storage.noSchemaVersion' });
  return version;
}

/** Versions must run 1, 2, 3, … so that user_version alone says what has been applied. */
export function assertMigrationsOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new AppError(
        'INTERNAL',
        `Migration "${migration.name}" has version ${migration.version}; expected ${index + 1} (versions must be 1, 2, 3, … without gaps).`,
        undefined,
        { key: 'connections.storage.migrationOrder', params: { name: migration.name, version: migration.version, expected: index + 1 } },
      );
    }
  });
}

/**
 * Refuses a database written by a newer app before anything (even journal-mode changes)
 * touches the file: an older schema understanding could silently damage newer data.
 */
export function assertNotNewer(db: Database.Database, migrations: readonly Migration[], fileName: string): void {
  const found = schemaVersion(db);
  const known = migrations.length;
  if (found > known) {
    throw new AppError(
      'STORAGE_NEWER_VERSION',
      `The data file ${fileName} was written by a newer version of KIOPS Desktop (schema ${found}; this version knows up to ${known}). ` +
        'It was left untouched. Update KIOPS Desktop to open it.',
      { found, known },
      { key: 'connections.storage.newerVersion', params: { file: fileName, found, known } },
    );
  }
}

/** Applies every migration above the current user_version, one transaction each. Returns the versions applied. */
export function runMigrations(db: Database.Database, migrations: readonly Migration[]): number[] {
  assertMigrationsOrdered(migrations);
  const applied: number[] = [];
  for (const migration of migrations) {
    // IMMEDIATE takes the write lock before re-reading the version, so two processes
    // opening the same file cannot both apply the same step.
    const step = db.transaction(() => {
      if (schemaVersion(db) >= migration.version) return false;
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
      return true;
    });
    if (step.immediate()) applied.push(migration.version);
  }
  return applied;
}
