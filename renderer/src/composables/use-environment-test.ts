import { shallowRef } from 'vue';
import type { EnvironmentView } from '../../../shared/contract/environments.ts';
import { useEnvironmentsStore } from '../stores/environments.ts';
import { useCall } from './use-call.ts';

/** What the host key dialog asks about: a key never seen (to compare and trust), or a changed one. */
export type HostKeyQuestion =
  | { kind: 'unknown'; environment: EnvironmentView; hostPort: string; keyType: string; fingerprint: string }
  | { kind: 'changed'; environment: EnvironmentView; hostPort: string; previousFingerprint: string; presentedFingerprint: string; message: string };

/**
 * Testing a connection, with the SSH host key step: an unknown key opens the dialog to compare
 * its fingerprint out of band; trusting pins exactly that fingerprint, then the test runs
 * again. A changed key opens the dialog as a warning only: there is nothing to trust there.
 */
export function useEnvironmentTest() {
  const store = useEnvironmentsStore();
  const question = shallowRef<HostKeyQuestion>();
  const trusting = useCall((environmentId: string, fingerprint: string) => store.trustHostKey(environmentId, fingerprint).then(() => true));

  async function test(environment: EnvironmentView): Promise<void> {
    const outcome = await store.test(environment.id);
    const ssh = environment.connection.ssh;
    const fallbackHostPort = ssh ? `${ssh.host}:${ssh.port}` : '';
    if (outcome.state === 'needs-host-key-confirmation') {
      trusting.reset();
      question.value = { kind: 'unknown', environment, hostPort: outcome.hostPort, keyType: outcome.keyType, fingerprint: outcome.fingerprint };
    } else if (outcome.state === 'error' && outcome.error.code === 'HOST_KEY_CHANGED') {
      question.value = {
        kind: 'changed',
        environment,
        hostPort: fallbackHostPort,
        previousFingerprint: outcome.previousFingerprint ?? '',
        presentedFingerprint: outcome.presentedFingerprint ?? '',
        message: outcome.error.message,
      };
    }
  }

  async function trust(): Promise<void> {
    const asked = question.value;
    if (asked?.kind !== 'unknown') return;
    const trusted = await trusting.run(asked.environment.id, asked.fingerprint);
    if (!trusted) return;
    question.value = undefined;
    await test(asked.environment);
  }

  function dismiss(): void {
    question.value = undefined;
  }

  return { question, test, trust, dismiss, trusting: trusting.loading, trustFailure: trusting.failure };
}
