import { ref, shallowRef } from 'vue';
import type { CallOutput } from '../../../shared/contract/index.ts';
import type { EnvironmentView } from '../../../shared/contract/environments.ts';
import { api } from '../api/client.ts';
import { useEnvironmentsStore } from '../stores/environments.ts';
import { useCall } from './use-call.ts';

/** What the host key dialog asks about: a key never seen (to compare and trust), or a changed one. */
export type HostKeyQuestion =
  | { kind: 'unknown'; environment: EnvironmentView; hostPort: string; keyType: string; fingerprint: string }
  | { kind: 'changed'; environment: EnvironmentView; hostPort: string; previousFingerprint: string; presentedFingerprint: string; message: string };

export type KnownHostsOffer = CallOutput<'hostKeys.knownHosts'>;

/**
 * Testing a connection, with the SSH host key step (for the target or any ProxyJump hop): an
 * unknown key opens the dialog to compare its fingerprint out of band (and to import it from
 * known_hosts when that lists it); trusting pins exactly that fingerprint, then the test runs
 * again. A changed key shows both fingerprints: the user may replace the pin after an explicit
 * confirmation, or forget it (the next test asks again). Each of these is audited in main.
 */
export function useEnvironmentTest() {
  const store = useEnvironmentsStore();
  const question = shallowRef<HostKeyQuestion>();
  const trusting = useCall((environmentId: string, fingerprint: string, hostPort: string) => store.trustHostKey(environmentId, fingerprint, hostPort || undefined).then(() => true));
  const knownHosts = useCall((environmentId: string) => api.call('hostKeys.knownHosts', { environmentId }));
  const changing = useCall(async (asked: Extract<HostKeyQuestion, { kind: 'changed' }>, how: 'repin' | 'forget') => {
    if (how === 'repin') {
      await api.call('hostKeys.repin', { environmentId: asked.environment.id, hostPort: asked.hostPort, previousFingerprint: asked.previousFingerprint, fingerprint: asked.presentedFingerprint, confirm: true });
    } else {
      await api.call('hostKeys.forget', { environmentId: asked.environment.id, hostPort: asked.hostPort });
    }
    return true;
  });
  const importing = useCall((environmentId: string, hostPort: string) => api.call('hostKeys.importKnownHosts', { environmentId, hostPort }).then(() => true));
  /** The explicit "I compared the new fingerprint" tick a re-pin needs. */
  const confirmedNew = ref(false);

  async function test(environment: EnvironmentView): Promise<void> {
    const outcome = await store.test(environment.id);
    const ssh = environment.connection.ssh;
    const fallbackHostPort = ssh ? `${ssh.host}:${ssh.port}` : '';
    if (outcome.state === 'needs-host-key-confirmation') {
      trusting.reset();
      importing.reset();
      knownHosts.reset();
      question.value = { kind: 'unknown', environment, hostPort: outcome.hostPort, keyType: outcome.keyType, fingerprint: outcome.fingerprint };
      void knownHosts.run(environment.id);
    } else if (outcome.state === 'error' && outcome.error.code === 'HOST_KEY_CHANGED') {
      changing.reset();
      confirmedNew.value = false;
      question.value = {
        kind: 'changed',
        environment,
        hostPort: outcome.hostPort || fallbackHostPort,
        previousFingerprint: outcome.previousFingerprint ?? '',
        presentedFingerprint: outcome.presentedFingerprint ?? '',
        message: outcome.error.message,
      };
    }
  }

  async function trust(): Promise<void> {
    const asked = question.value;
    if (asked?.kind !== 'unknown') return;
    const trusted = await trusting.run(asked.environment.id, asked.fingerprint, asked.hostPort);
    if (!trusted) return;
    question.value = undefined;
    await test(asked.environment);
  }

  async function importFromKnownHosts(): Promise<void> {
    const asked = question.value;
    if (asked?.kind !== 'unknown') return;
    if (!(await importing.run(asked.environment.id, asked.hostPort))) return;
    question.value = undefined;
    await test(asked.environment);
  }

  async function change(how: 'repin' | 'forget'): Promise<void> {
    const asked = question.value;
    if (asked?.kind !== 'changed' || (how === 'repin' && !confirmedNew.value)) return;
    if (!(await changing.run(asked, how))) return;
    question.value = undefined;
    await test(asked.environment);
  }

  function dismiss(): void {
    question.value = undefined;
  }

  return {
    question,
    test,
    trust,
    dismiss,
    trusting: trusting.loading,
    trustFailure: trusting.failure,
    knownHosts: knownHosts.data,
    importFromKnownHosts,
    importing: importing.loading,
    importFailure: importing.failure,
    confirmedNew,
    repin: () => change('repin'),
    forget: () => change('forget'),
    changing: changing.loading,
    changeFailure: changing.failure,
  };
}
