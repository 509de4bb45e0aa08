import { AppError } from '../../../shared/errors.ts';
import { causeParams } from '../../../shared/message-params.ts';
import type { SecretStore } from '../secrets/secret-store.ts';

/**
 * Saves secret material and the SQLite row that refers to it as one unit: the keychain first,
 * then the row; if the row cannot be written the keychain entries are deleted again, and if a
 * keychain write fails the entries already written are deleted and no row is written. Either
 * everything is saved or nothing is.
 */
export async function saveSecretsThenRow<T>(secrets: SecretStore, entries: ReadonlyArray<readonly [string, string]>, persistRow: () => T): Promise<T> {
  const written: string[] = [];
  if (entries.length > 0) {
    const status = await secrets.status();
    if (!status.available) {
      const detail = status.reason?.trim() ?? '';
      throw new AppError(
        'KEYCHAIN_UNAVAILABLE',
        `Nothing was saved: the OS keychain is not available, and KIOPS keeps credentials nowhere else. ${status.reason ?? ''}`.trim(),
        undefined,
        detail === '' ? { key: 'environments.keychain.unavailable' } : { key: 'environments.keychain.unavailableBecause', params: { detail } },
      );
    }
  }
  try {
    for (const [key, value] of entries) {
      await secrets.set(key, value);
      written.push(key);
    }
    return persistRow();
  } catch (error) {
    await deleteSecrets(secrets, written).catch(() => 0);
    if (error instanceof AppError && error.code === 'KEYCHAIN_UNAVAILABLE') {
      throw new AppError('KEYCHAIN_UNAVAILABLE', `Nothing was saved: ${error.message}`, error.details, { key: 'environments.keychain.nothingSaved', params: causeParams('detail', error) });
    }
    throw error;
  }
}

/** Deletes every key; reports how many existed. Throws the first failure after trying them all. */
export async function deleteSecrets(secrets: SecretStore, keys: readonly string[]): Promise<number> {
  let deleted = 0;
  let failure: unknown;
  for (const key of keys) {
    try {
      if (await secrets.delete(key)) deleted += 1;
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
  return deleted;
}
