import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { CallInput } from '../../../shared/contract/index.ts';
import type { ConnectionTest, EnvironmentView, SshIdentityView, VpnProfileView } from '../../../shared/contract/environments.ts';
import { api } from '../api/client.ts';
import { useCall } from '../composables/use-call.ts';
import { toFailure, type Failure } from '../shell/failure.ts';

/** A connection test as a row shows it: running, what the app found, or a call that failed. */
export type TestOutcome = { state: 'testing' } | ConnectionTest | { state: 'failed'; failure: Failure };

/**
 * The Runtime Environments domain: environments, SSH identities and VPN profiles as main
 * lists them (metadata only, secrets never come back), plus the last connection test per
 * environment. Mutations throw their ApiError so the form that asked can show it in place;
 * after each one the affected list is read again rather than patched, so the page always
 * shows what main stored.
 */
export const useEnvironmentsStore = defineStore('environments', () => {
  const environments = shallowRef<EnvironmentView[]>([]);
  const identities = shallowRef<SshIdentityView[]>([]);
  const vpnProfiles = shallowRef<VpnProfileView[]>([]);
  const tests = shallowRef<ReadonlyMap<string, TestOutcome>>(new Map());

  const listing = useCall(() => Promise.all([api.call('environments.list', {}), api.call('sshIdentities.list', {}), api.call('vpnProfiles.list', {})]));

  async function load(): Promise<void> {
    const result = await listing.run();
    if (!result) return;
    const [envs, ids, vpns] = result;
    adopt(envs.environments);
    identities.value = ids.identities;
    vpnProfiles.value = vpns.profiles;
  }

  async function reloadEnvironments(): Promise<void> {
    adopt((await api.call('environments.list', {})).environments);
  }

  /** The listed environments; a row not tested in this session shows the test main kept. */
  function adopt(envs: EnvironmentView[]): void {
    environments.value = envs;
    const kept = envs.filter((env) => env.lastTest !== undefined && !tests.value.has(env.id));
    if (kept.length === 0) return;
    const next = new Map(tests.value);
    for (const env of kept) if (env.lastTest) next.set(env.id, env.lastTest.result);
    tests.value = next;
  }

  async function reloadIdentities(): Promise<void> {
    identities.value = (await api.call('sshIdentities.list', {})).identities;
  }

  async function reloadVpnProfiles(): Promise<void> {
    vpnProfiles.value = (await api.call('vpnProfiles.list', {})).profiles;
  }

  function setTest(id: string, outcome: TestOutcome | undefined): void {
    const next = new Map(tests.value);
    if (outcome === undefined) next.delete(id);
    else next.set(id, outcome);
    tests.value = next;
  }

  /** Tests one environment; the outcome is kept for its row and returned. */
  async function test(id: string): Promise<TestOutcome> {
    setTest(id, { state: 'testing' });
    let outcome: TestOutcome;
    try {
      outcome = await api.call('environments.testConnection', { id });
      // The engine's API may have answered as another kind than registered: show what it is.
      const engineKind = outcome.state === 'connected' ? outcome.details.engineKind : undefined;
      if (engineKind && environments.value.find((env) => env.id === id)?.kind !== engineKind) await reloadEnvironments();
    } catch (error) {
      outcome = { state: 'failed', failure: toFailure(error) };
    }
    setTest(id, outcome);
    return outcome;
  }

  async function trustHostKey(environmentId: string, fingerprint: string, hostPort?: string): Promise<void> {
    await api.call('hostKeys.trust', { environmentId, fingerprint, ...(hostPort ? { hostPort } : {}) });
  }

  async function addKubernetes(input: CallInput<'environments.addKubernetes'>): Promise<EnvironmentView[]> {
    const added = await api.call('environments.addKubernetes', input);
    await reloadEnvironments();
    return added.environments;
  }

  async function addEngine(input: CallInput<'environments.addEngine'>): Promise<EnvironmentView> {
    const added = await api.call('environments.addEngine', input);
    await reloadEnvironments();
    return added;
  }

  async function addDockerContext(input: CallInput<'environments.addDockerContext'>): Promise<EnvironmentView> {
    const added = await api.call('environments.addDockerContext', input);
    await reloadEnvironments();
    return added;
  }

  async function update(input: CallInput<'environments.update'>): Promise<EnvironmentView> {
    const updated = await api.call('environments.update', input);
    // A new way in makes the old test meaningless: test again, so the tag shows the method in use.
    if (input.connection === undefined) {
      await reloadEnvironments();
    } else {
      setTest(input.id, undefined);
      await reloadEnvironments();
      void test(input.id);
    }
    return updated;
  }

  /** Reads the environment's kubeconfig files again; main keeps its id, settings and history. */
  async function reimportKubeconfig(id: string): Promise<EnvironmentView> {
    const reimported = await api.call('environments.reimportKubeconfig', { id });
    setTest(id, undefined);
    await reloadEnvironments();
    return reimported;
  }

  async function remove(id: string): Promise<number> {
    const removed = await api.call('environments.remove', { id });
    setTest(id, undefined);
    await reloadEnvironments();
    return removed.secretsDeleted;
  }

  async function addIdentity(input: CallInput<'sshIdentities.add'>): Promise<SshIdentityView> {
    const added = await api.call('sshIdentities.add', input);
    await reloadIdentities();
    return added;
  }

  async function removeIdentity(id: string): Promise<void> {
    await api.call('sshIdentities.remove', { id });
    await reloadIdentities();
  }

  async function addVpnProfile(input: CallInput<'vpnProfiles.add'>): Promise<VpnProfileView> {
    const added = await api.call('vpnProfiles.add', input);
    await reloadVpnProfiles();
    return added;
  }

  async function removeVpnProfile(id: string): Promise<void> {
    await api.call('vpnProfiles.remove', { id });
    await reloadVpnProfiles();
  }

  /**
   * After a method change elsewhere (the method dialog), the row shows the new preferences and,
   * once tested again, the method actually in use rather than a bare "Auto".
   */
  async function methodChanged(environmentId: string): Promise<void> {
    await reloadEnvironments();
    void test(environmentId);
  }

  return {
    environments,
    identities,
    vpnProfiles,
    tests,
    loading: listing.loading,
    loadFailure: listing.failure,
    loaded: computed(() => listing.data.value !== undefined),
    load,
    test,
    trustHostKey,
    addKubernetes,
    addEngine,
    addDockerContext,
    update,
    reimportKubeconfig,
    remove,
    addIdentity,
    removeIdentity,
    addVpnProfile,
    removeVpnProfile,
    methodChanged,
  };
});
