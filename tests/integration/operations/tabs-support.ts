import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKiopsCore, type KiopsCore } from '../../../electron/main/composition.ts';
import { createMemoryTransport } from '../../../electron/main/ipc/memory-transport.ts';
import { createClient, type KiopsClient } from '../../../shared/contract/client.ts';
import type { StreamName, StreamEvent, StreamInput } from '../../../shared/contract/index.ts';
import type { PodRowView, PodWatchEvent } from '../../../shared/contract/pods.ts';

/** The composition root as the renderer reaches it (memory transport), over a fresh data folder. */
export interface TabsCore {
  core: KiopsCore;
  client: KiopsClient;
  close(): Promise<void>;
}

/** `organisationPolicy`: the YAML written to the data folder's organisation-policy.yaml first. */
export async function startTabsCore(options: { containerRefreshMs?: number; podWatchLingerMs?: number; organisationPolicy?: string } = {}): Promise<TabsCore> {
  const { organisationPolicy, ...coreOptions } = options;
  const dataDir = mkdtempSync(join(tmpdir(), 'kiops-tabs-'));
  if (organisationPolicy !== undefined) writeFileSync(join(dataDir, 'organisation-policy.yaml'), organisationPolicy);
  const core = await createKiopsCore({
    dataDir,
    shell: 'browser',
    version: 'test',
    keychainService: `kiops-tabs-test-${randomUUID()}`,
    probeTimeoutMs: 20_000,
    logger: { error: () => {}, warn: () => {} },
    ...coreOptions,
  });
  const sender = { transport: 'memory', origin: 'tabs-test' } as const;
  core.senderPolicy.allow((s) => s.origin === sender.origin);
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

/** A subscription that records what it receives, as a tab would. */
export class Recorded<N extends StreamName> {
  readonly events: StreamEvent<N>[] = [];
  ended: unknown = null;
  readonly cancel: () => void;

  constructor(client: KiopsClient, name: N, input: StreamInput<N>) {
    this.cancel = client.subscribe(name, input, {
      event: (event) => this.events.push(event),
      end: (end) => {
        this.ended = end;
      },
    });
  }
}

/** Polls `check` (sync or async) until it gives a truthy value. */
export async function waitUntil<T>(check: () => T | false | undefined | null | Promise<T | false | undefined | null>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** What the Pod List tab holds after these `pods.watch` events: rows by uid, batches applied in order. */
export function podTableOf(events: readonly PodWatchEvent[]): Map<string, PodRowView> {
  const rows = new Map<string, PodRowView>();
  for (const event of events) {
    if (event.kind !== 'changes') continue;
    if (event.reset) rows.clear();
    for (const row of event.upserted) rows.set(row.uid, row);
    for (const uid of event.removed) rows.delete(uid);
  }
  return rows;
}
