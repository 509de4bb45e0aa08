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
    expect((await choice.overview()).state.vault).toBe('absent');
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
    expect((await first.overview()).state).toMatchObject({ kind: 'vault', vault: 'unlocked' });
    await first.set('audit/hmac-key', 'kept in the vault');
    first.lock();

    const keychain = new MemorySecretStore();
    const next = await SecretStoreChoice.choose(keychain, vault);
    expect((await next.overview()).state).toMatchObject({ kind: 'vault', vault: 'locked' });
    await expect(next.get('audit/hmac-key')).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    await expect(next.unlockVault(`${phrase}?`)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    await next.unlockVault(phrase);
    expect(await next.get('audit/hmac-key')).toBe('kept in the vault');
    expect(await keychain.list('')).toEqual([]);
  });

  it('answers a window with the store in use, the vault and the keychain as they are, and the same status as status()', async () => {
    const unlockedVault = vaultAt();
    await (await SecretStoreChoice.choose(new MemorySecretStore({ available: false }), unlockedVault)).createVault(passphrase());
    const setups = [
      { keychain: new MemorySecretStore(), vault: vaultAt() },
      { keychain: new MemorySecretStore({ available: false }), vault: vaultAt() },
      { keychain: new MemorySecretStore(), vault: unlockedVault },
    ];
    const kinds: string[] = [];
    for (const { keychain, vault } of setups) {
      const choice = await SecretStoreChoice.choose(keychain, vault);
      kinds.push(choice.kind);
      expect(await choice.overview(), choice.kind).toEqual({
        state: { kind: choice.kind, vault: await vault.state(), keychain: await keychain.status() },
        status: await choice.status(),
      });
    }
    expect(kinds).toEqual(['keychain', 'none', 'vault']);
  });
});
