import type { z } from 'zod';
import { AppError } from '../../../shared/errors.ts';

/**
 * Parses a row read back from SQLite. A row that no longer matches its schema (edited by hand,
 * written by a buggy build, damaged) becomes a STORAGE_CORRUPT error naming the table and key,
 * so the caller can show or skip it instead of crashing on a property of the wrong type.
 */
export function parseStoredRow<S extends z.ZodType>(schema: S, row: unknown, where: { table: string; key: string | number }): z.infer<S> {
  const result = schema.safeParse(row);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(row)'}: ${issue.message}`)
    .join('; ');
  throw new AppError('STORAGE_CORRUPT', `A stored ${where.table} row (${String(where.key)}) is damaged and was not used: ${problems}.`, {
    table: where.table,
    key: where.key,
  }, { key: 'connections.storage.rowDamaged', params: { table: where.table, key: String(where.key), detail: problems } });
}
