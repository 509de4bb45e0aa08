import { ref, shallowRef } from 'vue';
import { notifyError, notifySuccess } from '../../notifications.ts';

type MutationAnswer = { status: 'done'; message: string } | { status: 'needs-confirmation'; confirmText: string; message: string };

/**
 * Runs a Deployment Management mutation. In production main answers `needs-confirmation` first;
 * the pending action is kept until the operator retypes the text (CommandConfirmDialog) and is
 * then sent again with it. Failures are shown with main's own message.
 */
export function useConfirmedMutation(onDone: () => unknown) {
  const busy = ref<string | null>(null);
  const confirmation = shallowRef<{ confirmText: string; message: string }>();
  let pending: { key: string; send: (confirmation?: string) => Promise<MutationAnswer> } | null = null;

  async function run(key: string, send: (confirmation?: string) => Promise<MutationAnswer>, confirmationText?: string): Promise<void> {
    busy.value = key;
    try {
      const answer = await send(confirmationText);
      if (answer.status === 'needs-confirmation') {
        pending = { key, send };
        confirmation.value = { confirmText: answer.confirmText, message: answer.message };
        return;
      }
      notifySuccess(answer.message);
      await onDone();
    } catch (error) {
      notifyError(error);
      await onDone();
    } finally {
      busy.value = null;
    }
  }

  function confirm(text: string): void {
    const action = pending;
    pending = null;
    confirmation.value = undefined;
    if (action) void run(action.key, action.send, text);
  }

  function cancel(): void {
    pending = null;
    confirmation.value = undefined;
  }

  return { busy, confirmation, run, confirm, cancel };
}
