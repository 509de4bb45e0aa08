import type { AppInfo } from '../../../shared/contract/app.ts';
import { isAppError } from '../../../shared/errors.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import type { CallHandlers } from '../ipc/router.ts';
import type { SecretStoreChoice } from '../secrets/secret-store-choice.ts';

const target = 'passphrase-vault';

/**
 * Creating and unlocking the passphrase vault. The audit key lives in the vault, so the trail
 * can only record once the vault is open: the row is written right after (started, then its
 * outcome), never with the passphrase. A wrong passphrase is recorded as refused whenever the
 * trail can already record (a second unlock in the same run).
 */
export function vaultHandlers(secrets: SecretStoreChoice, trail: AuditTrail, info: () => Promise<AppInfo>): Pick<CallHandlers, 'app.createVault' | 'app.unlockVault'> {
  async function recordOpened(action: string): Promise<void> {
    if (!trail.status().writable) await trail.connectKeychain();
    if (trail.status().writable) await trail.audited({ action, target, details: { kdf: 'scrypt', cipher: 'aes-256-gcm' } }, () => undefined);
  }

  return {
    'app.createVault': async ({ passphrase }) => {
      await secrets.createVault(passphrase);
      await recordOpened('app.create-vault');
      return info();
    },
    'app.unlockVault': async ({ passphrase }) => {
      try {
        await secrets.unlockVault(passphrase);
      } catch (error) {
        if (isAppError(error) && error.code === 'AUTH_FAILED' && trail.status().writable) {
          await trail.refused({ action: 'app.unlock-vault', target, details: {} }, error);
        }
        throw error;
      }
      await recordOpened('app.unlock-vault');
      return info();
    },
  };
}
