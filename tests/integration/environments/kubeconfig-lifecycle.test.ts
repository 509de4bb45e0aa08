import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeconfigChange } from '../../../shared/contract/environments.ts';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { Recorded, waitUntil } from '../operations/tabs-support.ts';
import { startTestCore, type TestCore } from './support/core.ts';

useTestEnvironment('keyring');

interface Entry {
  context: string;
  user: string;
  token: string;
  namespace: string;
}

/** A kubeconfig as kubectl and cloud CLIs leave it: one cluster, several users and contexts. */
function kubeconfig(kube: KubeTestServer, entries: readonly Entry[], server = kube.url): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: lab',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${Buffer.from(kube.caPem).toString('base64')}`,
    'users:',
    ...entries.flatMap((e) => [`- name: ${e.user}`, '  user:', `    token: ${e.token}`]),
    'contexts:',
    ...entries.flatMap((e) => [`- name: ${e.context}`, `  context: { cluster: lab, user: ${e.user}, namespace: ${e.namespace} }`]),
    `current-context: ${entries[0]?.context ?? ''}`,
    '',
  ].join('\n');
}

/** Writes the way editors do: a temporary file renamed over the original (a new inode). */
function replaceFile(path: string, text: string): void {
  const temporary = `${path}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  renameSync(temporary, path);
}

const developer: Entry = { context: 'dev@lab', user: 'dev', token: 'developer-token', namespace: 'default' };
const viewer: Entry = { context: 'view@lab', user: 'view', token: 'viewer-token', namespace: 'default' };

describe('kubeconfig discovery on first start', () => {
  let kube: KubeTestServer;
  const dirs: string[] = [];
  const cores: TestCore[] = [];
  beforeAll(async () => {
    kube = await startKubeTestServer({ nodes: 1 });
  });
  afterAll(async () => {
    for (const core of cores) await core.close();
    await kube?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const home = () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiops-kubehome-'));
    dirs.push(dir);
    mkdirSync(join(dir, '.kube'));
    return dir;
  };
  const start = async (env: Record<string, string>, homeDir: string) => {
    const app = await startTestCore({ host: { env, homeDir } });
    cores.push(app);
    return app;
  };

  it('offers the contexts of ~/.kube/config when KUBECONFIG is unset, and nothing when there is no file', async () => {
    const withFile = home();
    writeFileSync(join(withFile, '.kube', 'config'), kubeconfig(kube, [developer, viewer]), { mode: 0o600 });
    const found = await (await start({}, withFile)).client.call('environments.discoverKubeconfig', {});
    expect(found).toMatchObject({ firstStart: true, paths: [join(withFile, '.kube', 'config')] });
    expect(found.contexts.map((c) => [c.name, c.server, c.alreadyAdded])).toEqual([
      ['dev@lab', kube.url, false],
      ['view@lab', kube.url, false],
    ]);
    expect(JSON.stringify(found)).not.toMatch(/developer-token|viewer-token/);

    const empty = await (await start({}, home())).client.call('environments.discoverKubeconfig', {});
    expect(empty).toEqual({ firstStart: true, paths: [], contexts: [] });
  });

  // KUBECONFIG lists as users have them: several files, a missing one, a repeated one
  const lists: Array<[string, (dir: string) => string[], string[]]> = [
    ['two files', (d) => [join(d, 'a'), join(d, 'b')], ['dev@lab', 'view@lab']],
    ['a missing file in between', (d) => [join(d, 'a'), join(d, 'missing'), join(d, 'b')], ['dev@lab', 'view@lab']],
    ['the second file first', (d) => [join(d, 'b'), join(d, 'a')], ['view@lab', 'dev@lab']],
    ['one file twice', (d) => [join(d, 'a'), join(d, 'a')], ['dev@lab']],
  ];
  for (const [what, list, contexts] of lists) {
    it(`reads $KUBECONFIG with ${what} instead of ~/.kube/config`, async () => {
      const dir = home();
      writeFileSync(join(dir, '.kube', 'config'), kubeconfig(kube, [{ ...developer, context: 'ignored@home' }]), { mode: 0o600 });
      writeFileSync(join(dir, 'a'), kubeconfig(kube, [developer]), { mode: 0o600 });
      writeFileSync(join(dir, 'b'), kubeconfig(kube, [viewer]), { mode: 0o600 });
      const found = await (await start({ KUBECONFIG: list(dir).join(':') }, dir)).client.call('environments.discoverKubeconfig', {});
      expect(found.contexts.map((c) => c.name)).toEqual(contexts);
      expect(found.paths).not.toContain(join(dir, 'missing'));
    });
  }

  it('marks contexts already added from the same files, and it is no longer a first start', async () => {
    const dir = home();
    const path = join(dir, '.kube', 'config');
    writeFileSync(path, kubeconfig(kube, [developer, viewer]), { mode: 0o600 });
    const app = await start({}, dir);
    await app.client.call('environments.addKubernetes', { source: { kind: 'paths', paths: [path] }, contexts: ['dev@lab'] });
    const found = await app.client.call('environments.discoverKubeconfig', {});
    expect(found.firstStart).toBe(false);
    expect(found.contexts.map((c) => [c.name, c.alreadyAdded])).toEqual([
      ['dev@lab', true],
      ['view@lab', false],
    ]);
  });
});

describe('an imported kubeconfig changed on disk', () => {
  let kube: KubeTestServer;
  let app: TestCore;
  let dir: string;
  let path: string;
  let changes: Recorded<'environments.kubeconfigChanges'>;
  const latest = () => changes.events.at(-1)?.changes;
  const changeOf = (id: string) => latest()?.find((c) => c.environmentId === id);

  beforeAll(async () => {
    kube = await startKubeTestServer({ nodes: 1 });
    kube.addNamespace('dev');
    dir = mkdtempSync(join(tmpdir(), 'kiops-kubewatch-'));
    mkdirSync(join(dir, '.kube'));
    path = join(dir, '.kube', 'config');
    writeFileSync(path, kubeconfig(kube, [developer]), { mode: 0o600 });
    app = await startTestCore({ host: { env: {}, homeDir: dir } });
    changes = new Recorded(app.client, 'environments.kubeconfigChanges', {});
  });
  afterAll(async () => {
    changes?.cancel();
    await app?.close();
    await kube?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the changed namespace, credentials and new context within seconds, then re-import keeps the id, name and history', async () => {
    const [added] = (await app.client.call('environments.addKubernetes', { source: { kind: 'paths', paths: [path] }, contexts: ['dev@lab'], name: 'lab developer', production: true })).environments;
    const id = added!.id;
    await waitUntil(() => latest()?.length === 0, 30_000, 'the first, empty list of changes');

    // an editor saves the file: the developer context now points at namespace dev with a new token, and a context was added
    replaceFile(path, kubeconfig(kube, [{ ...developer, namespace: 'dev', token: 'viewer-token' }, viewer]));
    const change: KubeconfigChange = await waitUntil(() => changeOf(id), 20_000, 'the change of the edited file');
    expect(change).toMatchObject({ environmentName: 'lab developer', contextName: 'dev@lab', paths: [path], state: 'changed', addedContexts: ['view@lab'], removedContexts: [] });
    expect(change.fields).toEqual([{ field: 'namespace', before: 'default', after: 'dev' }, { field: 'credentials' }]);
    expect(JSON.stringify(changes.events)).not.toMatch(/developer-token|viewer-token/);

    const reimported = await app.client.call('environments.reimportKubeconfig', { id });
    expect(reimported).toMatchObject({ id, name: 'lab developer', production: true, kubernetes: { contextName: 'dev@lab', namespace: 'dev' } });
    expect((await app.client.call('environments.list', {})).environments.map((e) => e.id)).toEqual([id]);
    await waitUntil(() => latest()?.length === 0, 20_000, 'the banner to clear after re-import');
    // the new token from the file is the one used now
    expect(await app.client.call('environments.testConnection', { id })).toMatchObject({ ok: true, details: { namespace: 'dev' } });

    const { rows } = await app.client.call('audit.list', { limit: 50 });
    const mine = rows.filter((row) => row.environmentId === id || (row.details.environmentIds as string[] | undefined)?.includes(id));
    expect(mine.map((row) => `${row.action} ${row.outcome}`)).toEqual(['environment.reimport success', 'environment.reimport started', 'environment.add success', 'environment.add started']);
    expect(app.replies.join('\n')).not.toMatch(/developer-token|viewer-token/);
  });

  it('shows a context removed from the file, and re-importing it fails with the reason in the audit trail', async () => {
    writeFileSync(path, kubeconfig(kube, [developer]), { mode: 0o600 });
    const [added] = (await app.client.call('environments.addKubernetes', { source: { kind: 'paths', paths: [path] }, contexts: ['dev@lab'], name: 'to lose' })).environments;
    const id = added!.id;
    // written in place this time (no rename): the same inode, new content
    writeFileSync(path, kubeconfig(kube, [viewer]));
    expect(await waitUntil(() => changeOf(id), 20_000, 'the removed context')).toMatchObject({ state: 'removed', addedContexts: ['view@lab'], removedContexts: ['dev@lab'] });
    await expect(app.client.call('environments.reimportKubeconfig', { id })).rejects.toMatchObject({ code: 'CONFLICT' });
    const { rows } = await app.client.call('audit.list', { limit: 5, action: 'environment.reimport' });
    expect(rows[0]).toMatchObject({ environmentId: id, outcome: 'failure', error: expect.stringContaining('no longer has the context "dev@lab"') });
  });

  it('shows a file that was deleted as unreadable, and clears when it comes back unchanged', async () => {
    writeFileSync(path, kubeconfig(kube, [viewer]));
    const [added] = (await app.client.call('environments.addKubernetes', { source: { kind: 'paths', paths: [path] }, contexts: ['view@lab'], name: 'comes back' })).environments;
    const id = added!.id;
    await waitUntil(() => latest() && !changeOf(id), 20_000, 'no change for the new environment');
    rmSync(path);
    expect(await waitUntil(() => changeOf(id), 20_000, 'the deleted file')).toMatchObject({ state: 'unreadable' });
    replaceFile(path, kubeconfig(kube, [viewer]));
    await waitUntil(() => latest() && !changeOf(id), 20_000, 'the change to clear');
  });
});
