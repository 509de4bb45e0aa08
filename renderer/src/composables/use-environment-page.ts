import { onMounted, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import type { EnvironmentView, SshIdentityView, VpnProfileView } from '../../../shared/contract/environments.ts';
import { useEnvironmentsStore } from '../stores/environments.ts';
import { notifyError, notifySuccess } from '../notifications.ts';
import { useCall } from './use-call.ts';

/** Which dialog of the Runtime Environments page is open, and for which environment. */
export type EnvironmentDialog = { kind: 'edit' | 'remove' | 'method' | 'details'; environment: EnvironmentView };

/** The page's lifecycle and the dialogs its rows open. */
export function useEnvironmentPage() {
  const store = useEnvironmentsStore();
  const dialog = shallowRef<EnvironmentDialog>();
  const wizard = ref<'kubernetes' | 'engine'>();
  const tab = ref<'environments' | 'identities' | 'vpn' | 'policy'>('environments');
  onMounted(() => void store.load());

  function open(kind: EnvironmentDialog['kind'], environment: EnvironmentView): void {
    dialog.value = { kind, environment };
  }

  function close(): void {
    dialog.value = undefined;
  }

  return { store, dialog, wizard, tab, open, close };
}

/** Removing an environment: main deletes its keychain entries too, and says how many. */
export function useEnvironmentRemoval(done: () => void) {
  const store = useEnvironmentsStore();
  const { t } = useI18n();
  const removing = useCall((id: string) => store.remove(id));

  async function remove(environment: EnvironmentView): Promise<void> {
    const secretsDeleted = await removing.run(environment.id);
    if (secretsDeleted === undefined) return;
    notifySuccess(secretsDeleted === 0 ? t('environments.removedNoSecrets', { name: environment.name }) : t('environments.removed', { name: environment.name, count: secretsDeleted }));
    done();
  }

  return { remove, removing: removing.loading, failure: removing.failure };
}

/** Removing an SSH identity or a VPN profile; main refuses while an environment uses it, saying which. */
export function useCredentialRemoval() {
  const store = useEnvironmentsStore();
  const { t } = useI18n();

  async function removeIdentity(identity: SshIdentityView): Promise<void> {
    try {
      await store.removeIdentity(identity.id);
      notifySuccess(t('identities.removed', { name: identity.name }));
    } catch (error) {
      notifyError(error, t('identities.removeFailed'));
    }
  }

  async function removeVpnProfile(profile: VpnProfileView): Promise<void> {
    try {
      await store.removeVpnProfile(profile.id);
      notifySuccess(t('vpn.removed', { name: profile.name }));
    } catch (error) {
      notifyError(error, t('vpn.removeFailed'));
    }
  }

  return { removeIdentity, removeVpnProfile };
}
