import { computed, ref, shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue';
import type { ConfigKind, ConfigObjectView } from '../../../../shared/contract/config.ts';
import { api } from '../../api/client.ts';
import { useCall } from '../../composables/use-call.ts';
import { i18n } from '../../i18n/index.ts';
import { notifyError, notifySuccess } from '../../notifications.ts';
import { askedAlready } from '../../api/production-guard.ts';

export interface ObjectRef {
  readonly kind: ConfigKind;
  readonly name: string;
}

/**
 * The Config/Secret tab of one Kubernetes service: the namespace's ConfigMaps and Secrets, the
 * selected one, revealed Secret values (kept only while the tab is open, one key at a time on
 * request), and the edits. Every edit sends the resourceVersion shown; a CONFLICT asks for a reload.
 */
export function useConfigTab(serviceId: MaybeRefOrGetter<string>) {
  const { t } = i18n.global;
  const loader = useCall((id: string) => api.call('config.list', { serviceId: id }));
  const selected = shallowRef<ObjectRef>();
  const revealed = ref(new Map<string, string>());
  const busy = ref(false);
  const reload = () => loader.run(toValue(serviceId));
  watch(() => toValue(serviceId), () => {
    revealed.value = new Map();
    void reload();
  }, { immediate: true });

  const objects = computed<ConfigObjectView[]>(() => loader.data.value?.objects ?? []);
  const current = computed(() => objects.value.find((object) => object.kind === selected.value?.kind && object.name === selected.value.name));
  watch(objects, (list) => {
    if (!current.value && list[0]) selected.value = { kind: list[0].kind, name: list[0].name };
  });
  const revealKey = (name: string, key: string) => `${name}/${key}`;

  async function act(run: () => Promise<unknown>, done: string): Promise<boolean> {
    busy.value = true;
    try {
      await run();
      notifySuccess(done);
      await reload();
      return true;
    } catch (error) {
      notifyError(error);
      // A conflict means the table is stale: show the new state at once.
      if ((error as { code?: string }).code === 'CONFLICT') await reload();
      return false;
    } finally {
      busy.value = false;
    }
  }

  return {
    listing: loader.data,
    failure: loader.failure,
    loading: loader.loading,
    objects,
    selected,
    current,
    busy,
    reload,
    revealedValue: (name: string, key: string) => revealed.value.get(revealKey(name, key)),
    async reveal(name: string, key: string): Promise<void> {
      try {
        const answer = await api.call('config.reveal', { serviceId: toValue(serviceId), kind: 'secret', name, key });
        revealed.value = new Map(revealed.value).set(revealKey(name, key), answer.encoding === 'base64' ? `base64:${answer.value}` : answer.value);
      } catch (error) {
        notifyError(error);
      }
    },
    hide(name: string, key: string): void {
      const next = new Map(revealed.value);
      next.delete(revealKey(name, key));
      revealed.value = next;
    },
    setKey: (object: ConfigObjectView, key: string, value: string) =>
      act(async () => {
        await api.call('config.setKey', { serviceId: toValue(serviceId), kind: object.kind, name: object.name, key, value, resourceVersion: object.resourceVersion });
        if (object.kind === 'secret') revealed.value.delete(revealKey(object.name, key));
      }, t('configTab.saved', { key })),
    deleteKey: (object: ConfigObjectView, key: string, confirmation: string | undefined) =>
      act(
        () => api.call('config.deleteKey', askedAlready({ serviceId: toValue(serviceId), kind: object.kind, name: object.name, key, resourceVersion: object.resourceVersion, ...(confirmation ? { confirmation } : {}) })),
        t('configTab.deleted', { key }),
      ),
    async create(kind: ConfigKind, name: string): Promise<boolean> {
      const ok = await act(() => api.call('config.create', { serviceId: toValue(serviceId), kind, name }), t('configTab.created', { name }));
      if (ok) selected.value = { kind, name };
      return ok;
    },
  };
}

export type ConfigTabState = ReturnType<typeof useConfigTab>;
