import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeDockerConfig, writeDockerContext } from '../integration/environments/support/docker-context-files.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { startBrowserApp, type BrowserApp } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { RuntimeEnvironmentsPage } from './pages/runtime-environments-page.ts';

const env = useTestEnvironment('keyring', 'docker');

// Issue 12: "Add Docker/Podman host → From a Docker context" lists the Docker CLI's contexts with
// the one DOCKER_CONTEXT picks already chosen, and will not add a plain tcp:// context until the
// user has read the warning and accepted it.
describe('Add Docker/Podman host from a Docker context', () => {
  let app: BrowserApp;
  let shell: AppShellPage;
  let environments: RuntimeEnvironmentsPage;
  let scratch: string;
  const unique = `e2ectx${Date.now().toString(36)}`;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'kiops-e2e-ctx-'));
    const configDir = join(scratch, 'docker-config');
    writeDockerConfig(configDir, undefined);
    writeDockerContext(configDir, `${unique}-local`, `unix://${env.docker.socketPath}`);
    writeDockerContext(configDir, `${unique}-plain`, 'tcp://127.0.0.1:2375');
    app = await startBrowserApp({ host: { env: { DOCKER_CONFIG: configDir, DOCKER_CONTEXT: `${unique}-local` }, homeDir: scratch } });
    shell = new AppShellPage(app.page);
    environments = new RuntimeEnvironmentsPage(app.page);
    await shell.waitUntilReady();
  });
  afterAll(async () => {
    await app?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  test('the DOCKER_CONTEXT context is chosen and added; plain tcp needs the user’s acceptance', async () => {
    await shell.navigate('environments');
    await app.page.getByTestId('add-engine').click();
    await app.page.getByTestId('engine-mode-context').click();
    const local = app.page.locator(`[data-testid="docker-context"][data-context="${unique}-local"]`);
    await local.waitFor();
    await expect.poll(() => local.locator('input[type="radio"]').isChecked()).toBe(true);
    expect(await local.textContent()).toContain('current (DOCKER_CONTEXT)');
    await expect.poll(() => app.page.getByTestId('engine-name').locator('input').inputValue()).toBe(`docker (${unique}-local)`);

    // plain tcp: the warning shows and Add stays disabled until the box is ticked
    await app.page.locator(`[data-testid="docker-context"][data-context="${unique}-plain"]`).getByText(`${unique}-plain`).click();
    await app.page.getByTestId('docker-context-plain-tcp').waitFor();
    expect(await app.page.getByTestId('docker-context-plain-tcp').textContent()).toContain('plain TCP');
    expect(await app.page.getByTestId('engine-add').isDisabled()).toBe(true);
    await shell.screenshot('engine-wizard-docker-context-plain-tcp');

    await local.getByText(`${unique}-local`).click();
    await environments.submitEngine(`docker (${unique}-local)`);
    expect(await environments.row(`docker (${unique}-local)`).textContent()).toContain(env.docker.socketPath);
  });
});
