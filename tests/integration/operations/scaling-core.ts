import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKiopsCore } from '../../../electron/main/composition.ts';
import { createMemoryTransport } from '../../../electron/main/ipc/memory-transport.ts';
import { createClient } from '../../../shared/contract/client.ts';
import type { TabsCore } from './tabs-support.ts';

/** The composition root over a fresh data folder whose organisation policy allows management everywhere (unless given another). */
export async function startScalingTestCore(policyYaml = 'version: 1\ndefault: [logs, commands, management]\n'): Promise<TabsCore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiops-scaling-core-'));
  writeFileSync(join(dataDir, 'organisation-policy.yaml'), policyYaml);
  const core = await createKiopsCore({ dataDir, shell: 'browser', version: 'test', keychainService: `kiops-scaling-core-${randomUUID()}`, probeTimeoutMs: 3_000, logger: { error: () => {}, warn: () => {} } });
  const sender = { transport: 'memory', origin: 'scaling-core-test' } as const;
  core.senderPolicy.allow((candidate) => candidate.origin === sender.origin);
  return {
    core,
    client: createClient(createMemoryTransport(core.router, sender)),
    async close() {
      for (const key of await core.secrets.list('').catch(() => [])) await core.secrets.delete(key).catch(() => false);
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
