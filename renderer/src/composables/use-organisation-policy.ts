import { computed, ref, shallowRef } from 'vue';
import type { OrganisationPolicy, PolicyView } from '../../../shared/contract/policy.ts';
import { api } from '../api/client.ts';
import { toFailure, type Failure } from '../shell/failure.ts';
import { draftOf, policyFromDraft, type PolicyDraft } from '../components/permissions/policy-draft.ts';

export type { MatchKind, PolicyDraft, RuleDraft } from '../components/permissions/policy-draft.ts';

/** The organisation policy editor's state: the file as main read it, the draft, load and save. */
export function useOrganisationPolicy() {
  const view = shallowRef<PolicyView>();
  const draft = ref<PolicyDraft>({ default: [], rules: [] });
  const loadFailure = shallowRef<Failure>();
  const saveFailure = shallowRef<Failure>();
  const saving = ref(false);
  const savedPath = ref<string>();

  const parsed = computed(() => policyFromDraft(draft.value));
  const problem = computed(() => {
    const result = parsed.value;
    if (result.success) return undefined;
    const issue = result.error.issues[0];
    const rule = issue?.path[0] === 'rules' && typeof issue.path[1] === 'number' ? issue.path[1] + 1 : undefined;
    return { rule, message: issue?.message ?? '' };
  });

  async function load(): Promise<void> {
    loadFailure.value = undefined;
    saveFailure.value = undefined;
    savedPath.value = undefined;
    try {
      const loaded = await api.call('policy.get', {});
      view.value = loaded;
      draft.value = draftOf(loaded);
    } catch (error) {
      loadFailure.value = toFailure(error);
    }
  }

  async function save(): Promise<void> {
    const current = view.value;
    const result = parsed.value;
    if (current === undefined || !result.success) return;
    saving.value = true;
    saveFailure.value = undefined;
    savedPath.value = undefined;
    try {
      const saved = await api.call('policy.save', { policy: result.data as OrganisationPolicy, revision: current.revision });
      view.value = saved;
      draft.value = draftOf(saved);
      savedPath.value = saved.path;
    } catch (error) {
      saveFailure.value = toFailure(error);
    } finally {
      saving.value = false;
    }
  }

  function addRule(): void {
    draft.value.rules.push({ kind: 'name', value: '', allow: ['logs'] });
  }

  function removeRule(index: number): void {
    draft.value.rules.splice(index, 1);
  }

  function moveUp(index: number): void {
    if (index <= 0) return;
    const [rule] = draft.value.rules.splice(index, 1);
    if (rule !== undefined) draft.value.rules.splice(index - 1, 0, rule);
  }

  return { view, draft, loadFailure, saveFailure, saving, savedPath, problem, load, save, addRule, removeRule, moveUp };
}
