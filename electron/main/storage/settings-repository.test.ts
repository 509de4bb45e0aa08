import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isAppError } from '../../../shared/errors.ts';
import { openDatabase, type AppDatabase } from './database.ts';
import { SettingsRepository } from './settings-repository.ts';

let dataDir: string;
let db: AppDatabase;
let settings: SettingsRepository;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'kiops-settings-'));
  db = openDatabase(dataDir);
  settings = new SettingsRepository(db);
});

afterEach(() => {
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const favouritesSchema = z.array(z.string());

describe('SettingsRepository', () => {
  it('round-trips JSON values through the reader schema', () => {
    expect(settings.get('favourites', favouritesSchema)).toBeNull();
    settings.set('favourites', ['prod/payments', 'staging/api']);
    settings.set('favourites', ['prod/payments']);
    expect(settings.get('favourites', favouritesSchema)).toEqual(['prod/payments']);
    expect(settings.delete('favourites')).toBe(true);
    expect(settings.delete('favourites')).toBe(false);
  });

  it('turns a stored value that no longer fits its schema into STORAGE_CORRUPT, naming the key', () => {
    settings.set('first-open', { shown: 'yes' });
    const read = () => settings.get('first-open', z.object({ shown: z.boolean() }));
    expect(read).toThrow(/setting.*first-open.*damaged.*shown/s);
    try {
      read();
    } catch (error) {
      expect(isAppError(error) && error.code).toBe('STORAGE_CORRUPT');
    }
  });

  it('turns hand-edited non-JSON into STORAGE_CORRUPT instead of a SyntaxError', () => {
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('broken', '{nope', 'x')").run();
    expect(() => settings.get('broken', z.unknown())).toThrow(expect.objectContaining({ code: 'STORAGE_CORRUPT' }));
  });

  it('lists keys by literal prefix (no LIKE wildcards)', () => {
    settings.set('favourite/a', 1);
    settings.set('favourite/b', 2);
    settings.set('favourite_x', 3);
    settings.set('first-open', true);
    expect(settings.keys('favourite/')).toEqual(['favourite/a', 'favourite/b']);
    expect(settings.keys('favourite_')).toEqual(['favourite_x']);
    expect(settings.keys()).toHaveLength(4);
  });
});
