import { reactive } from 'vue';
import type { SshIdentityView, VpnProfileView } from '../../../shared/contract/environments.ts';
import { useEnvironmentsStore } from '../stores/environments.ts';
import { useCall } from './use-call.ts';

/**
 * The "add SSH identity" form: a pasted (or file-read) private key with its passphrase, or the
 * SSH agent. The key text lives only in this form until main puts it in the keychain; it is
 * cleared as soon as main accepted it.
 */
export function useSshIdentityForm() {
  const store = useEnvironmentsStore();
  const form = reactive({ name: '', kind: 'private-key' as 'private-key' | 'agent', privateKey: '', passphrase: '' });
  const adding = useCall(() =>
    store.addIdentity(
      form.kind === 'agent'
        ? { kind: 'agent', name: form.name }
        : { kind: 'private-key', name: form.name, privateKey: form.privateKey, ...(form.passphrase !== '' ? { passphrase: form.passphrase } : {}) },
    ),
  );

  async function submit(): Promise<SshIdentityView | undefined> {
    const added = await adding.run();
    if (added) Object.assign(form, { name: '', kind: 'private-key', privateKey: '', passphrase: '' });
    return added;
  }

  return { form, submit, adding: adding.loading, failure: adding.failure };
}

/** The "add VPN profile" form: an OpenVPN .ovpn or WireGuard .conf text, pasted or read from a file. */
export function useVpnProfileForm() {
  const store = useEnvironmentsStore();
  const form = reactive({ name: '', profile: '' });
  const adding = useCall(() => store.addVpnProfile({ name: form.name, profile: form.profile }));

  async function submit(): Promise<VpnProfileView | undefined> {
    const added = await adding.run();
    if (added) Object.assign(form, { name: '', profile: '' });
    return added;
  }

  return { form, submit, adding: adding.loading, failure: adding.failure };
}
