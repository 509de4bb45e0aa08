import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createClient, type KiopsClient } from '../../../../shared/contract/client.ts';
import { createKiopsCore, type KiopsCore, type KiopsCoreOptions } from '../../../../electron/main/composition.ts';
import { createMemoryTransport } from '../../../../electron/main/ipc/memory-transport.ts';
import type { Router } from '../../../../electron/main/ipc/router.ts';

const sender = { transport: 'memory', origin: 'environments-test' } as const;

export interface TestCore {
  core: KiopsCore;
  client: KiopsClient;
  dataDir: string;
  /** Every IPC reply as JSON, and every log line, for the secret canary. */
  replies: string[];
  logs: string[];
  close(): Promise<void>;
}

/** The composition root as the renderer reaches it, with a private data folder and keychain service. */
export async function startTestCore(extra: Partial<KiopsCoreOptions> = {}): Promise<TestCore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiops-env-'));
  const logs: string[] = [];
  const replies: string[] = [];
  const core = await createKiopsCore({
    dataDir,
    shell: 'browser',
    version: 'test',
    keychainService: `kiops-env-test-${randomUUID()}`,
    probeTimeoutMs: 20_000,
    logger: { error: (message, error) => logs.push(`${message} ${error instanceof Error ? error.message : String(error)}`), warn: (message) => logs.push(message) },
    ...extra,
  });
  core.senderPolicy.allow((s) => s.origin === sender.origin);
  const recording: Router = {
    async invoke(name, payload, from) {
      const reply = await core.router.invoke(name, payload, from);
      replies.push(JSON.stringify(reply));
      return reply;
    },
    subscribe: (name, payload, from, sink) => core.router.subscribe(name, payload, from, sink),
  };
  return {
    core,
    client: createClient(createMemoryTransport(recording, sender)),
    dataDir,
    replies,
    logs,
    async close() {
      await core.close();
      for (const key of await core.secrets.list('').catch(() => [])) await core.secrets.delete(key).catch(() => false);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

