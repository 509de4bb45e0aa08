import { AppError, detailPart } from '../../../shared/errors.ts';
import type { PassphraseVault, VaultState } from './passphrase-vault.ts';
import type { SecretStore, SecretStoreStatus } from './secret-store.ts';

/** Where this app start keeps secrets: the OS keychain, the passphrase vault, or nowhere yet (first run). */
export type SecretStoreKind = 'keychain' | 'vault' | 'none';

export interface SecretStoreState {
  readonly kind: SecretStoreKind;
  readonly vault: VaultState;
  readonly keychain: SecretStoreStatus;
}

const noStoreAdvice = 'Start or unlock an OS keychain, or create a passphrase vault, to keep secrets.';

/**
 * The SecretStore every service holds. It is chosen at start: a vault file on this machine
 * means the user opted into the vault (its secrets are there, whatever keychain appears later);
 * otherwise the OS keychain when one answers; otherwise none until the user starts a keychain
 * or creates a vault. With none, every call fails with KEYCHAIN_UNAVAILABLE, as before.
 */
export class SecretStoreChoice implements SecretStore {
  private readonly keychain: SecretStore;
  private readonly vault: PassphraseVault;
  private chosen: SecretStoreKind;

  private constructor(keychain: SecretStore, vault: PassphraseVault, chosen: SecretStoreKind) {
    this.keychain = keychain;
    this.vault = vault;
    this.chosen = chosen;
  }

  static async choose(keychain: SecretStore, vault: PassphraseVault): Promise<SecretStoreChoice> {
    if ((await vault.state()) !== 'absent') return new SecretStoreChoice(keychain, vault, 'vault');
    const status = await keychain.status();
    return new SecretStoreChoice(keychain, vault, status.available ? 'keychain' : 'none');
  }

  get kind(): SecretStoreKind {
    return this.chosen;
  }

  /** The store's state and the status of the one in use, from one keychain probe (a new window waits for both). */
  async overview(): Promise<{ readonly state: SecretStoreState; readonly status: SecretStoreStatus }> {
    const [vault, keychain] = await Promise.all([this.vault.state(), this.keychain.status()]);
    return { state: { kind: this.chosen, vault, keychain }, status: await this.statusGiven(keychain) };
  }

  /** Before anything was kept: a keychain that has come up since the start is taken. */
  async reconsider(): Promise<void> {
    if (this.chosen === 'none' && (await this.keychain.status()).available) this.chosen = 'keychain';
  }

  async createVault(passphrase: string): Promise<void> {
    if (this.chosen === 'keychain') throw new AppError('CONFLICT', 'Secrets are kept in the OS keychain on this computer; a passphrase vault is only for computers without one.', undefined, { key: 'connections.secrets.keychainInUse' });
    await this.vault.create(passphrase);
    this.chosen = 'vault';
  }

  async unlockVault(passphrase: string): Promise<void> {
    if (this.chosen !== 'vault') throw new AppError('NOT_FOUND', 'There is no passphrase vault on this computer.', undefined, { key: 'connections.secrets.noVault' });
    await this.vault.unlock(passphrase);
  }

  /** On quit: the vault's key is wiped; the keychain needs nothing. */
  lock(): void {
    this.vault.lock();
  }

  set(key: string, value: string): Promise<void> {
    return this.current().set(key, value);
  }

  get(key: string): Promise<string | null> {
    return this.current().get(key);
  }

  delete(key: string): Promise<boolean> {
    return this.current().delete(key);
  }

  list(prefix: string): Promise<string[]> {
    return this.current().list(prefix);
  }

  async status(): Promise<SecretStoreStatus> {
    if (this.chosen === 'vault') return this.vault.status();
    return this.statusGiven(await this.keychain.status());
  }

  /** The status of the store in use, given the keychain's. */
  private async statusGiven(keychain: SecretStoreStatus): Promise<SecretStoreStatus> {
    if (this.chosen === 'vault') return this.vault.status();
    if (this.chosen === 'keychain') return keychain;
    return { available: false, reason: `${keychain.reason ?? 'No OS keychain is available.'} ${noStoreAdvice}`, text: { key: 'statusReasons.keychain.noStore', parts: { why: [keychain.text ?? { key: 'statusReasons.keychain.noKeychain' }] } } };
  }

  private current(): SecretStore {
    if (this.chosen === 'keychain') return this.keychain;
    if (this.chosen === 'vault') return this.vault;
    return {
      set: () => this.none(),
      get: () => this.none(),
      delete: () => this.none(),
      list: () => this.none(),
      status: () => this.status(),
    };
  }

  private async none(): Promise<never> {
    const keychain = await this.keychain.status();
    const text =
      keychain.reason === undefined
        ? { key: 'connections.secrets.noStore' }
        : { key: 'connections.secrets.noStoreBecause', params: { detail: keychain.reason }, ...detailPart(keychain.text) };
    throw new AppError('KEYCHAIN_UNAVAILABLE', `${keychain.reason ?? 'No OS keychain is available.'} ${noStoreAdvice}`, undefined, text);
  }
}
