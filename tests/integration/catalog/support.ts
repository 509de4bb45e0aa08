import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { createKiopsCore, type KiopsCore } from '../../../electron/main/composition.ts';
import { createMemoryTransport } from '../../../electron/main/ipc/memory-transport.ts';
import { createClient, type KiopsClient } from '../../../shared/contract/client.ts';

/** A kubeconfig whose API server never answers (nothing listens on port 1). */
export function unreachableKubeconfig(context: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${context}`,
    '  cluster: { server: "https://127.0.0.1:1", insecure-skip-tls-verify: true }',
    'users:',
    `- name: ${context}-user`,
    '  user: { token: "never-used" }',
    'contexts:',
    `- name: ${context}`,
    `  context: { cluster: ${context}, user: ${context}-user, namespace: default }`,
    `current-context: ${context}`,
  ].join('\n');
}

/** Containers a test creates on a real engine (busybox sleeping, no network), removed at the end. */
export class EngineContainers {
  readonly docker: Docker;
  private readonly image: string;
  private readonly names: string[] = [];

  constructor(socketPath: string, image: string) {
    this.docker = new Docker({ socketPath });
    this.image = image;
  }

  unique(prefix: string): string {
    return `${prefix}-${randomBytes(3).toString('hex')}`;
  }

  async run(name: string, labels: Record<string, string> = {}, start = true): Promise<void> {
    this.names.push(name);
    const container = await this.docker.createContainer({ name, Image: this.image, Cmd: ['sleep', '600'], Labels: labels, StopSignal: 'SIGKILL', HostConfig: { NetworkMode: 'none' } });
    if (start) await container.start();
  }

  async removeAll(): Promise<void> {
    await Promise.all(this.names.map((name) => this.docker.getContainer(name).remove({ force: true }).catch(() => undefined)));
  }
}

export const compose = (project: string, service: string): Record<string, string> => ({ 'com.docker.compose.project': project, 'com.docker.compose.service': service });

/**
 * The composition root as the renderer reaches it, over a data folder and keychain service that
 * outlive one core, so a test can stop the app and start it again on the same state.
 */
export interface CatalogCore {
  core: KiopsCore;
  client: KiopsClient;
  restart(): Promise<CatalogCore>;
  close(options?: { keepData?: boolean }): Promise<void>;
}

export async function startCatalogCore(state = { dataDir: mkdtempSync(join(tmpdir(), 'kiops-catalog-')), keychainService: `kiops-catalog-test-${randomUUID()}` }): Promise<CatalogCore> {
  const core = await createKiopsCore({
    dataDir: state.dataDir,
    shell: 'browser',
    version: 'test',
    keychainService: state.keychainService,
    probeTimeoutMs: 20_000,
    discoveryTimeoutMs: 4_000,
    logger: { error: () => {}, warn: () => {} },
  });
  const sender = { transport: 'memory', origin: 'catalog-test' } as const;
  core.senderPolicy.allow((s) => s.origin === sender.origin);
  const handle: CatalogCore = {
    core,
    client: createClient(createMemoryTransport(core.router, sender)),
    async restart() {
      await handle.close({ keepData: true });
      return startCatalogCore(state);
    },
    async close(options = {}) {
      if (!options.keepData) for (const key of await core.secrets.list('').catch(() => [])) await core.secrets.delete(key).catch(() => false);
      await core.close();
      if (!options.keepData) rmSync(state.dataDir, { recursive: true, force: true });
    },
  };
  return handle;
}
