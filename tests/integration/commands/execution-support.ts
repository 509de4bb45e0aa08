import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKiopsCore, type KiopsCore, type KiopsCoreOptions } from '../../../electron/main/composition.ts';
import { createMemoryTransport } from '../../../electron/main/ipc/memory-transport.ts';
import { createClient, type KiopsClient } from '../../../shared/contract/client.ts';
import type { CommandStreamEvent } from '../../../shared/contract/commands.ts';
import type { CallInput, CallOutput } from '../../../shared/contract/index.ts';
import { againWhenPodmanLostOutput } from '../../support/podman-lost-output.ts';

export { Recorded, waitUntil } from '../operations/tabs-support.ts';

/** The composition root as the renderer reaches it, counting every process the command runner spawns. */
export interface CommandsCore {
  core: KiopsCore;
  client: KiopsClient;
  /** Programs the command runner started, as [file, ...args]. */
  spawned: string[][];
  /** The core's data folder (its SQLite database lives here). */
  dataDir: string;
  close(): Promise<void>;
  newestAudit(): Promise<AuditRowLike | undefined>;
}

export type AuditRowLike = CallOutput<'audit.list'>['rows'][number];

export async function startCommandsCore(options: { policyYaml?: string; commands?: Omit<NonNullable<KiopsCoreOptions['commands']>, 'spawnProcess'> } = {}): Promise<CommandsCore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiops-commands-'));
  if (options.policyYaml !== undefined) writeFileSync(join(dataDir, 'organisation-policy.yaml'), options.policyYaml);
  const spawned: string[][] = [];
  const core = await createKiopsCore({
    dataDir,
    shell: 'browser',
    version: 'test',
    keychainService: `kiops-commands-test-${randomUUID()}`,
    probeTimeoutMs: 20_000,
    logger: { error: () => {}, warn: () => {} },
    commands: {
      ...options.commands,
      spawnProcess: (file, args, spawnOptions) => {
        spawned.push([file, ...args]);
        return spawn(file, [...args], spawnOptions);
      },
    },
  });
  const sender = { transport: 'memory', origin: 'commands-test' } as const;
  core.senderPolicy.allow((s) => s.origin === sender.origin);
  const client = createClient(createMemoryTransport(core.router, sender));
  return {
    core,
    client,
    spawned,
    dataDir,
    // the newest outcome: a running command's started row (outcome 'started') is not one
    newestAudit: async () => (await client.call('audit.list', { limit: 20, action: 'command.run' })).rows.find((row) => row.outcome !== 'started'),
    async close() {
      for (const key of await core.secrets.list('').catch(() => [])) await core.secrets.delete(key).catch(() => false);
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Allows everything everywhere (production too), so production confirmation can be exercised. */
export const allowEverythingPolicy = 'version: 1\ndefault: [logs, commands, management]\n';

export const outputOf = (events: readonly CommandStreamEvent[], stream: 'stdout' | 'stderr' = 'stdout'): string =>
  events.map((event) => (event.kind === 'output' && event.stream === stream ? event.text : '')).join('');

/** Polls an async check until it gives a value (audit rows written after a stream ends). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A one-shot run whose printed output the test reads, run again when Podman lost all of it
 * (exit 0, nothing printed: seen once in about 25 runs of the suite, on `podman exec … cat`;
 * see `againWhenPodmanLostOutput`). The app shows what the CLI printed, and its audit row says
 * so (0 bytes out), which is checked here. Every other result, and every Docker result, is
 * returned as it came.
 */
export async function runReadingOutput(app: CommandsCore, request: CallInput<'commands.run'>): Promise<CallOutput<'commands.run'>> {
  return againWhenPodmanLostOutput(
    () => app.client.call('commands.run', request),
    async (result) => {
      const lost = result.decision === 'ran' && result.argvShown[0] === 'podman' && result.exitCode === 0 && result.stdout === '' && result.stderr === '';
      const row = lost ? await app.newestAudit() : undefined;
      if (lost && row?.details['stdoutBytes'] !== 0) throw new Error(`Podman printed nothing, but the audit row says ${String(row?.details['stdoutBytes'])} bytes out: ${JSON.stringify(row)}`);
      return lost;
    },
  );
}
