import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { OperationsTabId } from '../../../shared/contract/operations.ts';
import { api } from '../api/client.ts';
import { rememberService } from '../api/production-guard.ts';
import { useCall } from '../composables/use-call.ts';

/**
 * The Operations Modal: which service it is open on, the frame main described for it (tabs
 * this operator gets, permissions, why tabs are hidden) and the tab in view.
 */
export const useOperationsStore = defineStore('operations', () => {
  const serviceId = ref<string>();
  const activeTab = ref<OperationsTabId>('overview');
  const describing = useCall((id: string) => api.call('operations.describe', { serviceId: id }));

  const isOpen = computed(() => serviceId.value !== undefined);
  /** What the Log Viewer should show next (set from a symptom elsewhere, such as a crash-looping pod). */
  const logRequest = shallowRef<{ pod: string; container: string; previous: boolean }>();

  /** Switches to the Log Viewer on this pod's container, its previous run when asked. */
  function openLogs(request: { pod: string; container: string; previous: boolean }): void {
    logRequest.value = request;
    activeTab.value = 'logs';
  }

  async function open(id: string): Promise<void> {
    serviceId.value = id;
    activeTab.value = 'overview';
    describing.reset();
    const frame = await describing.run(id);
    if (frame) rememberService(id, { name: frame.service.name, production: frame.environment.production });
    if (frame && serviceId.value === id) activeTab.value = frame.tabs[0]?.id ?? 'overview';
  }

  async function reload(): Promise<void> {
    if (serviceId.value !== undefined) await describing.run(serviceId.value);
  }

  function close(): void {
    serviceId.value = undefined;
    logRequest.value = undefined;
    describing.reset();
  }

  return { serviceId, activeTab, isOpen, logRequest, openLogs, frame: describing.data, loading: describing.loading, failure: describing.failure, open, reload, close };
});
