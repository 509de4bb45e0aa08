import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compose, EngineContainers } from '../integration/catalog/support.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { startBrowserApp, type BrowserApp } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { RuntimeEnvironmentsPage } from './pages/runtime-environments-page.ts';
import { ServiceManagementPage } from './pages/service-management-page.ts';

const env = useTestEnvironment('keyring', 'podman');

// Issue 14 part 1: a Podman socket typed into "Add Docker/Podman host → On this machine"
// becomes a Podman environment, whose services say Podman and pass the Podman filter.
describe('a local Podman socket added On this machine', () => {
  let app: BrowserApp;
  let shell: AppShellPage;
  let environments: RuntimeEnvironmentsPage;
  let services: ServiceManagementPage;
  const containers = new EngineContainers(env.podman.socketPath, env.podman.images.version1.reference);
  const project = `pod${Date.now().toString(36)}`;

  beforeAll(async () => {
    await containers.run(`${project}-web-1`, compose(project, 'web'));
    app = await startBrowserApp();
    shell = new AppShellPage(app.page);
    environments = new RuntimeEnvironmentsPage(app.page);
    services = new ServiceManagementPage(app.page);
    await shell.waitUntilReady();
  });
  afterAll(async () => {
    await app?.close();
    await containers.removeAll();
  });

  test('is recorded as Podman, and its services say Podman under the Podman filter', async () => {
    await shell.navigate('environments');
    await app.page.getByTestId('add-engine').click();
    await app.page.getByTestId('engine-mode-local').click();
    await environments.fill('engine-socket', env.podman.socketPath);
    await environments.fill('engine-name', 'workstation podman');
    await environments.submitEngine('workstation podman');
    expect(await environments.row('workstation podman').textContent()).toContain('Podman');

    await shell.navigate('services');
    await services.waitForService(project);
    expect(await services.row(project).getByTestId('service-runtime').textContent()).toBe('Podman');
    await app.page.getByTestId('service-filter-runtime').click();
    await app.page.locator('.n-base-select-option').filter({ hasText: 'Podman' }).first().click();
    await expect.poll(() => services.names()).toEqual([project]);
    await shell.screenshot('podman-environment-services');
  });
});
