import type { StoredAuditRow } from './audit-row.ts';

/**
 * Exports write rows as stored, including seq, prevHash and hash, so a reviewer holding the
 * key can re-verify the chain elsewhere. Damaged rows are exported too (details as the raw
 * text): an export that silently skips rows would hide exactly what a reviewer looks for.
 */

const exportFields = [
  ['seq', 'seq'],
  ['at', 'at'],
  ['actor', 'actor'],
  ['actorIdentity', 'actor_identity'],
  ['environmentId', 'environment_id'],
  ['action', 'action'],
  ['target', 'target'],
  ['outcome', 'outcome'],
  ['error', 'error'],
  ['details', 'details'],
  ['prevHash', 'prev_hash'],
  ['hash', 'hash'],
] as const;

function decodedDetails(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** One JSON object per line, oldest first, each line ending in "\n". */
export function* auditJsonLines(rows: Iterable<StoredAuditRow>): Generator<string> {
  for (const row of rows) {
    const record: Record<string, unknown> = {};
    for (const [name, column] of exportFields) record[name] = column === 'details' ? decodedDetails(row[column]) : row[column];
    yield `${JSON.stringify(record)}\n`;
  }
}

/** RFC 4180 CSV with a header line; details stay a JSON string in their cell. */
export function* auditCsvLines(rows: Iterable<StoredAuditRow>): Generator<string> {
  yield `${exportFields.map(([name]) => name).join(',')}\r\n`;
  for (const row of rows) yield `${exportFields.map(([, column]) => csvCell(row[column])).join(',')}\r\n`;
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  // Spreadsheets run cells starting with these as formulas; a target name must not become one.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
