import type { Migration } from './migrations.ts';

/**
 * The audit trail's table as migrations 2 and 4 create it: only the outcomes its CHECK allows
 * differ between the two. Rows are hashed column by column, so the columns never change.
 */
function auditTrailTable(name: string, outcomes: readonly string[]): string {
  const allowed = outcomes.map((outcome) => `'${outcome}'`).join(', ');
  return `CREATE TABLE ${name} (
          seq INTEGER PRIMARY KEY NOT NULL,
          at TEXT NOT NULL,
          actor TEXT NOT NULL,
          actor_identity TEXT,
          environment_id TEXT,
          action TEXT NOT NULL,
          target TEXT NOT NULL,
          outcome TEXT NOT NULL CHECK (outcome IN (${allowed})),
          error TEXT,
          details TEXT NOT NULL,
          prev_hash TEXT NOT NULL,
          hash TEXT NOT NULL
        ) STRICT;`;
}

/** Its indexes and the append-only, gap-free guards, created again whenever the table is rebuilt. */
const auditTrailIndexesAndGuards = `CREATE INDEX audit_trail_by_action ON audit_trail (action, seq);
        CREATE INDEX audit_trail_by_outcome ON audit_trail (outcome, seq);
        CREATE TRIGGER audit_trail_append_only_update BEFORE UPDATE ON audit_trail
          BEGIN SELECT RAISE(ABORT, 'audit trail rows are append-only'); END;
        CREATE TRIGGER audit_trail_append_only_delete BEFORE DELETE ON audit_trail
          BEGIN SELECT RAISE(ABORT, 'audit trail rows are append-only'); END;
        CREATE TRIGGER audit_trail_contiguous_seq BEFORE INSERT ON audit_trail
          WHEN NEW.seq IS NOT (SELECT IFNULL(MAX(seq), 0) + 1 FROM audit_trail)
          BEGIN SELECT RAISE(ABORT, 'audit trail seq must follow the head'); END;`;

/**
 * The app's schema, oldest first. Append new steps; never edit a released one (users'
 * files already ran it). Secrets never get a column here: rows hold keychain key names only.
 */
export const schemaMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'settings',
    up(db) {
      // Small key/value facts (favourites, first-open flags). Values are JSON, validated by
      // the reader's zod schema.
      db.exec(`
        CREATE TABLE settings (
          key TEXT PRIMARY KEY NOT NULL,
          value TEXT NOT NULL,
          updated_at TEXT NOT NULL
        ) STRICT;
      `);
    },
  },
  {
    version: 2,
    name: 'audit trail',
    up(db) {
      // seq is assigned by the writer as head + 1 (not AUTOINCREMENT) and the insert trigger
      // insists on it, so the sequence has no gaps unless someone removes rows.
      db.exec(`
        ${auditTrailTable('audit_trail', ['success', 'failure', 'refused'])}
        ${auditTrailIndexesAndGuards}
      `);
    },
  },
  {
    version: 3,
    name: 'runtime environments, SSH identities, VPN profiles, pinned host keys',
    up(db) {
      // Non-secret metadata only. `secret_keys` lists the keychain key NAMES an entry owns, so
      // removing it can delete exactly those. `target` and `access` are JSON read back through
      // zod (parseStoredRow); the kind decides which target schema applies.
      db.exec(`
        CREATE TABLE environments (
          id TEXT PRIMARY KEY NOT NULL,
          name TEXT NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('kubernetes', 'docker', 'podman')),
          production INTEGER NOT NULL CHECK (production IN (0, 1)),
          target TEXT NOT NULL,
          access TEXT NOT NULL,
          secret_keys TEXT NOT NULL,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        ) STRICT;
        CREATE UNIQUE INDEX environments_by_name ON environments (name);
        CREATE TABLE ssh_identities (
          id TEXT PRIMARY KEY NOT NULL,
          name TEXT NOT NULL UNIQUE,
          kind TEXT NOT NULL CHECK (kind IN ('private-key', 'agent')),
          key_type TEXT,
          fingerprint TEXT,
          has_passphrase INTEGER NOT NULL CHECK (has_passphrase IN (0, 1)),
          secret_keys TEXT NOT NULL,
          created_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE vpn_profiles (
          id TEXT PRIMARY KEY NOT NULL,
          name TEXT NOT NULL UNIQUE,
          kind TEXT NOT NULL CHECK (kind IN ('openvpn', 'wireguard')),
          secret_keys TEXT NOT NULL,
          created_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE ssh_host_keys (
          host_port TEXT PRIMARY KEY NOT NULL,
          fingerprint TEXT NOT NULL,
          pinned_at TEXT NOT NULL
        ) STRICT;
      `);
    },
  },
  {
    version: 4,
    name: 'audit trail: "started" rows',
    up(db) {
      // A "started" row is written before an action runs and its outcome row chained after it
      // (architecture property 7). SQLite cannot widen a CHECK in place, so the table is
      // rebuilt with the same rows, in seq order, byte for byte: every hash stays valid.
      // DROP TABLE fires no triggers, so the append-only guards do not get in the way.
      db.exec(`
        ${auditTrailTable('audit_trail_next', ['started', 'success', 'failure', 'refused'])}
        INSERT INTO audit_trail_next SELECT seq, at, actor, actor_identity, environment_id, action, target, outcome, error, details, prev_hash, hash
          FROM audit_trail ORDER BY seq;
        DROP TABLE audit_trail;
        ALTER TABLE audit_trail_next RENAME TO audit_trail;
        ${auditTrailIndexesAndGuards}
      `);
    },
  },
];
