import { defineStore } from 'pinia';
import { computed } from 'vue';
import { api, onDisconnect } from '../api/client.ts';
import { useCall } from '../composables/use-call.ts';
import { useNavigationStore } from './navigation.ts';
import { useServicesStore } from './services.ts';

/**
 * Whether the window can talk to the app at all, and what the app says about itself
 * (version, shell, keychain and audit availability). `app.info` answers from main without
 * touching any engine, so its failure means the connection itself is the problem.
 */
export const useAppStatusStore = defineStore('app-status', () => {
  const infoCall = useCall(() => api.call('app.info', {}));
  const keychainCall = useCall(() => api.call('app.reconnectKeychain', {}));
  const createVaultCall = useCall((passphrase: string) => api.call('app.createVault', { passphrase }));
  const unlockVaultCall = useCall((passphrase: string) => api.call('app.unlockVault', { passphrase }));

  const connection = computed<'connecting' | 'connected' | 'disconnected'>(() => {
    if (infoCall.data.value) return 'connected';
    if (infoCall.failure.value && !infoCall.loading.value) return 'disconnected';
    return 'connecting';
  });

  // A connection lost after start-up shows the same full-page state as one refused at start.
  onDisconnect(() => {
    if (!infoCall.data.value) return;
    infoCall.data.value = undefined;
    infoCall.failure.value = { code: 'DISCONNECTED', message: 'The connection to the app was lost.' };
  });

  /** Browser mode has no preload bridge; its fix is different (open the URL with the token). */
  const browserMode = !window.kiops;

  /** After the user started or unlocked their keyring: main tries again and answers the new state. */
  async function reconnectKeychain(): Promise<boolean | undefined> {
    const info = await keychainCall.run();
    if (info) infoCall.data.value = info;
    return info?.keychain.available;
  }

  /** No keychain and no open vault: the first-run screen blocks the app until secrets have a home. */
  const needsSecretStore = computed(() => {
    const store = infoCall.data.value?.secretStore;
    return store !== undefined && (store.kind === 'none' || (store.kind === 'vault' && store.vault !== 'unlocked'));
  });

  /** The passphrase goes to main once and is not kept here; the answer is the new app state. */
  async function openVault(way: 'create' | 'unlock', passphrase: string): Promise<boolean> {
    const info = await (way === 'create' ? createVaultCall : unlockVaultCall).run(passphrase);
    if (info) infoCall.data.value = info;
    return info !== undefined;
  }

  /**
   * Asks main for the app's state. A window that opens on Service Management asks for its list in
   * the same breath: the shell is drawn the moment the state arrives, and the page's first load
   * then takes the answer already on its way (the first-run screen, if shown, leaves it unused).
   * The state is asked first: the shell waits for it, and main starts its keychain check before
   * the list's cluster reads.
   */
  async function connect(): Promise<void> {
    const info = infoCall.run();
    if (useNavigationStore().current === 'services') useServicesStore().prefetch();
    await info;
  }

  return {
    info: infoCall.data,
    needsSecretStore,
    openVault,
    openingVault: computed(() => createVaultCall.loading.value || unlockVaultCall.loading.value),
    vaultFailure: computed(() => createVaultCall.failure.value ?? unlockVaultCall.failure.value),
    failure: infoCall.failure,
    checking: infoCall.loading,
    connection,
    browserMode,
    connect,
    reconnectingKeychain: keychainCall.loading,
    keychainFailure: keychainCall.failure,
    reconnectKeychain,
  };
});
