import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKiopsCore, type KiopsCore } from '../../../electron/main/composition.ts';
import { createMemoryTransport } from '../../../electron/main/ipc/memory-transport.ts';
import type { Envelope } from '../../../shared/contract/envelope.ts';
import { callNames, contract, type CallName } from '../../../shared/contract/index.ts';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';

useTestEnvironment('keyring');

// Class 7 of issue 10 through the contract, against the Kubernetes test API server with the
// admin user (who may read every namespace, so a widened request WOULD return other
// namespaces' objects): crafted service ids are refused before any handler runs, and file
// inputs must be regular files under the cap.

const canary = `canary-${randomUUID()}`;

/** Every way of spelling a namespace/name key that could leave or widen its namespace. */
function craftedKeys(): string[] {
  const pieces = ['..', '.', '', 'other', 'default', 'api', '*', '%2e%2e', 'Default', 'default\u0000', 'default\u202E', 'ａｐｉ', 'api '];
  const keys = new Set<string>();
  for (const a of pieces) {
    keys.add(a);
    for (const b of pieces) keys.add(`${a}/${b}`);
  }
  for (const extra of ['default/api/..', '../default/api', 'default/../other', '/default/api', 'default//api', `default/api\uD800`]) keys.add(extra);
  // a well-formed namespace/name pair is a real id (of a Deployment that may not exist), not a crafted one
  return [...keys].filter((key) => !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(key));
}

