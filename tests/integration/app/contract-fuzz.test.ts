import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKiopsCore, type KiopsCore } from '../../../electron/main/composition.ts';
import { createMemoryTransport } from '../../../electron/main/ipc/memory-transport.ts';
import { envelopeSchema, streamEndSchema, type Envelope } from '../../../shared/contract/envelope.ts';
import { callNames, contract, streamNames, type CallName, type StreamName } from '../../../shared/contract/index.ts';
import type { Transport } from '../../../shared/contract/transport.ts';
import { errorCodes } from '../../../shared/errors.ts';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { hostileStrings, ordinaryStrings, PayloadGenerator, seededRandom } from './contract-fuzz-payloads.ts';

useTestEnvironment('keyring');

// Every call and stream of the contract (the list comes from shared/contract/index.ts), fed
// generated payloads through the router over the memory transport: most are schema-valid with
// hostile strings where a field allows them, some are shapes the schema must refuse. Whatever
// comes back must be a declared output or an error envelope with a known code, and no message
// may carry a stack, a source path or a Node internal. One fixed seed: a failure reproduces.

const seed = 0x6b696f70;
const payloadsPerEntry = 16;
const mutantsPerEntry = 4;
const stackLike = /\n\s+at |\bat .+\(.+:\d+:\d+\)|\.ts:\d+|node:internal|\/work\/|node_modules/;

describe('contract fuzz: every call and stream, generated hostile payloads', () => {
  let kube: KubeTestServer;
  let core: KiopsCore;
  let transport: Transport;
  let dataDir: string;
  const unexpected: string[] = [];
  const serviceIds: string[] = [];
  const environmentIds: string[] = [];

  beforeAll(async () => {
    kube = await startKubeTestServer();
    kube.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'api-settings', namespace: 'default' }, data: { LOG_LEVEL: 'info' } });
    kube.apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
    });
    dataDir = mkdtempSync(join(tmpdir(), 'kiops-fuzz-'));
    core = await createKiopsCore({
      dataDir,
      shell: 'browser',
      version: 'test',
      keychainService: `kiops-fuzz-${randomUUID()}`,
      probeTimeoutMs: 1_000,
      logger: { error: (message) => unexpected.push(message), warn: () => {} },
    });
    const sender = { transport: 'memory', origin: 'fuzz-test' } as const;
    core.senderPolicy.allow((s) => s.origin === sender.origin);
    transport = createMemoryTransport(core.router, sender);
    const added = (await transport.invoke('environments.addKubernetes', {
      source: { kind: 'text', text: kube.kubeconfigYaml('developer', 'default') },
      contexts: [kube.contextName('developer')],
      name: 'fuzz cluster',
    })) as Envelope<{ environments: { id: string }[] }>;
    if (!added.ok) throw new Error(added.error.message);
    const id = added.value.environments[0]?.id ?? '';
    environmentIds.push(id);
    serviceIds.push(`${id}:deployment:default/web`, `${id}:deployment:default/missing`, `${id}:compose:shop`, `${id}:manual:123e4567-e89b-42d3-a456-426614174000`);
  }, 120_000);

  afterAll(async () => {
    for (const key of (await core?.secrets.list('').catch(() => [])) ?? []) await core.secrets.delete(key).catch(() => false);
    await core?.close();
    await kube?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  function checkError(where: string, error: { code: string; message: string; details?: unknown }): void {
    expect(errorCodes, where).toContain(error.code);
    expect(error.message, where).not.toMatch(stackLike);
    expect(JSON.stringify(error.details ?? null), where).not.toMatch(stackLike);
  }

  it('answers each with a declared output or a known error, never a stack', async () => {
    const generator = new PayloadGenerator(seededRandom(seed), [...hostileStrings, ...ordinaryStrings(serviceIds, environmentIds)]);
    const jobs: { name: CallName | StreamName; payload: unknown; valid: boolean }[] = [];
    for (const name of [...callNames, ...streamNames]) {
      const input = contract[name].input;
      for (let i = 0; i < payloadsPerEntry; i += 1) {
        const payload = i < payloadsPerEntry - mutantsPerEntry ? generator.value(input) : generator.mutant(input);
        jobs.push({ name, payload, valid: input.safeParse(payload).success });
      }
    }
    expect(jobs.length).toBeGreaterThanOrEqual(1_000);
    // the hostile strings must reach handlers, not only the schema's refusals
    const validCount = jobs.filter((job) => job.valid).length;
    expect(validCount).toBeGreaterThan(400);
    const reachedPerEntry = new Set(jobs.filter((job) => job.valid).map((job) => job.name));
    expect(reachedPerEntry.size).toBeGreaterThan((callNames.length + streamNames.length) * 0.8);

    const codes = new Map<string, number>();
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        const where = `${job.name} #${jobs.indexOf(job)}`;
        if (job.name in contract && contract[job.name].kind === 'stream') {
          const end = await new Promise<unknown>((resolve) => {
            let ended = false;
            const cancel = transport.subscribe(job.name, job.payload, {
              event: () => {},
              end: (value) => {
                ended = true;
                resolve(value);
              },
            });
            // a stream that started is stopped again: what is checked is how it ends
            setTimeout(() => {
              if (!ended) cancel();
            }, 50);
          });
          const parsed = streamEndSchema.parse(end);
          if (parsed.reason === 'error') {
            checkError(where, parsed.error);
            codes.set(parsed.error.code, (codes.get(parsed.error.code) ?? 0) + 1);
          }
          continue;
        }
        const envelope = envelopeSchema.parse(await transport.invoke(job.name, job.payload));
        if (envelope.ok) {
          const output = contract[job.name as CallName].output.safeParse(envelope.value);
          expect(output.success, where).toBe(true);
          codes.set('ok', (codes.get('ok') ?? 0) + 1);
        } else {
          checkError(where, envelope.error);
          codes.set(envelope.error.code, (codes.get(envelope.error.code) ?? 0) + 1);
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, () => worker()));

    // the app still answers afterwards
    expect(await transport.invoke('environments.list', {})).toMatchObject({ ok: true });
    expect(unexpected, `unexpected errors in main: ${unexpected.join(' | ')}; replies by code: ${JSON.stringify([...codes])}`).toEqual([]);
    expect(codes.get('INTERNAL') ?? 0).toBe(0);
  }, 300_000);
});
