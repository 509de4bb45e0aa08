import type { AppInfo, WindowTheme } from '../../../shared/contract/app.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import type { CallHandlers } from '../ipc/router.ts';
import type { SecretStore } from '../secrets/secret-store.ts';

export interface AppIdentity {
  version: string;
  shell: AppInfo['shell'];
  platform: string;
}

/** What the status bar shows: the app, and whether secrets and the audit trail can be written. */
export function appInfoHandlers(identity: AppIdentity, secrets: SecretStore, trail: AuditTrail): Pick<CallHandlers, 'app.info' | 'app.reconnectKeychain'> {
  const info = async (): Promise<AppInfo> => {
    const keychain = await secrets.status();
    const audit = trail.status();
    return {
      name: 'KIOPS Desktop',
      version: identity.version,
      shell: identity.shell,
      platform: identity.platform,
      keychain: keychain.available ? { available: true } : { available: false, reason: keychain.reason ?? 'The OS keychain is not available.' },
      audit: audit.writable ? { available: true } : { available: false, reason: audit.reason, ...(audit.finding === undefined ? {} : { broken: true }) },
    };
  };
  return {
    'app.info': info,
    'app.reconnectKeychain': async () => {
      await trail.connectKeychain();
      return info();
    },
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
