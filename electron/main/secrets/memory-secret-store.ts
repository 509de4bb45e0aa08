import { AppError } from '../../../shared/errors.ts';
import { assertSecretKey, assertSecretValue, type SecretStore, type SecretStoreStatus } from './secret-store.ts';

/**
 * Pure unit tests only: holds secrets in a Map for the life of the object. Never wire this
 * into the app as a fallback — the app must refuse to persist secrets without a keychain.
 * `available: false` imitates a machine without a keychain.
 */
export class MemorySecretStore implements SecretStore {
  private readonly secrets = new Map<string, string>();
  private available: boolean;

  constructor(options: { available?: boolean } = {}) {
    this.available = options.available ?? true;
  }

  setAvailable(available: boolean): void {
    this.available = available;
  }

  async set(key: string, value: string): Promise<void> {
    assertSecretKey(key);
    assertSecretValue(key, value);
    this.assertAvailable();
    this.secrets.set(key, value);
  }

  async get(key: string): Promise<string | null> {
    assertSecretKey(key);
    this.assertAvailable();
    return this.secrets.get(key) ?? null;
  }

  async delete(key: string): Promise<boolean> {
    assertSecretKey(key);
    this.assertAvailable();
    return this.secrets.delete(key);
  }

  async list(prefix: string): Promise<string[]> {
    this.assertAvailable();
    return [...this.secrets.keys()].filter((key) => key.startsWith(prefix)).sort();
  }

  async status(): Promise<SecretStoreStatus> {
    return this.available ? { available: true } : { available: false, reason: 'The in-memory test keychain is switched off.' };
  }

  private assertAvailable(): void {
    if (!this.available) throw new AppError('KEYCHAIN_UNAVAILABLE', 'The in-memory test keychain is switched off.', undefined, { key: 'connections.secrets.testKeychainOff' });
  }
}
