import { z } from 'zod';
import type { HostKeyStore } from '../ssh/host-keys.ts';
import type { AppDatabase } from '../../storage/database.ts';
import { parseStoredRow } from '../../storage/stored-row.ts';

const fingerprintSchema = z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/);

/**
 * Pinned SSH host keys (`host:port` → OpenSSH SHA256 fingerprint) in SQLite, so trust on first
 * use survives restarts. A host key is public: it needs no keychain.
 */
export class SqliteHostKeyStore implements HostKeyStore {
  private readonly db: AppDatabase;
  private readonly now: () => Date;

  constructor(db: AppDatabase, now: () => Date = () => new Date()) {
    this.db = db;
    this.now = now;
  }

  async get(hostPort: string): Promise<string | null> {
    const value: unknown = this.db.prepare('SELECT fingerprint FROM ssh_host_keys WHERE host_port = ?').pluck().get(hostPort);
    return value === undefined ? null : parseStoredRow(fingerprintSchema, value, { table: 'ssh_host_keys', key: hostPort });
  }

  async set(hostPort: string, fingerprint: string): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO ssh_host_keys (host_port, fingerprint, pinned_at) VALUES (?, ?, ?)
         ON CONFLICT (host_port) DO UPDATE SET fingerprint = excluded.fingerprint, pinned_at = excluded.pinned_at`,
      )
      .run(hostPort, fingerprintSchema.parse(fingerprint), this.now().toISOString());
  }

  /** Forgets a pinned key (the user verified a reinstalled server's new key out of band). */
  async forget(hostPort: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM ssh_host_keys WHERE host_port = ?').run(hostPort).changes > 0;
  }
}
