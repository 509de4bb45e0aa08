import { computed, onMounted, reactive, ref, watch } from 'vue';
import type { EngineCandidate } from '../../../shared/contract/environments.ts';
import { api } from '../api/client.ts';
import { useEnvironmentsStore } from '../stores/environments.ts';
import { useCall } from './use-call.ts';
import { useDockerContextSource } from './use-docker-context-source.ts';
import { newConnectionDraft, toPreferences } from './use-environment-connection.ts';

const defaultSockets = { docker: '/var/run/docker.sock', podman: '/run/podman/podman.sock' } as const;

/**
 * "Add Docker/Podman host": a local socket the app detected (each with whether it answered),
 * an engine socket on another host reached over SSH, or one of the Docker CLI's contexts.
 */
export function useEngineWizard(done: () => void) {
  const store = useEnvironmentsStore();
  const mode = ref<'local' | 'remote' | 'context'>('local');
  const form = reactive({
    name: '',
    engine: 'docker' as 'docker' | 'podman',
    socketPath: defaultSockets.docker as string,
    production: false,
    connection: newConnectionDraft('remote-engine'),
  });
  const candidate = ref<string>();

  const contextSource = useDockerContextSource();
  const detecting = useCall(() => api.call('environments.detectEngines', {}));
  const candidates = computed<EngineCandidate[]>(() => detecting.data.value?.candidates ?? []);
  onMounted(() => void detecting.run());

  function pick(socketPath: string): void {
    const found = candidates.value.find((c) => c.socketPath === socketPath);
    if (!found) return;
    candidate.value = socketPath;
    form.engine = found.engine;
    form.socketPath = found.socketPath;
    if (form.name.trim() === '') form.name = found.contextName ? `${found.engine} (${found.contextName})` : `local ${found.engine}`;
  }

  watch(mode, (now) => {
    if (now === 'context') contextSource.load();
  });
  watch(contextSource.chosen, (name) => {
    if (name && (form.name.trim() === '' || form.name.startsWith('docker ('))) form.name = `docker (${name})`;
  });

  watch(
    () => form.engine,
    (engine, before) => {
      if (mode.value === 'remote' && form.socketPath === defaultSockets[before]) form.socketPath = defaultSockets[engine];
    },
  );

  const adding = useCall(() =>
    mode.value === 'context'
      ? store.addDockerContext(contextSource.input(form.name.trim(), form.production))
      : store.addEngine({
          name: form.name.trim(),
          socketPath: form.socketPath.trim(),
          production: form.production,
          // A local socket is asked what it is by main; a remote one keeps this choice until its first connection answers.
          ...(mode.value === 'remote' ? { engine: form.engine, connection: toPreferences('remote-engine', form.connection) } : {}),
        }),
  );

  async function add(): Promise<void> {
    const added = await adding.run();
    if (added) done();
  }

  return {
    mode,
    form,
    contextSource,
    candidate,
    candidates,
    detecting: detecting.loading,
    detectFailure: detecting.failure,
    detect: () => void detecting.run(),
    pick,
    add,
    adding: adding.loading,
    addFailure: adding.failure,
  };
}
