import type { AppInfo, WindowTheme } from '../../../shared/contract/app.ts';
import { keyedText } from '../../../shared/errors.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import type { CallHandlers } from '../ipc/router.ts';
import { vaultHandlers } from './vault-service.ts';
import type { OpeningRead } from './opening-read.ts';
import type { SecretStoreChoice } from '../secrets/secret-store-choice.ts';

export interface AppIdentity {
  version: string;
  shell: AppInfo['shell'];
  platform: string;
}

/** What the status bar shows: the app, and whether secrets and the audit trail can be written. */
export function appInfoReader(identity: AppIdentity, secrets: SecretStoreChoice, trail: AuditTrail): () => Promise<AppInfo> {
  return async () => {
    // one keychain round trip (over D-Bus on Linux): a new window waits for this answer
    const { status: keychain, state: store } = await secrets.overview();
    const audit = trail.status();
    return {
      name: 'KIOPS Desktop',
      version: identity.version,
      shell: identity.shell,
      platform: identity.platform,
      keychain: keychain.available
        ? { available: true }
        : keychain.reason === undefined
          ? { available: false, reason: 'The OS keychain is not available.', reasonText: { key: 'statusReasons.keychain.notAvailable' } }
          : { available: false, reason: keychain.reason, ...(keychain.text === undefined ? {} : { reasonText: keyedText(keychain.text) }) },
      audit: audit.writable ? { available: true } : { available: false, reason: audit.reason, reasonText: keyedText(audit.text), ...(audit.finding === undefined ? {} : { broken: true }) },
      secretStore: { kind: store.kind, vault: store.vault },
    };
  };
}

/**
 * The app's state and the calls that change it. `opening`: the state read as a window opened
 * (KiopsCore.windowOpening), which that window's first `app.info` takes instead of asking the
 * keychain again; reconnecting the keychain or opening a vault drops it.
 */
export function appInfoHandlers(
  identity: AppIdentity,
  secrets: SecretStoreChoice,
  trail: AuditTrail,
  opening?: OpeningRead<AppInfo>,
): Pick<CallHandlers, 'app.info' | 'app.reconnectKeychain' | 'app.createVault' | 'app.unlockVault'> {
  const read = appInfoReader(identity, secrets, trail);
  const fresh = () => {
    opening?.drop();
    return read();
  };
  return {
    'app.info': () => opening?.take() ?? read(),
    'app.reconnectKeychain': async () => {
      opening?.drop();
      await secrets.reconsider();
      await trail.connectKeychain();
      return fresh();
    },
    ...vaultHandlers(secrets, trail, fresh),
  };
}

/** The shell's native theme (Electron: nativeTheme.themeSource); browser mode has none. */
export function windowThemeHandlers(setWindowTheme: ((theme: WindowTheme) => void) | undefined): Pick<CallHandlers, 'app.setWindowTheme'> {
  return {
    'app.setWindowTheme': async ({ theme }) => {
      setWindowTheme?.(theme);
      return {};
    },
  };
}
