// Child process for audit-crash.test.ts: records audit rows as fast as it can and prints
// "ack <seq>" only after recordDurably() has resolved, until the test kill -9s it.
// Usage: node audit-writer.ts <dataDir> <keychainService>
import { writeSync } from 'node:fs';
import { openAuditTrail } from '../../../electron/main/audit/audit-trail.ts';
import { KeychainSecretStore } from '../../../electron/main/secrets/keychain-secret-store.ts';
import { openDatabase } from '../../../electron/main/storage/database.ts';

const [dataDir, service] = process.argv.slice(2);
if (dataDir === undefined || service === undefined) throw new Error('usage: audit-writer.ts <dataDir> <keychainService>');

const database = openDatabase(dataDir);
const trail = await openAuditTrail({ database, secrets: new KeychainSecretStore({ service }), dataDir, actor: 'crash-writer' });
const status = trail.status();
if (!status.writable) {
  writeSync(2, `not writable: ${status.reason}\n`);
  process.exit(2);
}
writeSync(1, 'ready\n');
// Rows arrive together (16 in flight), so they share head writes (group commit). A row is
// acknowledged only when recordDurably() resolves: committed and covered by both anchors.
let index = 0;
async function lane(): Promise<void> {
  for (;;) {
    index += 1;
    const row = await trail.recordDurably({
      action: 'deployment.scale',
      target: `crash/payments/deployment/api-${index % 7}`,
      outcome: index % 5 === 0 ? 'failure' : 'success',
      environmentId: 'crash',
      details: { replicas: index % 10, pid: process.pid },
    });
    // Synchronous write: the parent may only see an ack for a row that is anchored.
    writeSync(1, `ack ${row.seq}\n`);
  }
}
await Promise.all(Array.from({ length: 16 }, () => lane()));
