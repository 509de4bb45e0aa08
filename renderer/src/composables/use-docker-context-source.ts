import { computed, reactive, ref, watch } from 'vue';
import type { CallInput } from '../../../shared/contract/index.ts';
import type { DockerContextView } from '../../../shared/contract/environments.ts';
import { api } from '../api/client.ts';
import { useCall } from './use-call.ts';
import { problemText } from '../components/environments/problem-text.ts';

/**
 * "From a Docker context": the Docker CLI's contexts as main read them, the current one picked
 * first. An ssh:// context needs the SSH identity the app logs in with; plain tcp:// needs the
 * user's explicit acceptance. Main reads the context again on add: only its name travels.
 */
export function useDockerContextSource() {
  const listing = useCall(() => api.call('environments.dockerContexts', {}));
  const contexts = computed<DockerContextView[]>(() => listing.data.value?.contexts ?? []);
  const chosen = ref<string>();
  const form = reactive({ identityId: undefined as string | undefined, username: '', remoteSocketPath: '/var/run/docker.sock', acceptPlainTcp: false });
  const context = computed(() => contexts.value.find((c) => c.name === chosen.value));
  const endpoint = computed(() => context.value?.endpoint);
  const needsIdentity = computed(() => endpoint.value?.kind === 'ssh');
  const needsUsername = computed(() => endpoint.value?.kind === 'ssh' && !endpoint.value.username);
  const plainTcp = computed(() => endpoint.value?.kind === 'tcp' && !endpoint.value.tls);

  watch(contexts, (list) => {
    if (chosen.value === undefined) chosen.value = list.find((c) => c.current && c.endpoint)?.name;
  });
  watch(chosen, () => {
    form.acceptPlainTcp = false;
  });

  function input(name: string, production: boolean): CallInput<'environments.addDockerContext'> {
    return {
      contextName: chosen.value ?? '',
      name,
      production,
      ...(needsIdentity.value && form.identityId ? { identityId: form.identityId, remoteSocketPath: form.remoteSocketPath.trim() } : {}),
      ...(needsUsername.value && form.username.trim() ? { username: form.username.trim() } : {}),
      acceptPlainTcp: plainTcp.value && form.acceptPlainTcp,
    };
  }

  const ready = computed(() => endpoint.value !== undefined && (!needsIdentity.value || form.identityId !== undefined) && (!plainTcp.value || form.acceptPlainTcp));

  return {
    contexts,
    chosen,
    form,
    endpoint,
    needsIdentity,
    needsUsername,
    plainTcp,
    ready,
    selectedBy: computed(() => listing.data.value?.selectedBy),
    loading: listing.loading,
    failure: listing.failure,
    load: () => void listing.run(),
    choose: (name: string) => {
      chosen.value = name;
    },
    input,
  };
}

export type DockerContextSource = ReturnType<typeof useDockerContextSource>;

/** One line naming where a context points, e.g. "ssh://deploy@build:22" or "tcp://10.0.0.7:2376 (TLS)". */
export function endpointLabel(context: DockerContextView): string {
  const endpoint = context.endpoint;
  if (!endpoint) return problemText(context);
  if (endpoint.kind === 'unix') return `unix://${endpoint.socketPath}`;
  if (endpoint.kind === 'ssh') return `ssh://${endpoint.username ? `${endpoint.username}@` : ''}${endpoint.host}:${endpoint.port}`;
  return `tcp://${endpoint.host}:${endpoint.port}${endpoint.tls ? ' (TLS)' : ''}`;
}
