import { computed, onBeforeUnmount, onMounted, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import type { CallOutput } from '../../../shared/contract/index.ts';
import type { KubeconfigChange } from '../../../shared/contract/environments.ts';
import { api } from '../api/client.ts';
import { notifyError, notifySuccess } from '../notifications.ts';
import { useEnvironmentsStore } from '../stores/environments.ts';
import { useCall } from './use-call.ts';

/** "Not now" holds for this session, on every page that offers the clusters. */
const dismissed = ref(false);

/**
 * First start: the contexts of the kubeconfig kubectl would read ($KUBECONFIG or ~/.kube/config),
 * offered at once while no Kubernetes environment exists. The usable ones are ticked.
 */
export function useKubeconfigDiscovery(added: () => void = () => undefined) {
  const store = useEnvironmentsStore();
  const { t } = useI18n();
  const found = shallowRef<CallOutput<'environments.discoverKubeconfig'>>();
  const chosen = ref<string[]>([]);
  const hasKubernetes = computed(() => store.environments.some((env) => env.kind === 'kubernetes'));

  async function discover(): Promise<void> {
    try {
      const result = await api.call('environments.discoverKubeconfig', {});
      found.value = result;
      chosen.value = result.contexts.filter((c) => c.problem === undefined && !c.alreadyAdded).map((c) => c.name);
    } catch {
      found.value = undefined; // no offer then; the wizard still reads any kubeconfig
    }
  }
  onMounted(() => void discover());

  const preview = computed(() => {
    const value = found.value;
    if (!value || !value.firstStart || value.contexts.length === 0) return undefined;
    return { source: value.source ?? value.paths.join(':'), contexts: value.contexts.filter((c) => !c.alreadyAdded) };
  });
  const shown = computed(() => !dismissed.value && !hasKubernetes.value && preview.value !== undefined);

  const adding = useCall(() => store.addKubernetes({ source: { kind: 'paths', paths: found.value?.paths ?? [] }, contexts: chosen.value }));
  async function add(): Promise<void> {
    const result = await adding.run();
    if (!result) return;
    notifySuccess(t('kubeconfigFiles.added', { count: result.length }));
    added();
  }

  return { shown, preview, chosen, add, adding: adding.loading, failure: adding.failure, dismiss: () => (dismissed.value = true) };
}

/** Imported kubeconfig files that changed on disk, as main pushes them, and their re-import. */
export function useKubeconfigChanges() {
  const store = useEnvironmentsStore();
  const { t } = useI18n();
  const changes = shallowRef<KubeconfigChange[]>([]);
  const reimporting = ref<string>();
  let cancel: (() => void) | undefined;

  function subscribe(): void {
    cancel?.();
    cancel = api.subscribe(
      'environments.kubeconfigChanges',
      {},
      {
        event: (event) => {
          changes.value = event.changes;
        },
        // the stream ends only when main goes away; the page subscribes again on its next visit
        end: () => {
          cancel = undefined;
        },
      },
    );
  }
  onMounted(subscribe);
  onBeforeUnmount(() => cancel?.());

  async function reimport(change: KubeconfigChange): Promise<void> {
    reimporting.value = change.environmentId;
    try {
      const environment = await store.reimportKubeconfig(change.environmentId);
      notifySuccess(t('kubeconfigFiles.reimported', { name: environment.name }));
    } catch (error) {
      notifyError(error, t('kubeconfigFiles.reimportFailed'));
    } finally {
      reimporting.value = undefined;
    }
  }

  return { changes, reimport, reimporting };
}
