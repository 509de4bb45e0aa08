import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestSshd, type TestSshd } from '../integration/connections/support/sshd.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { startBrowserApp, type BrowserApp } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { RuntimeEnvironmentsPage } from './pages/runtime-environments-page.ts';

// Issue 12 (SSH): the Add Docker/Podman host → SSH step offers the ~/.ssh/config aliases; a
// changed host key shows both fingerprints and is re-pinned only after an explicit tick.
describe('SSH hosts from ~/.ssh/config and the host-key-changed screen', () => {
  const env = useTestEnvironment('keyring', 'docker');
  let sshd: TestSshd;
  let home: string;
  let app: BrowserApp;
  let shell: AppShellPage;
  let page: RuntimeEnvironmentsPage;
  const alias = `kiops-e2e-host-${process.pid}`;
  const name = `docker via ${alias}`;
  const stateOf = (state: string) => app.page.locator(`[data-testid="environment-row"][data-name="${name}"] [data-testid="test-result"][data-state="${state}"]`);

  beforeAll(async () => {
    sshd = await startTestSshd();
    home = await mkdtemp(join(tmpdir(), 'kiops-e2e-home-'));
    await mkdir(join(home, '.ssh'));
    await writeFile(join(home, '.ssh', 'config'), [`Host ${alias}`, '  HostName 127.0.0.1', `  Port ${sshd.port}`, `  User ${sshd.username}`, 'Host *', '  User nobody', ''].join('\n'));
    app = await startBrowserApp({ host: { env: process.env, homeDir: home } });
    shell = new AppShellPage(app.page);
    page = new RuntimeEnvironmentsPage(app.page);
    await shell.waitUntilReady();
    await shell.navigate('environments');
  });
  afterAll(async () => {
    await app?.close();
    await sshd?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  test('picks the host by its ssh-config alias, then a changed key is shown, refused and re-pinned after confirmation', async () => {
    await page.openTab('identities');
    await page.fillIdentity(app.page.getByTestId('ssh-identity-form'), { name: 'e2e host key', privateKey: sshd.keys.ed25519 });
    await page.identityRow('e2e host key').waitFor();
    await page.openEnvironmentsTab();

    await page.openRemoteEngineWizard();
    await page.select('ssh-config-alias', alias);
    expect(await app.page.getByTestId('ssh-host').locator('input').inputValue()).toBe('127.0.0.1');
    expect(await app.page.getByTestId('ssh-port').locator('input').inputValue()).toBe(String(sshd.port));
    expect(await app.page.getByTestId('ssh-user').locator('input').inputValue()).toBe(sshd.username);
    await page.select('ssh-identity', 'e2e host key');
    await page.fill('engine-socket', env.docker.socketPath);
    await page.fill('engine-name', name);
    await shell.screenshot('environments-engine-ssh-config-alias');
    await page.submitEngine(name);

    expect(await page.testConnection(name)).toBe('needs-host-key-confirmation');
    await page.hostKeyDialog.getByTestId('host-key-trust').click();
    await page.hostKeyDialog.waitFor({ state: 'detached' });
    await stateOf('connected').waitFor();

    const before = await sshd.hostFingerprint();
    await sshd.replaceHostKey({ dropSessions: true });
    const after = await sshd.hostFingerprint();
    expect(await page.testConnection(name)).toBe('error');
    await app.page.locator('[data-testid="host-key-dialog"][data-kind="changed"]').waitFor();
    expect(await page.hostKeyDialog.getByTestId('host-key-previous').textContent()).toBe(before);
    expect(await page.hostKeyDialog.getByTestId('host-key-presented').textContent()).toBe(after);
    expect(await page.hostKeyDialog.getByTestId('host-key-repin').isDisabled()).toBe(true);
    await shell.screenshot('environments-host-key-changed');

    await page.hostKeyDialog.getByTestId('host-key-confirm-new').click();
    await page.hostKeyDialog.getByTestId('host-key-repin').click();
    await page.hostKeyDialog.waitFor({ state: 'detached' });
    await stateOf('connected').waitFor();
  });
});
