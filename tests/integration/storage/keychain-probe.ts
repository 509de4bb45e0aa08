// Child process for keychain.test.ts, started with no reachable Secret Service. It tries what
// the app would do when a user saves a credential, and prints what happened as JSON.
// The secret comes in through the environment (KIOPS_PROBE_SECRET) and must end up nowhere.
// Usage: node keychain-probe.ts <dataDir> <keychainService>
import { writeSync } from 'node:fs';
import { isAppError } from '../../../shared/errors.ts';
import { openAuditTrail } from '../../../electron/main/audit/audit-trail.ts';
import { KeychainSecretStore } from '../../../electron/main/secrets/keychain-secret-store.ts';
import { openDatabase } from '../../../electron/main/storage/database.ts';
import { SettingsRepository } from '../../../electron/main/storage/settings-repository.ts';

const [dataDir, service] = process.argv.slice(2);
const secret = process.env.KIOPS_PROBE_SECRET;
if (dataDir === undefined || service === undefined || secret === undefined) throw new Error('usage: KIOPS_PROBE_SECRET=… keychain-probe.ts <dataDir> <service>');

function outcome(error: unknown): { code: string; message: string } {
  return isAppError(error) ? { code: error.code, message: error.message } : { code: 'NOT_AN_APP_ERROR', message: String(error) };
}

async function attempt(action: () => Promise<unknown>): Promise<{ code: string; message: string } | 'succeeded'> {
  try {
    await action();
    return 'succeeded';
  } catch (error) {
    return outcome(error);
  }
}

const database = openDatabase(dataDir);
const settings = new SettingsRepository(database);
const secrets = new KeychainSecretStore({ service });
const trail = await openAuditTrail({ database, secrets, dataDir, actor: 'probe' });
const secretKey = 'environment/prod/kubeconfig-token';

// What saving an environment's credential looks like: the reference goes to SQLite, the value to the keychain.
settings.set('environment/prod/credential-ref', secretKey);
const report = {
  status: await secrets.status(),
  auditStatus: trail.status(),
  directSet: await attempt(() => secrets.set(secretKey, secret)),
  auditedSet: await attempt(() =>
    trail.audited({ action: 'environment.credentials-save', target: 'prod', environmentId: 'prod', details: { keys: [secretKey] } }, () =>
      secrets.set(secretKey, secret),
    ),
  ),
  get: await attempt(() => secrets.get(secretKey)),
  auditRows: trail.list().length,
};
database.close();
writeSync(1, `${JSON.stringify(report)}\n`);
