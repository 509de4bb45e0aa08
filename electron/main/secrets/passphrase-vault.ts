import { access } from 'node:fs/promises';
import { AppError } from '../../../shared/errors.ts';
import { assertSecretKey, assertSecretValue, type SecretStore, type SecretStoreStatus } from './secret-store.ts';
import { deriveVaultKey, newVaultHeader, openVault, readVaultFile, sealVault, writeVaultFileAtomically } from './vault-file.ts';

export const vaultFileName = 'secret-vault.json';

export type VaultState = 'absent' | 'locked' | 'unlocked';

const lockedMessage = 'The passphrase vault is locked. Unlock it with its passphrase to use the secrets it keeps.';

/**
 * SecretStore for machines without an OS keychain, chosen only when the user creates it: every
 * secret lives in one encrypted file (see vault-file.ts), unlocked once per app start with a
 * passphrase. The derived key and the decrypted secrets stay in this object's memory until
 * lock() wipes them; the passphrase itself is dropped as soon as the key is derived.
 */
export class PassphraseVault implements SecretStore {
  private readonly path: string;
  private key: Buffer | null = null;
  private header: ReturnType<typeof newVaultHeader> | null = null;
  private secrets = new Map<string, string>();
  // Writes one after another: each seals the whole map, so two must never interleave.
  private writing: Promise<void> = Promise.resolve();

  constructor(path: string) {
    this.path = path;
  }

  async state(): Promise<VaultState> {
    if (this.key !== null) return 'unlocked';
    return (await this.fileExists()) ? 'locked' : 'absent';
  }

  /** Creates an empty vault and leaves it unlocked. Refuses to overwrite an existing one. */
  async create(passphrase: string): Promise<void> {
    if (await this.fileExists()) throw new AppError('CONFLICT', 'A passphrase vault already exists; unlock it instead of creating a new one.', undefined, { key: 'connections.secrets.vaultExists' });
    const header = newVaultHeader();
    const key = await deriveVaultKey(passphrase, header);
    const empty = new Map<string, string>();
    await writeVaultFileAtomically(this.path, sealVault(key, header, empty));
    this.adopt(key, header, empty);
  }

  /** Opens the vault; a wrong passphrase throws AUTH_FAILED and changes nothing (the file is only read). */
  async unlock(passphrase: string): Promise<void> {
    const file = await readVaultFile(this.path);
    if (file === null) throw new AppError('NOT_FOUND', 'There is no passphrase vault yet; create one first.', undefined, { key: 'connections.secrets.noVaultYet' });
    const key = await deriveVaultKey(passphrase, file);
    let secrets: Map<string, string>;
    try {
      secrets = openVault(key, file);
    } catch (error) {
      key.fill(0);
      throw error;
    }
    this.lock();
    this.adopt(key, { format: file.format, version: file.version, kdf: file.kdf }, secrets);
  }

  /** Wipes the key and forgets the decrypted secrets (on quit). */
  lock(): void {
    this.key?.fill(0);
    this.key = null;
    this.header = null;
    this.secrets = new Map();
  }

  async set(key: string, value: string): Promise<void> {
    assertSecretKey(key);
    assertSecretValue(key, value);
    await this.change((secrets) => secrets.set(key, value));
  }

  async get(key: string): Promise<string | null> {
    assertSecretKey(key);
    this.unlocked();
    return this.secrets.get(key) ?? null;
  }

  async delete(key: string): Promise<boolean> {
    assertSecretKey(key);
    this.unlocked();
    if (!this.secrets.has(key)) return false;
    await this.change((secrets) => secrets.delete(key));
    return true;
  }

  async list(prefix: string): Promise<string[]> {
    this.unlocked();
    return [...this.secrets.keys()].filter((key) => key.startsWith(prefix)).sort();
  }

  async status(): Promise<SecretStoreStatus> {
    return this.key !== null ? { available: true } : { available: false, reason: lockedMessage, text: { key: 'statusReasons.keychain.vaultLocked' } };
  }

  private adopt(key: Buffer, header: ReturnType<typeof newVaultHeader>, secrets: Map<string, string>): void {
    this.key = key;
    this.header = header;
    this.secrets = secrets;
  }

  private unlocked(): { key: Buffer; header: ReturnType<typeof newVaultHeader> } {
    if (this.key === null || this.header === null) throw new AppError('KEYCHAIN_UNAVAILABLE', lockedMessage, undefined, { key: 'connections.secrets.vaultLocked' });
    return { key: this.key, header: this.header };
  }

  /** Applies a change to a copy, writes it, and only then makes it the vault's content. */
  private change(apply: (secrets: Map<string, string>) => void): Promise<void> {
    const next = this.writing.then(async () => {
      const { key, header } = this.unlocked();
      const copy = new Map(this.secrets);
      apply(copy);
      await writeVaultFileAtomically(this.path, sealVault(key, header, copy));
      this.secrets = copy;
    });
    this.writing = next.catch(() => {});
    return next;
  }

  private async fileExists(): Promise<boolean> {
    try {
      await access(this.path);
      return true;
    } catch {
      return false;
    }
  }
}
