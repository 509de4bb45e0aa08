import { useI18n } from 'vue-i18n';
import { useAppStatusStore } from '../stores/app-status.ts';
import { notifyFailure, notifySuccess } from '../notifications.ts';

/** "Try the keychain again" in the status bar, with the outcome as a notification. */
export function useKeychainRetry() {
  const status = useAppStatusStore();
  const { t } = useI18n();

  async function retry(): Promise<void> {
    const available = await status.reconnectKeychain();
    if (available) notifySuccess(t('status.keychainConnected'));
    else if (status.keychainFailure) notifyFailure(status.keychainFailure);
    else notifyFailure({ code: 'KEYCHAIN_UNAVAILABLE', message: t('status.keychainStillUnavailable') });
  }

  return { retry };
}