describe('ids and file inputs at the boundary', () => {
  let kube: KubeTestServer;
  let core: KiopsCore;
  let transport: { invoke(name: string, payload: unknown): Promise<Envelope<unknown>> };
  let dataDir: string;
  let environmentId = '';

  beforeAll(async () => {
    kube = await startKubeTestServer();
    kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
    kube.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other-settings', namespace: 'other' }, data: { TOKEN: canary } });
    kube.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'api-settings', namespace: 'default' }, data: { LOG_LEVEL: 'info' } });
    kube.apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: 'default', labels: { app: 'api' } },
      spec: { replicas: 1, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'nginx:1.27' }] } } },
    });
    dataDir = mkdtempSync(join(tmpdir(), 'kiops-boundary-'));
    core = await createKiopsCore({ dataDir, shell: 'browser', version: 'test', keychainService: `kiops-boundary-${randomUUID()}`, probeTimeoutMs: 3_000, logger: { error: () => {}, warn: () => {} } });
    const sender = { transport: 'memory', origin: 'boundary-test' } as const;
    core.senderPolicy.allow((s) => s.origin === sender.origin);
    const memory = createMemoryTransport(core.router, sender);
    transport = { invoke: async (name, payload) => (await memory.invoke(name, payload)) as Envelope<unknown> };
    const added = await transport.invoke('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('admin', 'default') }, contexts: [kube.contextName('admin')], name: 'admin cluster' });
    if (!added.ok) throw new Error(added.error.message);
    environmentId = (added.value as { environments: { id: string }[] }).environments[0]?.id ?? '';
  });

  afterAll(async () => {
    for (const key of (await core?.secrets.list('').catch(() => [])) ?? []) await core.secrets.delete(key).catch(() => false);
    await core?.close();
    await kube?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** Calls whose whole input is one service id: each would read the cluster if the id got through. */
  const serviceOnlyCalls = (): CallName[] => callNames.filter((name) => contract[name].input.safeParse({ serviceId: `${environmentId}:deployment:default/api` }).success);

  it('the genuine service reads its own namespace only (the control)', async () => {
    const listed = await transport.invoke('config.list', { serviceId: `${environmentId}:deployment:default/api` });
    expect(listed.ok).toBe(true);
    const text = JSON.stringify(listed);
    expect(text).toContain('api-settings');
    expect(text).not.toContain(canary);
  });

  it('refuses every crafted deployment id on every service call, and nothing from another namespace comes back', async () => {
    const calls = serviceOnlyCalls();
    expect(calls).toEqual(expect.arrayContaining(['config.list', 'overview.get', 'operations.describe', 'logs.targets', 'domains.list']));
    const keys = craftedKeys();
    expect(keys.length).toBeGreaterThan(150);
    for (const name of calls) {
      for (const key of keys) {
        const reply = await transport.invoke(name, { serviceId: `${environmentId}:deployment:${key}` });
        expect(reply.ok, `${name} ${JSON.stringify(key)}`).toBe(false);
        if (!reply.ok) {
          expect(reply.error.code, `${name} ${JSON.stringify(key)}`).toBe('INVALID_INPUT');
          expect(reply.error.message).toMatch(/not a service id the app gave out/);
        }
        expect(JSON.stringify(reply)).not.toContain(canary);
      }
    }
  });

  it('refuses a lone surrogate in any string of a request, and names with control or bidi characters', async () => {
    const reply = await transport.invoke('catalog.register', { name: 'shop', environmentId, target: { kind: 'deployment', namespace: 'default', deployment: `api\uD800` } });
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    for (const name of ['shop\u0000', 'shop\u202Eorp', 'sh\u200Bop', '\u2066shop\u2069', `shop\uDC00`]) {
      const refused = await transport.invoke('catalog.register', { name, environmentId, target: { kind: 'deployment', namespace: 'default', deployment: 'api' } });
      expect(refused, JSON.stringify(name)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
    const listed = await transport.invoke('catalog.list', {});
    expect(JSON.stringify(listed)).not.toMatch(/shop/);
  });

  describe('previewKubeconfig reads regular files only, under the cap', () => {
    let folder: string;
    beforeAll(() => {
      folder = mkdtempSync(join(tmpdir(), 'kiops-boundary-files-'));
    });
    afterAll(() => rmSync(folder, { recursive: true, force: true }));

    const preview = (path: string) => transport.invoke('environments.previewKubeconfig', { source: { kind: 'paths', paths: [path] } });

    it.each(['/dev/zero', '/dev/null', '/dev/urandom', '/proc/self/mem', '/tmp'])('refuses %s without hanging', async (path) => {
      const reply = await preview(path);
      expect(reply).toMatchObject({ ok: false, error: { code: 'KUBECONFIG_INVALID' } });
      if (!reply.ok) expect(reply.error.message).toMatch(/not a regular file|is a folder|cannot be read/);
    });

    it('refuses a FIFO (nobody writes to it) and a symlink to a device', async () => {
      const fifo = join(folder, 'config.fifo');
      execFileSync('mkfifo', [fifo]);
      expect(await preview(fifo)).toMatchObject({ ok: false, error: { code: 'KUBECONFIG_INVALID', message: expect.stringMatching(/not a regular file/) } });
      const link = join(folder, 'zero-link');
      symlinkSync('/dev/zero', link);
      expect(await preview(link)).toMatchObject({ ok: false, error: { code: 'KUBECONFIG_INVALID', message: expect.stringMatching(/not a regular file/) } });
    });

    it('checks the token file a kubeconfig names at registration, re-reads it per request, and refuses ones that are not regular files', async () => {
      const tokenFile = join(folder, 'developer.token');
      writeFileSync(tokenFile, 'developer-token\n');
      const withFile = (path: string) => kube.kubeconfigYaml('developer', 'default').replace(/token: developer-token/, `tokenFile: ${path}`);
      expect(withFile(tokenFile)).toContain('tokenFile:');
      execFileSync('mkfifo', [join(folder, 'token.fifo')]);
      for (const bad of ['/dev/zero', join(folder, 'token.fifo'), '/proc/self/mem']) {
        const refused = await transport.invoke('environments.addKubernetes', { source: { kind: 'text', text: withFile(bad) }, contexts: [kube.contextName('developer')], name: `bad token ${bad}` });
        expect(refused, bad).toMatchObject({ ok: false, error: { code: 'KUBECONFIG_INVALID', message: expect.stringContaining(`"tokenFile" file ${bad}`) } });
      }
      const added = await transport.invoke('environments.addKubernetes', { source: { kind: 'text', text: withFile(tokenFile) }, contexts: [kube.contextName('developer')], name: 'token from a file' });
      expect(added.ok).toBe(true);
      const id = added.ok ? (added.value as { environments: { id: string }[] }).environments[0]?.id : '';
      const serviceId = `${id}:deployment:default/api`;
      expect(await transport.invoke('config.list', { serviceId })).toMatchObject({ ok: true, value: { namespace: 'default' } });
      // the token file stays a path (tokens in files rotate) and is re-read as a regular file before
      // each request: a FIFO in its place is refused at once, never read (no hang)
      rmSync(tokenFile);
      execFileSync('mkfifo', [tokenFile]);
      const refused = await transport.invoke('config.list', { serviceId });
      expect(refused).toMatchObject({ ok: false });
      expect(JSON.stringify(refused)).toContain('not a regular file');
      rmSync(tokenFile);
      writeFileSync(tokenFile, 'developer-token\n');
      expect(await transport.invoke('config.list', { serviceId })).toMatchObject({ ok: true, value: { namespace: 'default' } });
    });

    it('reads a valid 2 MB kubeconfig (file and text) and refuses one past the 4 MiB cap', async () => {
      const base = kube.kubeconfigYaml('admin', 'default');
      const padded = (bytes: number) => `${base}\n${'# padding to make the file large\n'.repeat(Math.ceil((bytes - base.length) / 33))}`;
      const big = join(folder, 'big');
      mkdirSync(big);
      writeFileSync(join(big, 'config'), padded(2 * 1024 * 1024));
      const fromFile = await preview(join(big, 'config'));
      expect(fromFile).toMatchObject({ ok: true, value: { contexts: [{ name: kube.contextName('admin') }] } });
      const fromText = await transport.invoke('environments.previewKubeconfig', { source: { kind: 'text', text: padded(2 * 1024 * 1024) } });
      expect(fromText).toMatchObject({ ok: true, value: { contexts: [{ name: kube.contextName('admin') }] } });
      writeFileSync(join(big, 'huge'), padded(4 * 1024 * 1024 + 10));
      expect(await preview(join(big, 'huge'))).toMatchObject({ ok: false, error: { code: 'KUBECONFIG_INVALID', message: expect.stringMatching(/larger than 4096 KiB/) } });
    });
  });
});
