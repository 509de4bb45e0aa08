import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { vaultFileName } from '../../electron/main/secrets/passphrase-vault.ts';
import { startKubeTestServer, type KubeTestServer } from '../kube-server/index.ts';
import { startBrowserApp, type BrowserApp } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { RuntimeEnvironmentsPage } from './pages/runtime-environments-page.ts';

// A first run on a computer without a Secret Service (browser mode on a headless box, WSL): the
// app blocks on a first-run screen instead of inviting "Add a cluster", and a passphrase vault
// keeps the secrets (and the audit key) encrypted in the data folder.

const canaryToken = `canary-${randomBytes(16).toString('hex')}`;
const passphrase = `first run ${randomBytes(8).toString('hex')}`;
const clusterName = `vault cluster ${randomBytes(3).toString('hex')}`;

/** Every file under the data folder, as bytes: the canary must be in none of them, in no encoding. */
async function dataFolderBytes(folder: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.set(join(entry.parentPath, entry.name), await readFile(join(entry.parentPath, entry.name)));
  }
  return files;
}
const encodings = (text: string) => [text, Buffer.from(text).toString('base64').slice(0, 24), Buffer.from(text).toString('hex'), Buffer.from(text, 'utf16le').toString('latin1')];

/** Stops the window and the core without browser-app's clean-up, which would empty the vault. */
async function quit(app: BrowserApp): Promise<void> {
  await app.browser.close();
  await app.server.stopServing();
  await app.server.core.close();
}

describe('first run without an OS keychain', () => {
  let kube: KubeTestServer;
  let dataDir: string;
  const opened: BrowserApp[] = [];
  const start = async () => {
    const app = await startBrowserApp({ keychain: 'missing', dataDir });
    opened.push(app);
    return { app, shell: new AppShellPage(app.page), environments: new RuntimeEnvironmentsPage(app.page) };
  };

  beforeAll(async () => {
    kube = await startKubeTestServer({
      nodes: 1,
      extraUsers: [{ name: 'vault-user', groups: ['system:authenticated'], auth: 'token', token: canaryToken, rules: [{ verbs: ['*'], resources: ['*'] }] }],
    });
    dataDir = await mkdtemp(join(tmpdir(), 'kiops-e2e-vault-'));
  });

  afterAll(async () => {
    for (const app of opened) await app.browser.close().catch(() => undefined);
    for (const app of opened) await app.server.core.close().catch(() => undefined);
    await kube?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('blocks on a first-run screen that says what is missing and how to fix it; a vault then opens the app and keeps a cluster', async () => {
    const { app, shell, environments } = await start();
    const screen = app.page.getByTestId('first-run');
    await screen.waitFor();
    expect(await app.page.getByTestId('first-run-missing').textContent()).toContain('No OS keychain answered on this computer');
    expect(await app.page.getByTestId('first-run-reason').textContent()).toMatch(/^What the keychain said: \S/);
    const linux = await app.page.getByTestId('first-run-linux').textContent();
    expect(linux).toContain('dbus-run-session');
    expect(linux).toContain('gnome-keyring');
    expect(linux).toContain('WSL');
    expect(await app.page.getByTestId('first-run-darwin').textContent()).toContain('Keychain');
    expect(await app.page.getByTestId('first-run-win32').textContent()).toContain('Credential Manager');
    // nothing behind it invites an action that would only fail later
    expect(await app.page.getByTestId('status-bar').count()).toBe(0);
    expect(await app.page.getByTestId('add-kubernetes').count()).toBe(0);
    await shell.screenshot('first-run-no-keychain-en');

    // trying the keychain again: still missing, the screen stays
    await app.page.getByTestId('first-run-retry-keychain').click();
    await expect.poll(() => shell.notificationText()).toContain('still unavailable');
    expect(await screen.isVisible()).toBe(true);

    const submit = app.page.getByTestId('vault-submit');
    await environments.fill('vault-passphrase', 'short');
    expect(await app.page.getByTestId('vault-form-problem').textContent()).toContain('at least 12 characters');
    expect(await submit.isDisabled()).toBe(true);
    await environments.fill('vault-passphrase', passphrase);
    await environments.fill('vault-passphrase-repeat', `${passphrase}!`);
    expect(await app.page.getByTestId('vault-form-problem').textContent()).toContain('differ');
    await environments.fill('vault-passphrase-repeat', passphrase);
    await submit.click();

    await shell.waitUntilReady();
    expect(await shell.keychainStatus.textContent()).toBe('Passphrase vault unlocked');
    expect(await shell.auditStatus.getAttribute('data-level')).toBe('ok');

    await shell.navigate('environments');
    await environments.addKubernetesFromFile({ name: 'config', mimeType: 'text/yaml', buffer: Buffer.from(kube.kubeconfigYaml('vault-user', 'default')) });
    await environments.finishKubernetes(clusterName);
    expect(await environments.testConnection(clusterName)).toBe('connected');

    const vaultBytes = await readFile(join(dataDir, vaultFileName));
    expect(vaultBytes.length).toBeGreaterThan(0);
    for (const [file, bytes] of await dataFolderBytes(dataDir)) {
      for (const needle of [...encodings(canaryToken), ...encodings(passphrase)]) expect(bytes.includes(Buffer.from(needle, 'latin1')), `${needle} in ${file}`).toBe(false);
    }
    const rows = app.server.core.audit.list({ limit: 50 });
    expect(rows.find((row) => row.action === 'app.create-vault' && row.outcome === 'success')).toBeDefined();
    expect(JSON.stringify(rows)).not.toContain(passphrase);
    await quit(app);
  });

  test('the next start asks for the passphrase: a wrong one is refused and loses nothing, the right one brings the cluster back', async () => {
    const vaultBefore = await readFile(join(dataDir, vaultFileName));
    const { app, shell, environments } = await start();
    await app.page.getByTestId('first-run').waitFor();
    expect(await app.page.getByTestId('first-run').textContent()).toContain('Unlock the passphrase vault');
    expect(await app.page.getByTestId('vault-passphrase-repeat').count()).toBe(0);

    for (const wrong of [`${passphrase} `, passphrase.toUpperCase()]) {
      await environments.fill('vault-passphrase', wrong);
      await app.page.getByTestId('vault-submit').click();
      await app.page.getByTestId('vault-failure').waitFor();
      expect(await app.page.getByTestId('vault-failure').textContent()).toContain('does not open the vault');
      expect(await app.page.getByTestId('status-bar').count()).toBe(0);
    }
    expect((await readFile(join(dataDir, vaultFileName))).equals(vaultBefore)).toBe(true);
    await shell.screenshot('first-run-vault-wrong-passphrase-en');

    await environments.fill('vault-passphrase', passphrase);
    await app.page.getByTestId('vault-submit').click();
    await shell.waitUntilReady();
    expect(await shell.auditStatus.getAttribute('data-level')).toBe('ok');
    await shell.navigate('environments');
    await environments.row(clusterName).waitFor();
    expect(await environments.testConnection(clusterName)).toBe('connected');
    const rows = app.server.core.audit.list({ limit: 50 });
    expect(rows.find((row) => row.action === 'app.unlock-vault' && row.outcome === 'success')).toBeDefined();
    expect(JSON.stringify(rows)).not.toContain(passphrase);
    expect(app.pageErrors.filter((message) => message.includes(passphrase))).toEqual([]);
    await quit(app);
  });
});
