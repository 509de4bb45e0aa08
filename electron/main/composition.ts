import { userInfo } from 'node:os';
import { openAuditTrail, type AuditTrail } from './audit/audit-trail.ts';
import { createRouter, type Logger, type Router } from './ipc/router.ts';
import { SenderPolicy } from './ipc/sender-policy.ts';
import { defaultKeychainService, KeychainSecretStore } from './secrets/keychain-secret-store.ts';
import type { SecretStore } from './secrets/secret-store.ts';
import { appInfoHandlers } from './services/app-info-service.ts';
import { AuditFeed, auditLogHandlers } from './services/audit-log-service.ts';
import { openDatabase } from './storage/database.ts';

export interface KiopsCoreOptions {
  dataDir: string;
  shell: 'electron' | 'browser';
  version: string;
  logger?: Logger;
  /** The keychain service name; tests use their own so they never touch the user's entries. */
  keychainService?: string;
  /** Only for tests of code paths that need no real keychain. */
  secrets?: SecretStore;
}

export interface KiopsCore {
  router: Router;
  senderPolicy: SenderPolicy;
  audit: AuditTrail;
  secrets: SecretStore;
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
  const database = openDatabase(options.dataDir);
  const secrets = options.secrets ?? new KeychainSecretStore({ service: options.keychainService ?? defaultKeychainService });
  const feed = new AuditFeed();
  const audit = await openAuditTrail({
    database,
    secrets,
    dataDir: options.dataDir,
    actor: userInfo().username,
    sinks: [feed],
    onProblem: (where, error) => logger.warn(`audit: ${where}: ${error instanceof Error ? error.message : String(error)}`),
  });

  const senderPolicy = new SenderPolicy();
  const { 'audit.appended': auditAppended, ...auditCalls } = auditLogHandlers(audit, feed);
  const router = createRouter({
    isTrustedSender: (sender) => senderPolicy.isTrusted(sender),
    logger,
    calls: {
      ...appInfoHandlers({ version: options.version, shell: options.shell, platform: process.platform }, secrets, audit),
      ...auditCalls,
    },
    streams: {
      'audit.appended': auditAppended,
    },
  });

  return {
    router,
    senderPolicy,
    audit,
    secrets,
    async close() {
      database.close();
    },
  };
}
