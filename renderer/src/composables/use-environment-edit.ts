import { ref, watch, type Ref } from 'vue';
import type { EnvironmentView } from '../../../shared/contract/environments.ts';
import { useEnvironmentsStore } from '../stores/environments.ts';
import { useCall } from './use-call.ts';
import { connectionDraftOf, toPreferences, type ConnectionDraft } from './use-environment-connection.ts';
import { placeOf } from './use-environment-methods.ts';

interface EditDraft {
  name: string;
  production: boolean;
  namespace: string;
  connection: ConnectionDraft;
}

function draftOf(environment: EnvironmentView): EditDraft {
  return { name: environment.name, production: environment.production, namespace: environment.kubernetes?.namespace ?? '', connection: connectionDraftOf(environment) };
}

/** The edit form of one environment: a draft copied from it, saved in one environments.update. */
export function useEnvironmentEdit(environment: Ref<EnvironmentView>) {
  const store = useEnvironmentsStore();
  const draft = ref<EditDraft>(draftOf(environment.value));
  watch(environment, (next) => (draft.value = draftOf(next)));
  const saving = useCall(() => {
    const target = environment.value;
    const { name, production, namespace, connection } = draft.value;
    return store.update({
      id: target.id,
      name,
      production,
      ...(target.kind === 'kubernetes' && namespace.trim() !== '' ? { namespace: namespace.trim() } : {}),
      connection: toPreferences(placeOf(target), connection),
    });
  });

  async function save(): Promise<boolean> {
    return (await saving.run()) !== undefined;
  }

  return { draft, save, saving: saving.loading, failure: saving.failure };
}
