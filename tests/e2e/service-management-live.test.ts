import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createMemoryTransport } from '../../electron/main/ipc/memory-transport.ts';
import { createClient, type KiopsClient } from '../../shared/contract/client.ts';
import { compose, EngineContainers } from '../integration/catalog/support.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { startBrowserApp, type BrowserApp } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { ServiceManagementPage } from './pages/service-management-page.ts';

const env = useTestEnvironment('keyring', 'docker');

describe('Service Management stays live', () => {
  let app: BrowserApp;
  let shell: AppShellPage;
  let services: ServiceManagementPage;
  const containers = new EngineContainers(env.docker.socketPath, env.docker.images.version1.reference);
  const project = `live${Date.now().toString(36)}`;

  beforeAll(async () => {
    await containers.run(`${project}-web-1`, compose(project, 'web'));
    await containers.run(`${project}-db-1`, compose(project, 'db'));
    app = await startBrowserApp();
    const sender = { transport: 'memory', origin: 'service-live-e2e' } as const;
    app.server.core.senderPolicy.allow((s) => s.origin === sender.origin);
    const client: KiopsClient = createClient(createMemoryTransport(app.server.core.router, sender));
    await client.call('environments.addEngine', { name: 'live host', engine: 'docker', socketPath: env.docker.socketPath });
    shell = new AppShellPage(app.page);
    services = new ServiceManagementPage(app.page);
    await shell.waitUntilReady();
  });
  afterAll(async () => {
    await app?.close();
    await containers.removeAll();
  });

  test('a container stopped and started outside the app shows in the row without Refresh', async () => {
    await shell.navigate('services');
    await services.waitForService(project);
    await expect.poll(() => services.statusOf(project).textContent(), { timeout: 60_000 }).toContain('2/2 running');

    await containers.docker.getContainer(`${project}-db-1`).stop();
    await expect.poll(() => services.statusOf(project).textContent(), { timeout: 60_000 }).toContain('1/2 running');

    await containers.docker.getContainer(`${project}-db-1`).start();
    await expect.poll(() => services.statusOf(project).textContent(), { timeout: 60_000 }).toContain('2/2 running');
  });
});
