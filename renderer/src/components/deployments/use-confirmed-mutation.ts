import { ref } from 'vue';
import { notifyError, notifySuccess } from '../../notifications.ts';

type MutationAnswer = { status: 'done'; message: string } | { status: 'needs-confirmation'; confirmText: string; message: string };

/**
 * Runs a Deployment Management mutation and shows main's answer. In production the API guard
 * (api/production-guard.ts) has already asked for the service name through ProductionConfirm
 * and sent it; a `needs-confirmation` answer left over means it was not given.
 */
export function useConfirmedMutation(onDone: () => unknown) {
  const busy = ref<string | null>(null);

  async function run(key: string, send: () => Promise<MutationAnswer>): Promise<void> {
    busy.value = key;
    try {
      const answer = await send();
      if (answer.status === 'done') notifySuccess(answer.message);
      await onDone();
    } catch (error) {
      notifyError(error);
      await onDone();
    } finally {
      busy.value = null;
    }
  }

  return { busy, run };
}
