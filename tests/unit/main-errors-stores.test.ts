import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AppError } from '../../shared/errors.ts';
import { MethodProbes } from '../../electron/main/connections/method-probes.ts';
import { unavailableVpnGateway } from '../../electron/main/connections/vpn-gateway.ts';
import type { SshPools } from '../../electron/main/connections/ssh-pools.ts';
import type { EnvironmentRecord } from '../../electron/main/environments/environment-repository.ts';
import { MemorySecretStore } from '../../electron/main/secrets/memory-secret-store.ts';
import { PassphraseVault } from '../../electron/main/secrets/passphrase-vault.ts';
import { SecretStoreChoice } from '../../electron/main/secrets/secret-store-choice.ts';
import { openDatabase } from '../../electron/main/storage/database.ts';
import { schemaMigrations } from '../../electron/main/storage/schema.ts';
import { SettingsRepository } from '../../electron/main/storage/settings-repository.ts';
import { appErrorOf, expectShownInBothLanguages } from '../../renderer/src/i18n/main-error-test-support.ts';

// The vault, the secret store choice, the app database and the engine-socket probe fail in a
// private temp folder (names with spaces and Hangul); each failure shown in both languages.

const failure = appErrorOf;

const shown = (error: AppError) => expectShownInBothLanguages(error, 'connections.');

let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'kiops-keyed-stores-'));
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe('the passphrase vault and the secret store choice in both languages', () => {
  it('no vault yet, a locked vault, a second vault, no store at all', async () => {
    const vault = new PassphraseVault(join(folder, '보관함 vault.json'));
    shown(await failure(() => vault.unlock('passphrase')));
    shown(await failure(() => vault.get('db/password')));
    const choice = await SecretStoreChoice.choose(new MemorySecretStore({ available: false }), vault);
    expect(choice.kind).toBe('none');
    const none = await failure(() => choice.get('db/password'));
    expect(none.text?.key).toBe('connections.secrets.noStoreBecause');
    shown(none);
    shown(await failure(() => choice.unlockVault('passphrase')));
    await vault.create('a long passphrase ä');
    shown(await failure(() => vault.create('another one')));
  });

  it('a computer with a keychain has no vault to create', async () => {
    const choice = await SecretStoreChoice.choose(new MemorySecretStore(), new PassphraseVault(join(folder, 'vault.json')));
    expect(choice.kind).toBe('keychain');
    shown(await failure(() => choice.createVault('a long passphrase')));
  });

  it('a keychain that gives no reason still reads as Korean', async () => {
    const silentKeychain = Object.assign(new MemorySecretStore({ available: false }), { status: async () => ({ available: false as const }) });
    const choice = await SecretStoreChoice.choose(silentKeychain, new PassphraseVault(join(folder, 'vault.json')));
    const none = await failure(() => choice.list('x'));
    expect(none.text?.key).toBe('connections.secrets.noStore');
    shown(none);
  });
});

describe('the app database in both languages', () => {
  it('a database file that cannot be opened, a migration that fails', async () => {
    mkdirSync(join(folder, 'kiops 데이터.sqlite'));
    const unopened = await failure(() => openDatabase(folder, { fileName: 'kiops 데이터.sqlite' }));
    expect(unopened.text?.key).toBe('connections.storage.openFailed');
    shown(unopened);
    const failing = [...schemaMigrations, { version: schemaMigrations.length + 1, name: 'broken ä', up: () => { throw new Error('no such column: ä'); } }];
    const unprepared = await failure(() => openDatabase(join(folder, 'other'), { migrations: failing }));
    expect(unprepared.text?.key).toBe('connections.storage.prepareFailed');
    shown(unprepared);
  });

  it('settings without a key, without JSON, stored damaged', async () => {
    const db = openDatabase(folder);
    try {
      const settings = new SettingsRepository(db);
      shown(await failure(() => settings.set('', 1)));
      shown(await failure(() => settings.set('window size ä', undefined)));
      db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)').run('창 크기', '{not json', new Date().toISOString());
      shown(await failure(() => settings.get('창 크기', z.unknown())));
    } finally {
      db.close();
    }
  });
});

describe('an engine socket that is not there, in both languages', () => {
  it.each(['/nonexistent/docker.sock', '/tmp/엔진 ä/podman.sock'])('%s', async (socketPath) => {
    const probes = new MethodProbes({ ssh: {} as SshPools, vpn: unavailableVpnGateway('none'), timeoutMs: 20_000 });
    const env = { name: 'local', target: { kind: 'engine', socketPath }, access: { selected: 'auto', methods: ['direct'] } } as unknown as EnvironmentRecord;
    const error = await failure(() => probes.probe(env, 'direct'));
    expect(error.text?.key).toBe('connections.probes.socketMissing');
    shown(error);
  });
});
