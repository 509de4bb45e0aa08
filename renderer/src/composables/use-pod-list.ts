import { computed, onScopeDispose, ref, shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue';
import type { OperationsTabId } from '../../../shared/contract/operations.ts';
import type { PodRowView, PodWatchEvent, PodWatchStateView } from '../../../shared/contract/pods.ts';
import type { ErrorBody } from '../../../shared/errors.ts';
import { api } from '../api/client.ts';
import { i18n } from '../i18n/index.ts';
import { notifyError, notifySuccess } from '../notifications.ts';
import { useOperationsStore } from '../stores/operations.ts';
import { SortedPodTable } from './sorted-pod-table.ts';
import { useCall } from './use-call.ts';
import { askedAlready } from '../api/production-guard.ts';

/**
 * Whether this operator may use a tab's management actions, and if not why. The Operations
 * Modal passes the reason it got from `operations.describe`; mounted on its own, the tab asks
 * main (or reuses the modal store's frame for the same service). While unknown, actions stay off.
 * Main checks again on every action: this only decides what the buttons look like.
 */
export function useManagementAccess(serviceId: MaybeRefOrGetter<string>, tab: OperationsTabId, given: MaybeRefOrGetter<string | null | undefined>) {
  const store = useOperationsStore();
  const describing = useCall((id: string) => api.call('operations.describe', { serviceId: id }));
  const storeFrame = computed(() => (store.serviceId === toValue(serviceId) ? store.frame : undefined));
  watch(
    () => [toValue(serviceId), toValue(given) === undefined && storeFrame.value === undefined] as const,
    ([id, needed]) => {
      if (needed) void describing.run(id);
    },
    { immediate: true },
  );
  /** null: allowed. A string: disabled, with the reason. undefined: not known yet. */
  const disabledReason = computed<string | null | undefined>(() => {
    const passed = toValue(given);
    if (passed !== undefined) return passed;
    const frame = storeFrame.value ?? describing.data.value;
    if (frame === undefined) return describing.failure.value ? (describing.failure.value.message ?? null) : undefined;
    return frame.tabs.find((candidate) => candidate.id === tab)?.actionsDisabledReason ?? null;
  });
  const allowed = computed(() => disabledReason.value === null);
  return { disabledReason, allowed };
}

/**
 * The Pod List of one Kubernetes service, live: watch batches queued and applied once per
 * animation frame (a scale-up of hundreds of pods is one render, not hundreds) to a table kept
 * sorted in place (see sorted-pod-table.ts), the watch state for the banner, and the actions.
 */
export function usePodList(serviceId: MaybeRefOrGetter<string>) {
  const table = new SortedPodTable<PodRowView>();
  /** A copy of the table's order per frame: a new array, so components given it see the change. */
  const rows = shallowRef<readonly PodRowView[]>([]);
  const state = shallowRef<PodWatchStateView>({ kind: 'connecting' });
  /** The stream itself ended with an error (service missing, connection lost): Retry subscribes again. */
  const streamError = shallowRef<ErrorBody>();
  const received = ref(false);
  const busy = ref(new Set<string>());
  let queue: PodWatchEvent[] = [];
  let frame: number | null = null;
  let cancel: (() => void) | null = null;

  const pendingRows = computed(() => rows.value.filter((row) => row.isPending));

  function flush(): void {
    frame = null;
    const batch = queue;
    queue = [];
    let changed = false;
    for (const event of batch) {
      if (event.kind === 'state') {
        state.value = event.state;
        continue;
      }
      table.apply(event);
      changed = true;
      received.value = true;
    }
    if (changed) rows.value = table.rows.slice();
  }

  function subscribe(): void {
    cancel?.();
    streamError.value = undefined;
    state.value = { kind: 'connecting' };
    cancel = api.subscribe('pods.watch', { serviceId: toValue(serviceId) }, {
      event: (event) => {
        queue.push(event);
        frame ??= requestAnimationFrame(flush);
      },
      end: (end) => {
        if (end.reason === 'error') streamError.value = end.error;
        cancel = null;
      },
    });
  }

  async function retry(): Promise<void> {
    if (cancel === null) return subscribe();
    await api.call('pods.retryWatch', { serviceId: toValue(serviceId) }).catch((error: unknown) => notifyError(error));
  }

  async function act<T>(pod: string, run: () => Promise<T>, done?: string): Promise<T | undefined> {
    busy.value = new Set(busy.value).add(pod);
    try {
      const result = await run();
      if (done !== undefined) notifySuccess(done);
      return result;
    } catch (error) {
      notifyError(error);
      return undefined;
    } finally {
      const next = new Set(busy.value);
      next.delete(pod);
      busy.value = next;
    }
  }

  const { t } = i18n.global;
  const restart = (pod: string) => act(pod, () => api.call('pods.restart', askedAlready({ serviceId: toValue(serviceId), pod })), t('podList.restarted', { pod }));
  const forceDelete = (pod: string) => act(pod, () => api.call('pods.forceDelete', askedAlready({ serviceId: toValue(serviceId), pod })), t('podList.forceDeleted', { pod }));
  /** Deletes the pods the operator saw named in the confirmation; main skips any no longer Pending. The tab reports the counts. */
  const deletePending = (names: readonly string[]) => act('*pending*', () => api.call('pods.deletePending', askedAlready({ serviceId: toValue(serviceId), expectedPods: [...names] })));

  watch(() => toValue(serviceId), subscribe, { immediate: true });
  onScopeDispose(() => {
    cancel?.();
    if (frame !== null) cancelAnimationFrame(frame);
  });

  return { rows, pendingRows, state, streamError, received, busy, retry, restart, forceDelete, deletePending };
}

/** The Pending pod expand row: asks main for the analysis when opened, with Retry on failure. */
export function usePendingCause(serviceId: MaybeRefOrGetter<string>, pod: MaybeRefOrGetter<string>) {
  const analysis = useCall(() => api.call('pods.analyzePending', { serviceId: toValue(serviceId), pod: toValue(pod) }));
  void analysis.run();
  return { analysis: analysis.data, failure: analysis.failure, loading: analysis.loading, reload: () => analysis.run() };
}
