import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PassphraseVault, vaultFileName } from './passphrase-vault.ts';

const folder = mkdtempSync(join(tmpdir(), 'kiops-vault-unit-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

let count = 0;
function freshPath(): string {
  count += 1;
  return join(folder, `${count}-${vaultFileName}`);
}
const passphrase = () => `correct horse ${randomBytes(6).toString('hex')}`;
const canary = () => `CANARY-${randomBytes(12).toString('hex')}`;

async function vaultWith(secrets: Record<string, string>): Promise<{ path: string; phrase: string }> {
  const path = freshPath();
  const phrase = passphrase();
  const vault = new PassphraseVault(path);
  await vault.create(phrase);
  for (const [key, value] of Object.entries(secrets)) await vault.set(key, value);
  vault.lock();
  return { path, phrase };
}

type VaultJson = { kdf: { N: number; salt: string }; nonce: string; tag: string; ciphertext: string; version: number };
const readJson = (path: string): VaultJson => JSON.parse(readFileSync(path, 'utf8')) as VaultJson;
function flipBase64(text: string, index: number): string {
  const bytes = Buffer.from(text, 'base64');
  bytes[index % bytes.length]! ^= 0x01;
  return bytes.toString('base64');
}

describe('PassphraseVault', { timeout: 120_000 }, () => {
  it('keeps secrets encrypted: neither the secret nor the passphrase appears in the file, in any encoding', async () => {
    const secret = canary();
    const { path, phrase } = await vaultWith({ 'environment/a/kubeconfig': `token: ${secret}` });
    const bytes = readFileSync(path);
    for (const needle of [secret, phrase, Buffer.from(secret).toString('base64').slice(0, 16), Buffer.from(secret).toString('hex')]) {
      expect(bytes.includes(Buffer.from(needle))).toBe(false);
    }
    const reopened = new PassphraseVault(path);
    expect(await reopened.state()).toBe('locked');
    await reopened.unlock(phrase);
    expect(await reopened.get('environment/a/kubeconfig')).toBe(`token: ${secret}`);
    expect(await reopened.list('environment/')).toEqual(['environment/a/kubeconfig']);
  });

  it('refuses a wrong passphrase with a clear error, changes nothing, and opens with the right one afterwards', async () => {
    const secret = canary();
    const { path, phrase } = await vaultWith({ 'ssh/host/key': secret });
    const before = readFileSync(path);
    const vault = new PassphraseVault(path);
    for (const wrong of [`${phrase}x`, phrase.slice(1), phrase.toUpperCase(), 'a'.repeat(12)]) {
      await expect(vault.unlock(wrong)).rejects.toMatchObject({ code: 'AUTH_FAILED', message: expect.stringMatching(/does not open the vault.*Nothing was lost/) });
      expect(await vault.state()).toBe('locked');
    }
    expect(readFileSync(path).equals(before)).toBe(true);
    await vault.unlock(phrase);
    expect(await vault.get('ssh/host/key')).toBe(secret);
  });

  it('refuses a file changed anywhere: ciphertext, tag, nonce, salt, cost or version', async () => {
    const { path, phrase } = await vaultWith({ 'environment/b/token': canary(), 'audit/hmac-key': randomBytes(32).toString('base64') });
    const original = readJson(path);
    const tampered: Array<[string, VaultJson]> = [];
    for (let index = 0; index < 6; index += 1) {
      const at = Math.floor(Math.random() * 10_000) + index;
      tampered.push([`ciphertext byte ${at}`, { ...original, ciphertext: flipBase64(original.ciphertext, at) }]);
    }
    tampered.push(['tag', { ...original, tag: flipBase64(original.tag, 5) }]);
    tampered.push(['nonce', { ...original, nonce: flipBase64(original.nonce, 3) }]);
    tampered.push(['salt', { ...original, kdf: { ...original.kdf, salt: flipBase64(original.kdf.salt, 1) } }]);
    tampered.push(['cost', { ...original, kdf: { ...original.kdf, N: original.kdf.N * 2 } }]);
    tampered.push(['truncated ciphertext', { ...original, ciphertext: Buffer.from(original.ciphertext, 'base64').subarray(1).toString('base64') }]);
    for (const [what, file] of tampered) {
      writeFileSync(path, JSON.stringify(file));
      await expect(new PassphraseVault(path).unlock(phrase), what).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    }
    // a lowered cost or another version is not a vault this app opens at all
    for (const file of [{ ...original, kdf: { ...original.kdf, N: 1024 } }, { ...original, version: 2 }]) {
      writeFileSync(path, JSON.stringify(file));
      await expect(new PassphraseVault(path).unlock(phrase)).rejects.toMatchObject({ code: 'STORAGE_CORRUPT' });
    }
    writeFileSync(path, JSON.stringify(original));
    const vault = new PassphraseVault(path);
    await vault.unlock(phrase);
    expect(await vault.list('')).toEqual(['audit/hmac-key', 'environment/b/token']);
  });

  it('derives the key with scrypt at N ≥ 2^15, r = 8, p = 1 and a random salt; each write gets a fresh nonce', async () => {
    const path = freshPath();
    const vault = new PassphraseVault(path);
    await vault.create(passphrase());
    const first = readJson(path);
    expect(first.kdf).toMatchObject({ name: 'scrypt', r: 8, p: 1 });
    expect(first.kdf.N).toBeGreaterThanOrEqual(2 ** 15);
    expect(Buffer.from(first.kdf.salt, 'base64').length).toBeGreaterThanOrEqual(16);
    const nonces = new Set([first.nonce]);
    for (let write = 0; write < 5; write += 1) {
      await vault.set('same/key', 'same value');
      nonces.add(readJson(path).nonce);
    }
    expect(nonces.size).toBe(6);
    const other = freshPath();
    await new PassphraseVault(other).create(passphrase());
    expect(readJson(other).kdf.salt).not.toBe(first.kdf.salt);
  });

  it('writes atomically and concurrently without losing a secret or leaving temp files', async () => {
    const path = freshPath();
    const phrase = passphrase();
    const vault = new PassphraseVault(path);
    await vault.create(phrase);
    const keys = Array.from({ length: 12 }, (_, index) => `environment/e${index}/token`);
    await Promise.all(keys.map((key) => vault.set(key, canary())));
    expect(readdirSync(folder).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    const reopened = new PassphraseVault(path);
    await reopened.unlock(phrase);
    expect(await reopened.list('environment/')).toEqual([...keys].sort());
  });

  it('locks: the key is wiped and every call then says the vault is locked; it never overwrites an existing vault', async () => {
    const { path, phrase } = await vaultWith({ 'a/b': canary() });
    const vault = new PassphraseVault(path);
    await vault.unlock(phrase);
    vault.lock();
    await expect(vault.get('a/b')).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE', message: expect.stringContaining('locked') });
    await expect(vault.set('a/c', 'x')).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    expect(await vault.status()).toMatchObject({ available: false });
    await expect(vault.create(passphrase())).rejects.toMatchObject({ code: 'CONFLICT' });
    await vault.unlock(phrase);
    expect(await vault.list('')).toEqual(['a/b']);
  });
});
