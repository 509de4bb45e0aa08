import { computed, reactive, ref } from 'vue';
import type { KubeconfigSource } from '../../../shared/contract/environments.ts';
import { api } from '../api/client.ts';
import { useEnvironmentsStore } from '../stores/environments.ts';
import { useCall } from './use-call.ts';
import { newConnectionDraft, toPreferences } from './use-environment-connection.ts';

/** Splits a KUBECONFIG-style list (":" as kubectl uses on Linux and macOS, or one path a line). */
export function kubeconfigPaths(list: string): string[] {
  return list
    .split(/[:\n]/)
    .map((path) => path.trim())
    .filter((path) => path !== '');
}

/**
 * "Add Kubernetes cluster": read a kubeconfig (pasted, read from a chosen file, or paths merged
 * like kubectl), preview its contexts with their warnings, pick contexts, name them, add.
 * Nothing is saved before the last step; the user's kubeconfig is only read.
 */
export function useKubeWizard(done: () => void) {
  const store = useEnvironmentsStore();
  const step = ref<1 | 2 | 3>(1);
  const source = reactive({ mode: 'text' as 'text' | 'paths', text: '', paths: '' });
  const chosen = ref<string[]>([]);
  const details = reactive({ name: '', production: false, connection: newConnectionDraft('kubernetes') });

  function currentSource(): KubeconfigSource {
    return source.mode === 'text' ? { kind: 'text', text: source.text } : { kind: 'paths', paths: kubeconfigPaths(source.paths) };
  }

  const previewing = useCall(() => api.call('environments.previewKubeconfig', { source: currentSource() }));
  const adding = useCall(() =>
    store.addKubernetes({
      source: currentSource(),
      contexts: chosen.value,
      ...(details.name.trim() !== '' ? { name: details.name.trim() } : {}),
      production: details.production,
      connection: toPreferences('kubernetes', details.connection),
    }),
  );

  const canPreview = computed(() => (source.mode === 'text' ? source.text.trim() !== '' : kubeconfigPaths(source.paths).length > 0));

  async function preview(): Promise<void> {
    const result = await previewing.run();
    if (!result) return;
    const usable = result.contexts.filter((c) => c.problem === undefined);
    const current = usable.find((c) => c.current) ?? (usable.length === 1 ? usable[0] : undefined);
    chosen.value = current ? [current.name] : [];
    step.value = 2;
  }

  function toDetails(): void {
    if (details.name.trim() === '' && chosen.value.length === 1) details.name = chosen.value[0] ?? '';
    step.value = 3;
  }

  async function add(): Promise<void> {
    const added = await adding.run();
    if (added) done();
  }

  function fileRead(text: string): void {
    source.mode = 'text';
    source.text = text;
  }

  return {
    step,
    source,
    chosen,
    details,
    canPreview,
    preview,
    previewResult: previewing.data,
    previewing: previewing.loading,
    previewFailure: previewing.failure,
    toDetails,
    add,
    adding: adding.loading,
    addFailure: adding.failure,
    fileRead,
  };
}
