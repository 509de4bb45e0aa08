import { randomBytes } from 'node:crypto';
import { isAppError } from '../../../shared/errors.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { causeParams } from '../../../shared/message-params.ts';

/** Keychain entry holding the trail's HMAC key (base64 of 32 random bytes). */
export const auditKeySecret = 'audit/hmac-key';

/** Why the key could not be loaded: the English reason, and its variant and parameters for the key of a keyed message. */
export type AuditKeyLoad =
  | { readonly key: Buffer; readonly created: boolean }
  | { readonly key: null; readonly reason: string; readonly problem: AuditKeyProblem; readonly params: Readonly<Record<string, string | number>> };

export type AuditKeyProblem = 'keyDamaged' | 'keyMissing' | 'keyNotKept' | 'keychainUnavailable';

/**
 * Fetches the audit key, creating it only for a brand-new trail. If the trail already has rows
 * and the key is gone, a fresh key would quietly make every old row unverifiable, so this
 * reports the loss instead and the trail stays read-only.
 */
export async function loadAuditKey(secrets: SecretStore, trailIsNew: boolean): Promise<AuditKeyLoad> {
  try {
    const stored = await secrets.get(auditKeySecret);
    if (stored !== null) {
      const key = Buffer.from(stored, 'base64');
      if (key.length !== 32) {
        return {
          key: null,
          reason: `The audit key in the OS keychain (${auditKeySecret}) is damaged (${key.length} bytes instead of 32).`,
          problem: 'keyDamaged',
          params: { secret: auditKeySecret, bytes: key.length },
        };
      }
      return { key, created: false };
    }
    if (!trailIsNew) {
      return {
        key: null,
        reason:
          `The audit trail's key (${auditKeySecret}) is missing from the OS keychain, so new entries cannot be chained to the existing trail. ` +
          'Restore the keychain entry (for example from a keyring backup) to continue.',
        problem: 'keyMissing',
        params: { secret: auditKeySecret },
      };
    }
    const created = randomBytes(32).toString('base64');
    await secrets.set(auditKeySecret, created);
    // Read back: a keychain that accepts a write but does not keep it must not key the trail.
    const confirmed = await secrets.get(auditKeySecret);
    if (confirmed !== created) return { key: null, reason: 'The OS keychain did not keep the new audit key.', problem: 'keyNotKept', params: {} };
    return { key: Buffer.from(created, 'base64'), created: true };
  } catch (error) {
    if (isAppError(error) && error.code === 'KEYCHAIN_UNAVAILABLE') return { key: null, reason: error.message, problem: 'keychainUnavailable', params: causeParams('detail', error) };
    throw error;
  }
}
