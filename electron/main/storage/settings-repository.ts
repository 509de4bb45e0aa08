import { z } from 'zod';
import { AppError } from '../../../shared/errors.ts';
import type { AppDatabase } from './database.ts';
import { parseStoredRow } from './stored-row.ts';

const settingRowSchema = z.object({
  key: z.string(),
  value: z.string(),
});

/**
 * Small non-secret facts (favourites, first-open flags) as JSON values under string keys.
 * Readers pass the zod schema they expect; a value that no longer fits is STORAGE_CORRUPT.
 * Never store a secret here: secrets go to the SecretStore and only their key names come here.
 */
export class SettingsRepository {
  private readonly db: AppDatabase;
  private readonly now: () => Date;

  constructor(db: AppDatabase, now: () => Date = () => new Date()) {
    this.db = db;
    this.now = now;
  }

  get<S extends z.ZodType>(key: string, schema: S): z.infer<S> | null {
    const row: unknown = this.db.prepare('SELECT key, value FROM settings WHERE key = ?').get(key);
    if (row === undefined) return null;
    const stored = parseStoredRow(settingRowSchema, row, { table: 'settings', key });
    let decoded: unknown;
    try {
      decoded = JSON.parse(stored.value);
    } catch {
      throw new AppError('STORAGE_CORRUPT', `The stored setting "${key}" is not valid JSON and was not used.`, { table: 'settings', key }, { key: 'connections.storage.settingNotJson', params: { key } });
    }
    return parseStoredRow(schema, decoded, { table: 'settings', key });
  }

  set(key: string, value: unknown): void {
    if (key.length === 0) throw new AppError('INVALID_INPUT', 'A setting needs a non-empty key.', undefined, { key: 'connections.storage.settingNeedsKey' });
    const json = JSON.stringify(value);
    if (json === undefined) throw new AppError('INVALID_INPUT', `The setting "${key}" has no JSON representation.`, undefined, { key: 'connections.storage.settingNotSerializable', params: { key } });
    this.db
      .prepare(
        `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(key, json, this.now().toISOString());
  }

  delete(key: string): boolean {
    return this.db.prepare('DELETE FROM settings WHERE key = ?').run(key).changes > 0;
  }

  /** Keys starting with `prefix`, sorted. */
  keys(prefix = ''): string[] {
    // substr comparison instead of LIKE so '%' and '_' in keys are not wildcards.
    const rows = this.db
      .prepare('SELECT key FROM settings WHERE substr(key, 1, ?) = ? ORDER BY key')
      .pluck()
      .all(prefix.length, prefix);
    return parseStoredRow(z.array(z.string()), rows, { table: 'settings', key: `${prefix}*` });
  }
}
