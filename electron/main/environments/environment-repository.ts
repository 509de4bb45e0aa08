import { z } from 'zod';
import { connectionPreferencesSchema, type ConnectionPreferences } from '../../../shared/contract/connections.ts';
import { AppError } from '../../../shared/errors.ts';
import type { AppDatabase } from '../storage/database.ts';
import { parseStoredRow } from '../storage/stored-row.ts';
import { contextMetadataSchema, type ContextMetadata } from './kubeconfig/index.ts';

export type EnvironmentKind = 'kubernetes' | 'docker' | 'podman';

/** What an environment points at; never a secret (the kubeconfig's credentials are in the keychain). */
/** A Docker daemon on TCP (from a Docker context); with tls, its ca/cert/key are in the keychain. */
export interface EngineTcpEndpoint {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
}

export type EnvironmentTarget =
  | { readonly kind: 'kubernetes'; readonly context: ContextMetadata }
  | { readonly kind: 'engine'; readonly socketPath: string; readonly tcp?: EngineTcpEndpoint };

export interface EnvironmentRecord {
  readonly id: string;
  readonly name: string;
  readonly kind: EnvironmentKind;
  readonly production: boolean;
  readonly target: EnvironmentTarget;
  readonly access: ConnectionPreferences;
  /** Keychain key names this environment owns; deleted with it. */
  readonly secretKeys: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

const targetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('kubernetes'), context: contextMetadataSchema }),
  z.object({
    kind: z.literal('engine'),
    socketPath: z.string().min(1),
    tcp: z.object({ host: z.string().min(1), port: z.number().int().min(1).max(65535), tls: z.boolean() }).optional(),
  }),
]);

const rowSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['kubernetes', 'docker', 'podman']),
  production: z.union([z.literal(0), z.literal(1)]),
  target: z.string(),
  access: z.string(),
  secret_keys: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});

const notFoundText = { key: 'environments.notFound' };

function json(where: string, id: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('STORAGE_CORRUPT', `The stored environment ${id} has a damaged ${where} column and was not used.`, { table: 'environments', key: id }, { key: 'environments.storageDamaged', params: { id, column: where } });
  }
}

function toRecord(raw: unknown): EnvironmentRecord {
  const row = parseStoredRow(rowSchema, raw, { table: 'environments', key: typeof raw === 'object' && raw && 'id' in raw ? String(raw.id) : '?' });
  const where = { table: 'environments', key: row.id };
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    production: row.production === 1,
    target: parseStoredRow(targetSchema, json('target', row.id, row.target), where) as EnvironmentTarget,
    access: parseStoredRow(connectionPreferencesSchema, json('access', row.id, row.access), where),
    secretKeys: parseStoredRow(z.array(z.string()), json('secret_keys', row.id, row.secret_keys), where),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Environments in SQLite: references and non-secret metadata only. */
export class EnvironmentRepository {
  private readonly db: AppDatabase;

  constructor(db: AppDatabase) {
    this.db = db;
  }

  list(): EnvironmentRecord[] {
    return this.db.prepare('SELECT * FROM environments ORDER BY name COLLATE NOCASE').all().map(toRecord);
  }

  find(id: string): EnvironmentRecord | null {
    const row: unknown = this.db.prepare('SELECT * FROM environments WHERE id = ?').get(id);
    return row === undefined ? null : toRecord(row);
  }

  get(id: string): EnvironmentRecord {
    const found = this.find(id);
    if (found === null) throw new AppError('NOT_FOUND', 'This environment does not exist (any more). Refresh the list.', { id }, notFoundText);
    return found;
  }

  nameTaken(name: string, exceptId?: string): boolean {
    const row: unknown = this.db.prepare('SELECT id FROM environments WHERE name = ? COLLATE NOCASE AND id IS NOT ?').get(name, exceptId ?? null);
    return row !== undefined;
  }

  /** Inserts several in one transaction: all or none. */
  insertAll(records: readonly EnvironmentRecord[]): void {
    const insert = this.db.prepare(
      `INSERT INTO environments (id, name, kind, production, target, access, secret_keys, created_at, updated_at)
       VALUES (@id, @name, @kind, @production, @target, @access, @secret_keys, @created_at, @updated_at)`,
    );
    this.db.transaction(() => {
      for (const record of records) insert.run(this.toRow(record));
    })();
  }

  update(record: EnvironmentRecord): void {
    const changes = this.db
      .prepare(
        `UPDATE environments SET name = @name, production = @production, target = @target, access = @access,
           secret_keys = @secret_keys, updated_at = @updated_at WHERE id = @id`,
      )
      .run(this.toRow(record)).changes;
    if (changes === 0) throw new AppError('NOT_FOUND', 'This environment does not exist (any more). Refresh the list.', { id: record.id }, notFoundText);
  }

  /** The engine kind its API answered with (Docker or Podman), whatever was registered. */
  setEngineKind(id: string, kind: 'docker' | 'podman', at: string): void {
    const changes = this.db.prepare(`UPDATE environments SET kind = ?, updated_at = ? WHERE id = ? AND kind IN ('docker', 'podman')`).run(kind, at, id).changes;
    if (changes === 0) throw new AppError('NOT_FOUND', 'This environment does not exist (any more). Refresh the list.', { id }, notFoundText);
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM environments WHERE id = ?').run(id).changes > 0;
  }

  /** Environments whose connection uses an SSH identity or VPN profile (to refuse removing those). */
  usersOf(reference: { identityId?: string; vpnProfileId?: string }): EnvironmentRecord[] {
    return this.list().filter(
      (env) =>
        (reference.identityId !== undefined && env.access.ssh?.identityId === reference.identityId) ||
        (reference.vpnProfileId !== undefined && env.access.vpnProfileId === reference.vpnProfileId),
    );
  }

  private toRow(record: EnvironmentRecord): Record<string, string | number> {
    return {
      id: record.id,
      name: record.name,
      kind: record.kind,
      production: record.production ? 1 : 0,
      target: JSON.stringify(record.target),
      access: JSON.stringify(record.access),
      secret_keys: JSON.stringify(record.secretKeys),
      created_at: record.createdAt,
      updated_at: record.updatedAt,
    };
  }
}
