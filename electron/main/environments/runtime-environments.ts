import type { AuditDetails } from '../audit/audit-row.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import { isAppError } from '../../../shared/errors.ts';
import { userInfo } from 'node:os';
import { connectionHandlers } from '../connections/connection-handlers.ts';
import { hostKeyHandlers } from '../connections/host-key-handlers.ts';
import { ConnectionResolver } from '../connections/connection-resolver.ts';
import { ConnectionTester } from '../connections/connection-tester.ts';
import { FirstOpenFlags } from '../connections/first-open-flags.ts';
import { LastTests } from '../connections/last-tests.ts';
import { SqliteHostKeyStore } from '../connections/host-keys/sqlite-host-key-store.ts';
import { MethodProbes } from '../connections/method-probes.ts';
import { RuntimeAccess } from '../connections/runtime-access.ts';
import { SshPools } from '../connections/ssh-pools.ts';
import type { VpnGateway } from '../connections/vpn-gateway.ts';
import type { CallHandlers, StreamHandlers } from '../ipc/router.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { AppDatabase } from '../storage/database.ts';
import { SettingsRepository } from '../storage/settings-repository.ts';
import { DockerContextEnvironments } from './docker-context-environments.ts';
import { DockerContextReader } from './docker-contexts.ts';
import { EngineEnvironmentService } from './engine-environment-service.ts';
import { captureLoginEnvironment } from './kubeconfig/login-environment.ts';
import { EnvironmentCatalog } from './environment-catalog.ts';
import { environmentHandlers } from './environment-handlers.ts';
import { EnvironmentRepository } from './environment-repository.ts';
import { KubeconfigChanges } from './kubeconfig-changes.ts';
import { KubernetesEnvironmentService } from './kubernetes-environment-service.ts';
import { LocalEngineDetection, type HostEnvironment } from './local-engine-detection.ts';
import { SshIdentityService } from './ssh-identity-service.ts';
import { VpnProfileService } from './vpn-profile-service.ts';

export interface RuntimeEnvironmentsOptions {
  readonly db: AppDatabase;
  readonly secrets: SecretStore;
  readonly trail: AuditTrail;
  readonly vpn: VpnGateway;
  /** The user's environment and home folder (detection, ssh-agent, KUBECONFIG lists). */
  readonly host: HostEnvironment;
  /** How long each method's health probe may take (default 8 s), and asking a local engine socket what it is (default 3 s). */
  readonly probeTimeoutMs?: number;
}

export interface RuntimeEnvironments {
  readonly handlers: ReturnType<typeof environmentHandlers> & ReturnType<typeof connectionHandlers> & ReturnType<typeof hostKeyHandlers>;
  readonly streams: Pick<StreamHandlers, 'environments.kubeconfigChanges'>;
  /** Ready clients for later features (pods, containers, logs, commands). */
  readonly runtime: RuntimeAccess;
  close(): Promise<void>;
}

