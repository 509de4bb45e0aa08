import type { AppInfo, WindowTheme } from '../../shared/contract/app.ts';
import { isAppError } from '../../shared/errors.ts';
import { homedir, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { openAuditTrail, type AuditTrail } from './audit/audit-trail.ts';
import { createCatalogModule, type CatalogModule } from './catalog/catalog-module.ts';
import { unavailableVpnGateway, type VpnGateway } from './connections/vpn-gateway.ts';
import { createPrivilegedLauncher, type LauncherKind } from './connections/vpn/privileged-launcher.ts';
import { VpnManager } from './connections/vpn/vpn-manager.ts';
import type { HostEnvironment } from './environments/local-engine-detection.ts';
import { createRuntimeEnvironments } from './environments/runtime-environments.ts';
import { EnvironmentRepository } from './environments/environment-repository.ts';
import { sweepLeftoverCredentials } from './environments/leftover-credentials.ts';
import type { RuntimeAccess } from './connections/runtime-access.ts';
import { createRouter, type Logger, type Router } from './ipc/router.ts';
import { SenderPolicy } from './ipc/sender-policy.ts';
import { defaultKeychainService, KeychainSecretStore } from './secrets/keychain-secret-store.ts';
import type { SecretStore } from './secrets/secret-store.ts';
import { PassphraseVault, vaultFileName } from './secrets/passphrase-vault.ts';
import { SecretStoreChoice } from './secrets/secret-store-choice.ts';
import { appInfoHandlers, appInfoReader, windowThemeHandlers, type AppIdentity } from './services/app-info-service.ts';
import { OpeningRead } from './services/opening-read.ts';
import { AuditFeed, auditLogHandlers } from './services/audit-log-service.ts';
import { openDatabase } from './storage/database.ts';
import { engineDomainHandlers } from './operations/handlers/engine-domain-handlers.ts';
import { createOperationsTabsModule } from './operations/handlers/operations-tabs-module.ts';
import { deploymentHandlers } from './operations/handlers/deployments-handlers.ts';
import { scalingHandlers } from './operations/handlers/scaling-handlers.ts';
import { configDomainHandlers } from './operations/handlers/config-domains-handlers.ts';
import { changeHandlers } from './operations/handlers/changes-handlers.ts';
import { createLogsHandlers } from './logs/logs-module.ts';
import { createCommandsModule } from './commands/handlers/commands-module.ts';
import type { OneShotLimits, SpawnProcess, StreamLimits } from './commands/process-runner.ts';
import { createSecurityModule } from './security/security-module.ts';
import type { ScanBounds } from './security/scanner.ts';
import { guardedCalls } from './permissions/production-confirmation.ts';
import { policyEditorHandlers } from './permissions/policy-editor.ts';

export interface KiopsCoreOptions {
  dataDir: string;
  shell: 'electron' | 'browser';
  version: string;
  logger?: Logger;
  /** Electron: hands the renderer's theme choice to nativeTheme (title bar, menus). */
  setWindowTheme?: (theme: WindowTheme) => void;
  /** The keychain service name; tests use their own so they never touch the user's entries. */
  keychainService?: string;
  /** Only for tests of code paths that need no real keychain: stands in for the OS keychain (the vault still works). */
  secrets?: SecretStore;
  /** The user's environment variables and home (engine detection, ssh-agent, KUBECONFIG); default: this process's. */
  host?: HostEnvironment;
  /** How VPN programs get their privileges; default `direct` when running as root, else `pkexec`. */
  vpnLauncher?: LauncherKind;
  /** How long a VPN tunnel may take to come up before it fails (default 30 s); tests shorten it. */
  vpnUpTimeoutMs?: number;
  /** How long each connection method's health probe may take (default 8 s), and asking a local engine socket what it is (default 3 s). */
  probeTimeoutMs?: number;
  /** How long one environment's service discovery may take before it shows as an error (default 10 s). */
  discoveryTimeoutMs?: number;
  /** Caddy admin addresses tried for Docker/Podman Domain Settings on this machine (default 127.0.0.1:2019). */
  caddyAdminUrls?: readonly string[];
  /** The same for an engine reached over SSH, as the SSH host sees them (default its 127.0.0.1:2019). */
  remoteCaddyAdminUrls?: readonly string[];
  /** The Container List's auto-refresh period (default the spec's 30 s); tests shorten it. */
  containerRefreshMs?: number;
  /** The Pod List watch's server-side timeoutSeconds (default 300); tests shorten it to see it resume. */
  podWatchTimeoutSeconds?: number;
  /** How long a service's pod watch stays open once nothing uses it (default 30 s); tests shorten it to see it end. */
  podWatchLingerMs?: number;
  /** Command Execution: tests count spawns and shorten the one-shot/streaming limits. */
  commands?: { spawnProcess?: SpawnProcess; oneShotLimits?: Partial<OneShotLimits>; streamLimits?: Partial<StreamLimits>; sessionsDir?: string };
  /** Security Analysis: tests shorten the DAST scan's per-request timeout and total deadline. */
  securityScanBounds?: Partial<Omit<ScanBounds, 'maxRequests'>>;
}

export interface KiopsCore {
  router: Router;
  senderPolicy: SenderPolicy;
  audit: AuditTrail;
  /** The OS keychain, the passphrase vault, or neither yet (first run), chosen at start. */
  secrets: SecretStoreChoice;
  /** Ready Kubernetes/engine clients per environment, through its chosen connection method. */
  runtime: RuntimeAccess;
  /** Operations tabs call `requirePermission(serviceId, permission)` before acting. */
  operationsFrame: CatalogModule['frame'];
  /**
   * A window is opening (Electron created it, or a browser-mode tab connected with the token):
   * its first screen is Service Management, so its list is read now, while the window loads.
   */
  windowOpening(): void;
  close(): Promise<void>;
}

const consoleLogger: Logger = {
  error: (message, error) => console.error(`[kiops] ${message}`, error instanceof Error ? error.message : ''),
  warn: (message) => console.warn(`[kiops] ${message}`),
};

/**
 * The composition root: builds every service with its ports. Electron, browser mode and the
 * tests all start the app through here, so they run the same code.
 */
export async function createKiopsCore(options: KiopsCoreOptions): Promise<KiopsCore> {
  const logger = options.logger ?? consoleLogger;
  // kubeconfigs and VPN profiles a crashed run left in the temp folder still hold credentials
  await sweepLeftoverCredentials(tmpdir());
  const database = openDatabase(options.dataDir);
  const keychain = options.secrets ?? new KeychainSecretStore({ service: options.keychainService ?? defaultKeychainService });
  const secrets = await SecretStoreChoice.choose(keychain, new PassphraseVault(join(options.dataDir, vaultFileName)));
  const feed = new AuditFeed();
  const audit = await openAuditTrail({
    database,
    secrets,
    dataDir: options.dataDir,
    actor: userInfo().username,
    sinks: [feed],
    onProblem: (where, error) => logger.warn(`audit: ${where}: ${error instanceof Error ? error.message : String(error)}`),
  });

  const environments = createRuntimeEnvironments({
    db: database,
    secrets,
    trail: audit,
    vpn: createVpnGateway(secrets, options.vpnLauncher, options.vpnUpTimeoutMs),
    host: options.host ?? { env: process.env, homeDir: homedir(), ...(process.getuid ? { uid: process.getuid() } : {}) },
    ...(options.probeTimeoutMs ? { probeTimeoutMs: options.probeTimeoutMs } : {}),
  });

  const catalog = createCatalogModule({
    db: database,
    runtime: environments.runtime,
    trail: audit,
    dataDir: options.dataDir,
    ...(options.discoveryTimeoutMs ? { discoveryTimeoutMs: options.discoveryTimeoutMs } : {}),
  });

  const tabs = createOperationsTabsModule({
    catalog: catalog.catalog,
    runtime: environments.runtime,
    frame: catalog.frame,
    trail: audit,
    ...(options.containerRefreshMs ? { containerRefreshMs: options.containerRefreshMs } : {}),
    ...(options.podWatchTimeoutSeconds ? { podWatchTimeoutSeconds: options.podWatchTimeoutSeconds } : {}),
    ...(options.podWatchLingerMs === undefined ? {} : { podWatchLingerMs: options.podWatchLingerMs }),
  });

  const commands = createCommandsModule({
    catalog: catalog.catalog,
    runtime: environments.runtime,
    frame: catalog.frame,
    trail: audit,
    operatorId: userInfo().username,
    sessionsDir: join(options.dataDir, 'stream-sessions'),
    ...options.commands,
  });

  const security = createSecurityModule({ db: database, trail: audit, ...(options.securityScanBounds ? { bounds: options.securityScanBounds } : {}) });

  const identity: AppIdentity = { version: options.version, shell: options.shell, platform: process.platform };
  const readAppInfo = appInfoReader(identity, secrets, audit);
  // the app's state read as a window opens, taken by its first app.info (OpeningRead)
  const appInfoOpening = new OpeningRead<AppInfo>();

  const senderPolicy = new SenderPolicy();
  const environmentNames = new EnvironmentRepository(database);
  const { 'audit.appended': auditAppended, ...auditCalls } = auditLogHandlers(audit, feed, { environments: () => environmentNames.list() });
  const router = createRouter({
    isTrustedSender: (sender) => senderPolicy.isTrusted(sender),
    logger,
    aroundCall: guardedCalls(audit, catalog.catalog),
    calls: {
      ...appInfoHandlers(identity, secrets, audit, appInfoOpening),
      ...windowThemeHandlers(options.setWindowTheme),
      ...auditCalls,
      ...environments.handlers,
      ...catalog.handlers,
      ...tabs.calls,
      ...deploymentHandlers({ catalog: catalog.catalog, runtime: environments.runtime, frame: catalog.frame, trail: audit, operator: userInfo().username, db: database }),
      ...scalingHandlers({ catalog: catalog.catalog, runtime: environments.runtime, frame: catalog.frame, trail: audit }),
      ...changeHandlers({ catalog: catalog.catalog, runtime: environments.runtime, frame: catalog.frame, trail: audit, operator: userInfo().username, db: database, domains: { trail: audit, sshSocksUrl: (id) => environments.runtime.hostSocksUrl(id), caddyAdminUrls: options.caddyAdminUrls, remoteCaddyAdminUrls: options.remoteCaddyAdminUrls } }),
      ...commands.calls,
      ...createLogsHandlers({ catalog: catalog.catalog, runtime: environments.runtime, frame: catalog.frame, trail: audit }),
      ...configDomainHandlers({ catalog: catalog.catalog, runtime: environments.runtime, frame: catalog.frame, trail: audit }),
      ...engineDomainHandlers({ catalog: catalog.catalog, runtime: environments.runtime, frame: catalog.frame, trail: audit, sshSocksUrl: (id) => environments.runtime.hostSocksUrl(id), caddyAdminUrls: options.caddyAdminUrls, remoteCaddyAdminUrls: options.remoteCaddyAdminUrls }),
      ...security.calls,
      ...policyEditorHandlers(join(options.dataDir, 'organisation-policy.yaml'), audit),
    },
    streams: {
      'audit.appended': auditAppended,
      ...environments.streams,
      ...tabs.streams,
      ...commands.streams,
      ...security.streams,
    },
  });

  return {
    router,
    senderPolicy,
    audit,
    secrets,
    runtime: environments.runtime,
    operationsFrame: catalog.frame,
    windowOpening: () => {
      appInfoOpening.start(readAppInfo);
      catalog.catalog.warm();
    },
    async close() {
      // Watches first (they hold cluster and engine connections), then SSH clients, SOCKS
      // listeners and VPN tunnels: they may still be using credentials.
      commands.close();
      await tabs.close();
      await environments.close();
      database.close();
      secrets.lock();
    },
  };
}

function createVpnGateway(secrets: SecretStore, launcher: LauncherKind | undefined, upTimeoutMs: number | undefined): VpnGateway {
  try {
    const kind = launcher ?? (process.getuid?.() === 0 ? 'direct' : 'pkexec');
    return new VpnManager({ secrets, launcher: createPrivilegedLauncher({ kind }), ...(upTimeoutMs === undefined ? {} : { upTimeoutMs }) });
  } catch (error) {
    return unavailableVpnGateway(isAppError(error) ? error : error instanceof Error ? error.message : 'VPN connections are not available on this computer.');
  }
}
