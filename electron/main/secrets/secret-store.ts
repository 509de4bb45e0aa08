import { AppError, type MessageText } from '../../../shared/errors.ts';

export interface SecretStoreStatus {
  readonly available: boolean;
  /** Why the store cannot be used, in words a user can act on. Absent when available. */
  readonly reason?: string;
  /** `reason` as a key of the window's messages (`mainErrors.statusReasons.keychain.*`). */
  readonly text?: MessageText;
}

/**
 * Where secrets (kubeconfig credentials, SSH keys and passphrases, VPN profiles, the audit
 * key) live. Implementations never fall back to plain-text files: when no keychain is there,
 * every call that would need it fails with KEYCHAIN_UNAVAILABLE.
 *
 * Keys are non-secret names such as `environment/<id>/kubeconfig`; SQLite rows may store the
 * key, never the value.
 */
export interface SecretStore {
  set(key: string, value: string): Promise<void>;
  get(key: string): Promise<string | null>;
  /** True when something was deleted. */
  delete(key: string): Promise<boolean>;
  /** Keys (never values) that start with `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
  status(): Promise<SecretStoreStatus>;
}

const maxKeyLength = 200;

/** Keys end up as keychain account names and in SQLite references, so keep them plain. */
export function assertSecretKey(key: string): void {
  if (key.length === 0 || key.length > maxKeyLength || !/^[A-Za-z0-9._:@/-]+$/.test(key)) {
    throw new AppError(
      'INVALID_INPUT',
      `A secret key must be 1–${maxKeyLength} characters of letters, digits and . _ : @ / - (got ${JSON.stringify(key.slice(0, 60))}).`,
      undefined,
      { key: 'connections.secrets.badKey', params: { max: maxKeyLength, got: JSON.stringify(key.slice(0, 60)) } },
    );
  }
}

/** Keychains such as libsecret reject empty secrets; say so before the keychain does. */
export function assertSecretValue(key: string, value: string): void {
  if (value.length === 0) throw new AppError('INVALID_INPUT', `The secret "${key}" is empty; delete it instead of saving an empty value.`, undefined, { key: 'connections.secrets.emptySecret', params: { key } });
}
