import type { CallHandlers } from '../ipc/router.ts';
import type { ConnectionTester } from '../connections/connection-tester.ts';
import type { LastTests } from '../connections/last-tests.ts';
import type { DockerContextEnvironments } from './docker-context-environments.ts';
import type { EngineEnvironmentService } from './engine-environment-service.ts';
import type { EnvironmentCatalog } from './environment-catalog.ts';
import type { EnvironmentRepository } from './environment-repository.ts';
import type { KubernetesEnvironmentService } from './kubernetes-environment-service.ts';
import type { LocalEngineDetection } from './local-engine-detection.ts';
import type { SshIdentityService } from './ssh-identity-service.ts';
import type { VpnProfileService } from './vpn-profile-service.ts';

export interface EnvironmentServices {
  readonly repository: EnvironmentRepository;
  readonly catalog: EnvironmentCatalog;
  readonly kubernetes: KubernetesEnvironmentService;
  readonly engines: EngineEnvironmentService;
  readonly dockerContexts: DockerContextEnvironments;
  readonly detection: LocalEngineDetection;
  readonly identities: SshIdentityService;
  readonly vpnProfiles: VpnProfileService;
  readonly tester: ConnectionTester;
  readonly lastTests: LastTests;
}

type EnvironmentCalls = Pick<
  CallHandlers,
  | 'environments.list'
  | 'environments.detectEngines'
  | 'environments.previewKubeconfig'
  | 'environments.discoverKubeconfig'
  | 'environments.reimportKubeconfig'
  | 'environments.addKubernetes'
  | 'environments.addEngine'
  | 'environments.dockerContexts'
  | 'environments.addDockerContext'
  | 'environments.update'
  | 'environments.remove'
  | 'environments.testConnection'
  | 'sshIdentities.list'
  | 'sshIdentities.add'
  | 'sshIdentities.remove'
  | 'vpnProfiles.list'
  | 'vpnProfiles.add'
  | 'vpnProfiles.remove'
>;

/** The Runtime Environments page's calls, mapped onto the services. */
export function environmentHandlers(s: EnvironmentServices): EnvironmentCalls {
  const names = (envs: ReadonlyArray<{ name: string }>) => envs.map((e) => `"${e.name}"`);
  return {
    'environments.list': () => ({
      environments: s.catalog.list().map((view) => {
        const lastTest = s.lastTests.get(view.id);
        return lastTest ? { ...view, lastTest } : view;
      }),
    }),
    'environments.detectEngines': async () => {
      const added = new Set(s.repository.list().flatMap((env) => (env.target.kind === 'engine' && !env.access.ssh ? [env.target.socketPath] : [])));
      return { candidates: await s.detection.detect(added) };
    },
    'environments.previewKubeconfig': ({ source }) => s.kubernetes.preview(source),
    'environments.discoverKubeconfig': () => s.kubernetes.discover(),
    'environments.reimportKubeconfig': ({ id }) => s.kubernetes.reimport(id),
    'environments.addKubernetes': async (input) => ({ environments: await s.kubernetes.add(input) }),
    'environments.addEngine': (input) => s.engines.add(input),
    'environments.dockerContexts': () => s.dockerContexts.list(),
    'environments.addDockerContext': (input) => s.dockerContexts.add(input),
    'environments.update': (input) => s.catalog.update(input),
    'environments.remove': async ({ id }) => ({ removed: true, secretsDeleted: await s.catalog.remove(id) }),
    'environments.testConnection': async ({ id }) => {
      const result = await s.tester.test(s.repository.get(id));
      s.lastTests.record(id, result);
      return result;
    },
    'sshIdentities.list': () => ({ identities: s.identities.list() }),
    'sshIdentities.add': (input) => s.identities.add(input),
    'sshIdentities.remove': async ({ id }) => ({ removed: true, secretsDeleted: await s.identities.remove(id, names(s.repository.usersOf({ identityId: id }))) }),
    'vpnProfiles.list': () => ({ profiles: s.vpnProfiles.list() }),
    'vpnProfiles.add': ({ name, profile }) => s.vpnProfiles.add(name, profile),
    'vpnProfiles.remove': async ({ id }) => ({ removed: true, secretsDeleted: await s.vpnProfiles.remove(id, names(s.repository.usersOf({ vpnProfileId: id }))) }),
  };
}
