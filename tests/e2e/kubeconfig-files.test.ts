import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startKubeTestServer, type KubeTestServer } from '../kube-server/index.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { startBrowserApp, type BrowserApp } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { KubeconfigFilesPage } from './pages/kubeconfig-files-page.ts';
import { RuntimeEnvironmentsPage } from './pages/runtime-environments-page.ts';

interface Entry {
  context: string;
  user: string;
  token: string;
  namespace: string;
}

function kubeconfig(kube: KubeTestServer, entries: readonly Entry[]): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: lab',
    '  cluster:',
    `    server: ${kube.url}`,
    `    certificate-authority-data: ${Buffer.from(kube.caPem).toString('base64')}`,
    'users:',
    ...entries.flatMap((e) => [`- name: ${e.user}`, '  user:', `    token: ${e.token}`]),
    'contexts:',
    ...entries.flatMap((e) => [`- name: ${e.context}`, `  context: { cluster: lab, user: ${e.user}, namespace: ${e.namespace} }`]),
    `current-context: ${entries[0]?.context ?? ''}`,
    '',
  ].join('\n');
}

const developer: Entry = { context: 'dev@lab', user: 'dev', token: 'developer-token', namespace: 'default' };
const viewer: Entry = { context: 'view@lab', user: 'view', token: 'viewer-token', namespace: 'default' };

describe("a new user's own kubeconfig", () => {
  useTestEnvironment('keyring');
  let kube: KubeTestServer;
  let app: BrowserApp;
  let home: string;
  let path: string;

  beforeAll(async () => {
    kube = await startKubeTestServer({ nodes: 1 });
    home = mkdtempSync(join(tmpdir(), 'kiops-e2e-kubehome-'));
    mkdirSync(join(home, '.kube'));
    path = join(home, '.kube', 'config');
    writeFileSync(path, kubeconfig(kube, [developer, viewer]), { mode: 0o600 });
    const { KUBECONFIG: _unset, ...env } = process.env;
    app = await startBrowserApp({ host: { env, homeDir: home } });
    await new AppShellPage(app.page).waitUntilReady();
  });

  afterAll(async () => {
    await app?.close();
    await kube?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  test('first start: the clusters of ~/.kube/config are offered at once and added with one click', async () => {
    const files = new KubeconfigFilesPage(app.page);
    await files.found.waitFor();
    expect(await files.found.textContent()).toContain(path);
    for (const entry of [developer, viewer]) {
      expect(await files.foundContext(entry.context).textContent()).toContain(kube.url);
      expect(await files.foundContext(entry.context).getByRole('checkbox').getAttribute('aria-checked')).toBe('true');
    }
    await new AppShellPage(app.page).screenshot('kubeconfig-found-clusters');
    await files.addFound();

    const shell = new AppShellPage(app.page);
    await shell.navigate('environments');
    const page = new RuntimeEnvironmentsPage(app.page);
    await page.row(developer.context).waitFor();
    await page.row(viewer.context).waitFor();
    expect(await page.rows.count()).toBe(2);
    // offered only while no cluster is added
    expect(await files.found.count()).toBe(0);
  });

  test('an edited kubeconfig shows "changed on disk" with what changed, and re-import keeps the row', async () => {
    const files = new KubeconfigFilesPage(app.page);
    const page = new RuntimeEnvironmentsPage(app.page);
    await page.row(developer.context).waitFor();
    // an editor saves over the file: new namespace and token for dev@lab, a third context
    const temporary = `${path}.tmp`;
    writeFileSync(temporary, kubeconfig(kube, [{ ...developer, namespace: 'dev', token: 'rotated-token' }, viewer, { ...viewer, context: 'ops@lab' }]), { mode: 0o600 });
    renameSync(temporary, path);

    const banner = files.changed(developer.context);
    await banner.waitFor({ timeout: 30_000 });
    expect(await files.fields(developer.context)).toEqual(['namespace: default → dev', 'credentials changed']);
    expect(await banner.textContent()).toContain('New contexts in the file: ops@lab');
    expect(await banner.textContent()).not.toContain('rotated-token');
    await new AppShellPage(app.page).screenshot('kubeconfig-changed-banner');

    await files.reimport(developer.context);
    expect(await page.rows.count()).toBe(2);
    await page.row(developer.context).waitFor();
  });
});
