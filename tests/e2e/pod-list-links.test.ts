// The Pod List in the window over a link the test freezes: the silent link is shown, and after
// the link returns the rows are the server's pods again without the operator doing anything.
// How soon (the idle check is designed to show a frozen link within ~10 s) is not asserted here:
// bounds are ten times what an idle machine needs, since a loaded one delivers late.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startKubeTestServer, type KubeTestServer } from '../kube-server/index.ts';
import { healWaitMs, LinkRelay, silentWaitMs } from '../support/link-relay.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { OperationsModalPage } from './pages/operations-modal-page.ts';
import { PodListTab } from './pages/pod-list-tab.ts';
import { ServiceManagementPage } from './pages/service-management-page.ts';
import { startBrowserApp, type BrowserApp, trustedClient } from './support/browser-app.ts';

useTestEnvironment('keyring');

describe('Pod List over a link that freezes', () => {
  let kube: KubeTestServer;
  let relay: LinkRelay;
  let app: BrowserApp;
  const names = () => kube.podsOf('default', 'orders').map((pod) => pod.metadata.name ?? '').sort();
  const running = () => kube.podsOf('default', 'orders').filter((pod) => pod.status?.phase === 'Running' && !pod.metadata.deletionTimestamp);

  beforeAll(async () => {
    kube = await startKubeTestServer({ nodes: 1, timings: { kubeletStartDelayMs: 40, containerStopMs: 20 } });
    kube.applyDeployment({ name: 'orders', replicas: 2, image: 'orders:1' });
    await kube.waitFor(() => running().length === 2, 10_000, 'orders running');
    relay = await LinkRelay.start({ port: Number(new URL(kube.url).port) });
    app = await startBrowserApp();
    await trustedClient(app.server.core, 'pod-list-links-e2e').call('environments.addKubernetes', {
      source: { kind: 'text', text: kube.kubeconfigYaml('developer', 'default').replace(kube.url, `https://127.0.0.1:${relay.port}`) },
      contexts: [kube.contextName('developer')],
      name: 'vpn cluster',
    });
  });
  afterAll(async () => {
    await app?.close();
    await relay?.close();
    await kube?.close();
  });

  test('shows the silent link, and is true again after the return without the operator doing anything', async () => {
    const shell = new AppShellPage(app.page);
    const services = new ServiceManagementPage(app.page);
    const modal = new OperationsModalPage(app.page);
    const pods = new PodListTab(app.page);
    await shell.waitUntilReady();
    await shell.navigate('services');
    await services.waitForService('orders');
    await services.operate('orders');
    await modal.waitUntilOpen();
    await modal.dismissConnectionMethodDialog();
    await modal.tabs.filter({ hasText: 'Pod List' }).click();
    await expect.poll(() => pods.podNames(), { timeout: 30_000 }).toEqual(names());

    relay.freeze();
    await pods.banner.and(app.page.locator('[data-state="reconnecting"]')).waitFor({ timeout: silentWaitMs });
    expect(await pods.banner.textContent()).toMatch(/the link is silent/);
    await shell.screenshot('operations-pods-silent-link-en');

    // Rolled while the window could not see it: every row it shows is now a dead pod.
    kube.applyDeployment({ name: 'orders', replicas: 2, image: 'orders:2' });
    const before = await pods.podNames();
    await kube.waitFor(() => running().length === 2 && kube.podsOf('default', 'orders').length === 2 && !names().some((name) => before.includes(name)), 20_000, 'orders rolled');
    relay.resume();
    await expect.poll(() => pods.podNames(), { timeout: healWaitMs }).toEqual(names());
    await expect.poll(() => pods.banner.count(), { timeout: healWaitMs }).toBe(0);
  });
});
