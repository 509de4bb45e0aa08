import type { Migration } from './migrations.ts';

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
        CREATE TABLE audit_trail (
          seq INTEGER PRIMARY KEY NOT NULL,
          at TEXT NOT NULL,
          actor TEXT NOT NULL,
          actor_identity TEXT,
          environment_id TEXT,
          action TEXT NOT NULL,
          target TEXT NOT NULL,
          outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'refused')),
          error TEXT,
          details TEXT NOT NULL,
          prev_hash TEXT NOT NULL,
          hash TEXT NOT NULL
        ) STRICT;
        CREATE INDEX audit_trail_by_action ON audit_trail (action, seq);
        CREATE INDEX audit_trail_by_outcome ON audit_trail (outcome, seq);
        CREATE TRIGGER audit_trail_append_only_update BEFORE UPDATE ON audit_trail
          BEGIN SELECT RAISE(ABORT, 'audit trail rows are append-only'); END;
        CREATE TRIGGER audit_trail_append_only_delete BEFORE DELETE ON audit_trail
          BEGIN SELECT RAISE(ABORT, 'audit trail rows are append-only'); END;
        CREATE TRIGGER audit_trail_contiguous_seq BEFORE INSERT ON audit_trail
          WHEN NEW.seq IS NOT (SELECT IFNULL(MAX(seq), 0) + 1 FROM audit_trail)
          BEGIN SELECT RAISE(ABORT, 'audit trail seq must follow the head'); END;
      `);
    },
  },
];
