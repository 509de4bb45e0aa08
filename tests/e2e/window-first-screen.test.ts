import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startKubeTestServer, type KubeTestServer } from '../kube-server/index.ts';
import { LinkRelay, silentWaitMs } from '../support/link-relay.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { startBrowserApp, trustedClient, type BrowserApp } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { ServiceManagementPage } from './pages/service-management-page.ts';

useTestEnvironment('keyring');

// A window draws its first screen with main's first answers in it (the app's state, the services),
// but never waits on a cluster: when one gives no answer, the window still draws its page, with
// the table loading, and that cluster's banner comes when its read gives up.

describe('a window opening while a cluster gives no answer', () => {
  let kube: KubeTestServer;
  let relay: LinkRelay;
  let app: BrowserApp;

  beforeAll(async () => {
    kube = await startKubeTestServer({ nodes: 1 });
    kube.applyDeployment({ name: 'checkout', replicas: 1, image: 'nginx:1.27' });
    relay = await LinkRelay.start({ port: Number(new URL(kube.url).port) });
    app = await startBrowserApp();
    const client = trustedClient(app.server.core, 'window-first-screen-e2e');
    await client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('developer', 'default') }, contexts: [kube.contextName('developer')], name: 'staging cluster' });
    await client.call('environments.addKubernetes', {
      source: { kind: 'text', text: kube.kubeconfigYaml('developer', 'default').replace(kube.url, `https://127.0.0.1:${relay.port}`) },
      contexts: [kube.contextName('developer')],
      name: 'silent cluster',
    });
    await new AppShellPage(app.page).waitUntilReady();
  });
  afterAll(async () => {
    await app?.close();
    await relay?.close();
    await kube?.close();
  });

  test('draws its page with the table loading, then the silent cluster’s banner and the other cluster’s services', async () => {
    const services = new ServiceManagementPage(app.page);
    relay.freeze();
    await app.page.reload();
    // while the silent cluster's read is still out: the page, its table loading, no service yet
    await app.page.getByTestId('page-services').getByTestId('page-heading').waitFor();
    await services.table.and(app.page.locator('[data-loading="true"]')).waitFor();
    expect(await services.environmentErrors.count()).toBe(0);
    expect(await services.names()).toEqual([]);

    await services.environmentErrors.first().waitFor({ timeout: silentWaitMs });
    expect(await services.environmentErrors.textContent()).toContain('silent cluster');
    await services.waitForService('checkout');
    await new AppShellPage(app.page).waitUntilReady();
  });
});
