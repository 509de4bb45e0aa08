// An app restart while an engine is unreachable: its services stay listed from the last known
// state, marked, with a countdown that counts; when the engine returns the list is true again
// without the user doing anything (how soon: bench/link-heal.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compose, EngineContainers } from '../integration/catalog/support.ts';
import { healWaitMs, LinkRelay } from '../support/link-relay.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { ServiceManagementPage } from './pages/service-management-page.ts';
import { startBrowserApp, type BrowserApp, trustedClient } from './support/browser-app.ts';

const env = useTestEnvironment('keyring', 'docker');

describe.each(['docker'] as const)('Service Management after an app restart with %s down', (kind) => {
  let dataDir: string;
  let relay: LinkRelay;
  let app: BrowserApp | undefined;
  const containers = new EngineContainers(env[kind].socketPath, env[kind].images.version1.reference);
  const project = `back${kind}${Date.now().toString(36)}`;

  const open = async (): Promise<{ shell: AppShellPage; services: ServiceManagementPage }> => {
    app = await startBrowserApp({ dataDir });
    const shell = new AppShellPage(app.page);
    await shell.waitUntilReady();
    await shell.navigate('services');
    return { shell, services: new ServiceManagementPage(app.page) };
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kiops-e2e-recovery-'));
    relay = await LinkRelay.start({ path: env[kind].socketPath }, { path: join(dataDir, 'engine-relay.sock') });
    await containers.run(`${project}-web-1`, compose(project, 'web'));
    await containers.run(`${project}-db-1`, compose(project, 'db'));
  });
  afterAll(async () => {
    await app?.close();
    await relay?.close();
    await containers.removeAll();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('shows the last known services while down, counts down, and is true again after the return', async () => {
    app = await startBrowserApp({ dataDir });
    await trustedClient(app.server.core, 'service-recovery-e2e').call('environments.addEngine', { name: `flaky ${kind}`, engine: kind, socketPath: join(dataDir, 'engine-relay.sock') });
    await app.close();

    const before = await open();
    await before.services.waitForService(project);
    expect(await before.services.statusOf(project).textContent()).toContain('2/2 running');
    await app.close();

    relay.down();
    const { shell, services } = await open();
    await services.waitForService(project);
    await services.staleTagOf(project).waitFor();
    expect(await services.environmentErrors.count()).toBe(1);
    expect(await services.page.getByTestId('service-environment-stale').textContent()).toMatch(/last seen at/);
    // the countdown counts: a later reading is lower than an earlier one (or it restarted after a try)
    await expect.poll(() => services.autoRetryCountdown(), { timeout: 30_000 }).toBeGreaterThan(1);
    const first = await services.autoRetryCountdown();
    await expect.poll(() => services.autoRetryCountdown(), { timeout: 30_000 }).not.toBe(first);
    await shell.screenshot(`service-management-stale-${kind}`);

    await containers.docker.getContainer(`${project}-db-1`).stop({ t: 0 });
    relay.resume();
    await expect.poll(async () => (await services.environmentErrors.count()) === 0 && (await services.statusOf(project).textContent())?.includes('1/2 running'), { timeout: healWaitMs }).toBe(true);
    expect(await services.staleTagOf(project).count()).toBe(0);
  });
});
