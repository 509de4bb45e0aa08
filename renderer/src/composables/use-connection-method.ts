import { onMounted, ref, shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue';
import type { ConnectionMethod, ConnectionStatus, MethodSelection } from '../../../shared/contract/connections.ts';
import { api } from '../api/client.ts';
import { useCall } from './use-call.ts';

export interface ConnectionMethodOptions {
  /**
   * Ask main whether this is the environment's first open (connections.firstOpen) and, if so,
   * open the method dialog by itself, once. The Operations Modal sets this; a page that only
   * lists environments does not, so it never uses up the first-open question.
   */
  openOnFirstUse?: boolean;
}

/**
 * The connection method of one environment, as the Operations Modal header and the method
 * dialog need it: the status from connections.get, whether the dialog is open, and saving a
 * new choice (and Auto priority) through connections.setMethod, which main audits.
 */
export function useConnectionMethod(environmentId: MaybeRefOrGetter<string | undefined>, options: ConnectionMethodOptions = {}) {
  const status = shallowRef<ConnectionStatus>();
  const dialogOpen = ref(false);
  const loading = useCall((id: string) => api.call('connections.get', { environmentId: id }));
  const saving = useCall((id: string, selected: MethodSelection, methods: ConnectionMethod[]) => api.call('connections.setMethod', { environmentId: id, selected, methods }));

  async function load(): Promise<void> {
    const id = toValue(environmentId);
    status.value = undefined;
    if (id === undefined) return;
    const loaded = await loading.run(id);
    if (loaded && toValue(environmentId) === id) status.value = loaded;
    if (!options.openOnFirstUse) return;
    const first = await api.call('connections.firstOpen', { environmentId: id }).catch(() => ({ firstOpen: false }));
    if (first.firstOpen && toValue(environmentId) === id) dialogOpen.value = true;
  }

  /** Saves the choice; true when main accepted it (the dialog then closes). */
  async function save(selected: MethodSelection, methods: ConnectionMethod[]): Promise<boolean> {
    const id = toValue(environmentId);
    if (id === undefined) return false;
    const saved = await saving.run(id, selected, methods);
    if (!saved) return false;
    status.value = saved;
    dialogOpen.value = false;
    return true;
  }

  function openDialog(): void {
    saving.reset();
    dialogOpen.value = true;
  }

  onMounted(() => void load());
  watch(() => toValue(environmentId), () => void load());

  return {
    status,
    loadFailure: loading.failure,
    dialogOpen,
    saving: saving.loading,
    saveFailure: saving.failure,
    load,
    save,
    openDialog,
  };
}
