import { onBeforeUnmount, watch } from 'vue';
import type { PreviewedChangeInput as PreviewedChange } from '../../../../shared/contract/changes.ts';
import { api } from '../../api/client.ts';
import { useCall } from '../../composables/use-call.ts';

/**
 * Asks main for the preview of `change` (a server-side dry run or a recreate plan) whenever it
 * changes; `debounceMs` keeps typing from sending one dry run per keystroke.
 */
export function useChangePreview(source: () => { serviceId: string; change: PreviewedChange | null }, debounceMs = 0) {
  const call = useCall((serviceId: string, change: PreviewedChange) => api.call('changes.preview', { serviceId, change }));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = watch(
    () => JSON.stringify(source()),
    () => {
      clearTimeout(timer);
      const { serviceId, change } = source();
      if (!change) {
        call.reset();
        return;
      }
      if (debounceMs === 0) void call.run(serviceId, change);
      else timer = setTimeout(() => void call.run(serviceId, change), debounceMs);
    },
    { immediate: true },
  );
  onBeforeUnmount(() => {
    clearTimeout(timer);
    stop();
  });
  return call;
}