/** Builds the environments and connections graph from its ports; the composition root owns the ports. */
export function createRuntimeEnvironments(options: RuntimeEnvironmentsOptions): RuntimeEnvironments {
  const { db, secrets, trail, vpn, host } = options;
  const repository = new EnvironmentRepository(db);
  const hostKeys = new SqliteHostKeyStore(db);
  const identities = new SshIdentityService({ db, secrets, trail, env: host.env });
  const vpnProfiles = new VpnProfileService({ db, secrets, trail, vpn });
  const references = {
    identityExists: (id: string) => identities.list().some((identity) => identity.id === id),
    vpnProfileExists: (id: string) => vpnProfiles.list().some((profile) => profile.id === id),
  };
  const ssh = new SshPools({ identities, hostKeys, onHostKeyRefused: (error) => auditHostKeyRefusal(trail, error) });
  const resolver = new ConnectionResolver(new MethodProbes({ ssh, vpn, ...(options.probeTimeoutMs ? { timeoutMs: options.probeTimeoutMs } : {}) }));
  // Credential plugins need the login shell's PATH and the cloud variables: asked once, now, with a deadline.
  const runtime = new RuntimeAccess({ environments: repository, secrets, resolver, ssh, login: captureLoginEnvironment(host.env) });
  const flags = new FirstOpenFlags(new SettingsRepository(db));
  const lastTests = new LastTests(new SettingsRepository(db));
  const engines = new EngineEnvironmentService({ repository, trail, references, ...(options.probeTimeoutMs ? { probeTimeoutMs: options.probeTimeoutMs } : {}) });
  runtime.onEngineKind((env, detected) => engines.engineAnswered(env, detected));
  // Imported kubeconfig files are watched from the start: a file changed while the app was closed shows too.
  const kubeconfigChanges = new KubeconfigChanges({ repository, secrets, homeDir: host.homeDir });
  void kubeconfigChanges.refresh();
  const catalog = new EnvironmentCatalog({
    repository,
    secrets,
    trail,
    references,
    listener: {
      environmentChanged: async (before) => {
        await runtime.release(before);
        await kubeconfigChanges.refresh();
      },
      environmentRemoved: async (before) => {
        flags.forget(before.id);
        lastTests.forget(before.id);
        await runtime.release(before);
        await kubeconfigChanges.refresh();
      },
    },
  });
  const kubernetes = new KubernetesEnvironmentService({
    repository,
    secrets,
    trail,
    references,
    homeDir: host.homeDir,
    env: host.env,
    onChanged: async (before) => {
      if (before) await runtime.release(before);
      await kubeconfigChanges.refresh();
    },
  });
  const handlers: Pick<CallHandlers, keyof RuntimeEnvironments['handlers']> = {
    ...environmentHandlers({
      repository,
      catalog,
      kubernetes,
      engines,
      dockerContexts: new DockerContextEnvironments({ reader: new DockerContextReader(host), repository, secrets, trail, references, ...(options.probeTimeoutMs ? { probeTimeoutMs: options.probeTimeoutMs } : {}) }),
      detection: new LocalEngineDetection(host, options.probeTimeoutMs),
      identities,
      vpnProfiles,
      tester: new ConnectionTester(runtime, resolver),
      lastTests,
    }),
    ...connectionHandlers({ repository, resolver, runtime, flags, hostKeys, ssh, trail, references }),
    ...hostKeyHandlers({ repository, runtime, hostKeys, ssh, trail, homeDir: host.homeDir, localUser: host.env.USER ?? userInfo().username }),
  };
  return {
    handlers,
    streams: {
      'environments.kubeconfigChanges': (_input, { emit, signal }) =>
        new Promise<void>((resolve) => {
          const stop = kubeconfigChanges.listen((changes) => emit({ changes }));
          signal.addEventListener('abort', () => {
            stop();
            resolve();
          });
        }),
    },
    runtime,
    async close() {
      kubeconfigChanges.close();
      await runtime.close();
      await ssh.close();
      await vpn.tearDownAll();
      vpn.dispose();
    },
  };
}

/**
 * A changed host key is a possible interception: each refused connection gets a row. (An unknown
 * host is not a mismatch: the user is asked to confirm it, and that confirmation is audited.)
 */
function auditHostKeyRefusal(trail: AuditTrail, error: unknown): void {
  if (!isAppError(error) || error.code !== 'HOST_KEY_CHANGED') return;
  const facts = error.details ?? {};
  const hostPort = typeof facts.hostPort === 'string' ? facts.hostPort : 'unknown host';
  const details: AuditDetails = {};
  for (const name of ['previousFingerprint', 'presentedFingerprint', 'keyType'] as const) {
    const value = facts[name];
    if (typeof value === 'string') details[name] = value;
  }
  trail.refused({ action: 'host-key.mismatch', target: hostPort, details }, error).catch(() => {
    // the trail reports its own problems; the connection is refused either way
  });
}
