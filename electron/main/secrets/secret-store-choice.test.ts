import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemorySecretStore } from './memory-secret-store.ts';
import { PassphraseVault } from './passphrase-vault.ts';
import { SecretStoreChoice } from './secret-store-choice.ts';

const folder = mkdtempSync(join(tmpdir(), 'kiops-choice-unit-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const vaultAt = () => new PassphraseVault(join(folder, `${randomBytes(6).toString('hex')}.json`));
const passphrase = () => `choice passphrase ${randomBytes(6).toString('hex')}`;

describe('SecretStoreChoice', { timeout: 120_000 }, () => {
  it('takes the OS keychain wherever one answers, and refuses a vault there', async () => {
    const keychain = new MemorySecretStore();
    const choice = await SecretStoreChoice.choose(keychain, vaultAt());
    expect(choice.kind).toBe('keychain');
    await choice.set('environment/a/token', 'in the keychain');
    expect(await keychain.get('environment/a/token')).toBe('in the keychain');
    await expect(choice.createVault(passphrase())).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await choice.state()).vault).toBe('absent');
  });

  it('without a keychain keeps nothing and says what to do, until a keychain comes back or a vault is created', async () => {
    const keychain = new MemorySecretStore({ available: false });
    const choice = await SecretStoreChoice.choose(keychain, vaultAt());
    expect(choice.kind).toBe('none');
    await expect(choice.set('a/b', 'x')).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE', message: expect.stringContaining('passphrase vault') });
    expect(await choice.status()).toMatchObject({ available: false });
    keychain.setAvailable(true);
    await choice.reconsider();
    expect(choice.kind).toBe('keychain');
  });

  it('a vault created here keeps the secrets, and the next start chooses it (locked) even when a keychain appears', async () => {
    const vault = vaultAt();
    const phrase = passphrase();
    const first = await SecretStoreChoice.choose(new MemorySecretStore({ available: false }), vault);
    await first.createVault(phrase);
    expect(await first.state()).toMatchObject({ kind: 'vault', vault: 'unlocked' });
    await first.set('audit/hmac-key', 'kept in the vault');
    first.lock();

    const keychain = new MemorySecretStore();
    const next = await SecretStoreChoice.choose(keychain, vault);
    expect(await next.state()).toMatchObject({ kind: 'vault', vault: 'locked' });
    await expect(next.get('audit/hmac-key')).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    await expect(next.unlockVault(`${phrase}?`)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    await next.unlockVault(phrase);
    expect(await next.get('audit/hmac-key')).toBe('kept in the vault');
    expect(await keychain.list('')).toEqual([]);
  });

  it('answers a window with the same state and status as asking each, for every store and keychain', async () => {
    const unlockedVault = vaultAt();
    await (await SecretStoreChoice.choose(new MemorySecretStore({ available: false }), unlockedVault)).createVault(passphrase());
    const choices = [
      await SecretStoreChoice.choose(new MemorySecretStore(), vaultAt()),
      await SecretStoreChoice.choose(new MemorySecretStore({ available: false }), vaultAt()),
      await SecretStoreChoice.choose(new MemorySecretStore(), unlockedVault),
    ];
    expect(choices.map((choice) => choice.kind)).toEqual(['keychain', 'none', 'vault']);
    for (const choice of choices) {
      expect(await choice.overview(), choice.kind).toEqual({ state: await choice.state(), status: await choice.status() });
    }
  });
});
