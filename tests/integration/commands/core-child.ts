/**
 * The app's core in a process of its own, for the kill -9 test: opens the core on the given
 * data folder and keychain service, starts one long command through the contract, and prints
 * `STARTED <seq>` once that command's "started" audit row is committed. The parent kills it.
 * Usage: node core-child.ts DATA_DIR KEYCHAIN_SERVICE SOCKET PROJECT LINE
 */
import { createKiopsCore } from '../../../electron/main/composition.ts';
import { createMemoryTransport } from '../../../electron/main/ipc/memory-transport.ts';
import { createClient } from '../../../shared/contract/client.ts';

const [dataDir = '', keychainService = '', socketPath = '', project = '', line = ''] = process.argv.slice(2);
const core = await createKiopsCore({ dataDir, shell: 'browser', version: 'test', keychainService, probeTimeoutMs: 3_000, logger: { error: () => {}, warn: () => {} } });
const sender = { transport: 'memory', origin: 'kill-test' } as const;
core.senderPolicy.allow((s) => s.origin === sender.origin);
const client = createClient(createMemoryTransport(core.router, sender));
const environmentId = (await client.call('environments.addEngine', { name: 'local docker', engine: 'docker', socketPath })).id;
void client.call('commands.run', { serviceId: `${environmentId}:compose:${project}`, line }).then(
  (result) => process.stdout.write(`ENDED ${JSON.stringify(result)}\n`),
  (error: unknown) => process.stdout.write(`FAILED ${String(error)}\n`),
);
for (;;) {
  const [row] = (await client.call('audit.list', { limit: 1, action: 'command.run', outcome: 'started' })).rows;
  if (row !== undefined) {
    process.stdout.write(`STARTED ${row.seq}\n`);
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 20));
}
