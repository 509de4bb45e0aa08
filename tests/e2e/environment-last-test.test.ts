import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type KiopsClient } from '../../shared/contract/client.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { type BrowserApp, startBrowserApp, trustedClient } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { RuntimeEnvironmentsPage } from './pages/runtime-environments-page.ts';

const env = useTestEnvironment('keyring', 'docker');

describe('Runtime Environments: the last test and the method in use', () => {
  let app: BrowserApp;
  let shell: AppShellPage;
  let page: RuntimeEnvironmentsPage;
  const name = `engine ${Date.now().toString(36)}`;

  beforeAll(async () => {
    app = await startBrowserApp();
    const client: KiopsClient = trustedClient(app.server.core, 'last-test-e2e');
    await client.call('environments.addEngine', { name, engine: 'docker', socketPath: env.docker.socketPath });
    shell = new AppShellPage(app.page);
    page = new RuntimeEnvironmentsPage(app.page);
    await shell.waitUntilReady();
    await shell.navigate('environments');
    await page.row(name).waitFor();
  });
  afterAll(async () => {
    await app?.close();
  });

  test('"Last test" is still there after a reload', async () => {
    expect(await page.testResult(name).getAttribute('data-state')).toBe('none');
    expect(await page.testConnection(name)).toBe('connected');
    const shown = await page.testResult(name).textContent();
    expect(shown).toMatch(/Connected via Direct in \d+ ms/);

    await app.page.reload();
    await shell.waitUntilReady();
    await shell.navigate('environments');
    await page.row(name).waitFor();
    expect(await page.testResult(name).getAttribute('data-state')).toBe('connected');
    expect(await page.testResult(name).textContent()).toBe(shown);
    expect(await page.methodTag(name).getAttribute('data-state')).toBe('connected');
  });

  test.each(['auto', 'direct'] as const)('after Save in the method dialog (%s) the tag names the method in use, not a grey "Auto"', async (choice) => {
    await page.methodTag(name).click();
    await page.methodDialog.waitFor();
    await page.methodDialog.getByTestId(`method-choice-${choice}`).click();
    await page.methodDialog.getByTestId('connection-method-save').click();
    await page.methodDialog.waitFor({ state: 'detached' });
    await page.row(name).locator(`[data-testid="connection-method-tag"][data-selected="${choice}"][data-state="connected"]`).waitFor({ timeout: 60_000 });
    expect((await page.methodTag(name).textContent())?.trim()).toBe(choice === 'auto' ? 'Auto: Direct' : 'Direct');
  });
});
