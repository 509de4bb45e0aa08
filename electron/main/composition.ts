import { AppError } from '../../shared/errors.ts';
import { createRouter, type Logger, type Router } from './ipc/router.ts';
import { SenderPolicy } from './ipc/sender-policy.ts';

export interface KiopsCoreOptions {
  dataDir: string;
  shell: 'electron' | 'browser';
  version: string;
  logger?: Logger;
}

export interface KiopsCore {
  router: Router;
  senderPolicy: SenderPolicy;
  close(): Promise<void>;
}

const consoleLogger: Logger = {
  error: (message, error) => console.error(`[kiops] ${message}`, error),
  warn: (message) => console.warn(`[kiops] ${message}`),
};

/** The composition root: builds every service with its ports, shared by Electron, browser mode and tests. */
export async function createKiopsCore(options: KiopsCoreOptions): Promise<KiopsCore> {
  const logger = options.logger ?? consoleLogger;
  const senderPolicy = new SenderPolicy();
  const notYet = () => {
    throw new AppError('UNAVAILABLE', 'The audit trail is not wired yet.');
  };
  const router = createRouter({
    isTrustedSender: (sender) => senderPolicy.isTrusted(sender),
    logger,
    calls: {
      'app.info': () => ({
        name: 'KIOPS Desktop',
        version: options.version,
        shell: options.shell,
        platform: process.platform,
        keychain: { available: false, reason: 'not wired yet' },
        audit: { available: false, reason: 'not wired yet' },
      }),
      'audit.list': notYet,
      'audit.verify': notYet,
      'audit.export': notYet,
    },
    streams: {
      'audit.appended': async () => notYet(),
    },
  });
  return { router, senderPolicy, close: async () => {} };
}
