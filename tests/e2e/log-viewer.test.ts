import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createMemoryTransport } from '../../electron/main/ipc/memory-transport.ts';
import { createClient, type KiopsClient } from '../../shared/contract/client.ts';
import { startKubeTestServer, type KubeTestServer, type Pod } from '../kube-server/index.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { type BrowserApp, startBrowserApp, trustedClient } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { LogViewerTab } from './pages/log-viewer-tab.ts';
import { OperationsModalPage } from './pages/operations-modal-page.ts';
import { ServiceManagementPage } from './pages/service-management-page.ts';

useTestEnvironment('keyring');

describe('Log Viewer tab', () => {
  let kube: KubeTestServer;
  let app: BrowserApp;
  let shell: AppShellPage;
  let services: ServiceManagementPage;
  let modal: OperationsModalPage;
  let logs: LogViewerTab;
  const live = (deployment: string): Pod[] => kube.podsOf('default', deployment).filter((pod) => !pod.metadata.deletionTimestamp);

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 30, containerRunMs: 60, backoffBaseMs: 80, backoffMaxMs: 300 } });
    kube.applyDeployment({ name: 'web', replicas: 1, image: 'nginx:1.27' });
    kube.applyDeployment({ name: 'crasher', replicas: 1, image: 'registry.local/app-crash:1' });
    await kube.waitFor(() => live('web')[0]?.status?.phase === 'Running', 10_000, 'web running');
    await kube.waitFor(() => (live('crasher')[0]?.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1, 10_000, 'the crasher restarted');
    const web = live('web')[0]?.metadata.name ?? '';
    const lines = Array.from({ length: 2000 }, (_, i) =>
      i % 100 === 0 ? `\x1b[31mERROR\x1b[0m request ${i} failed: upstream timeout` : `\x1b[32mINFO\x1b[0m GET /api/items/${i} 200 ${i % 37}ms`,
    );
    kube.appendPodLog('default', web, 'web', lines.join('\n'));
    app = await startBrowserApp();
    const client: KiopsClient = trustedClient(app.server.core, 'log-viewer-e2e');
    await client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('developer', 'default') }, contexts: [kube.contextName('developer')], name: 'staging cluster' });
    shell = new AppShellPage(app.page);
    services = new ServiceManagementPage(app.page);
    modal = new OperationsModalPage(app.page);
    logs = new LogViewerTab(app.page);
    await shell.waitUntilReady();
  });
  afterAll(async () => {
    await app?.close();
    await kube?.close();
  });

  async function openLogViewer(service: string): Promise<void> {
    if (await modal.root.isVisible().catch(() => false)) await modal.close();
    await modal.openFrom(shell, services, app.calls, service);
    await modal.tabs.filter({ hasText: 'Log Viewer' }).click();
    await logs.root.waitFor();
  }

  test('views a pod log with colours, searches it and steps through the highlighted matches', async () => {
    await openLogViewer('web');
    await logs.view();
    await expect.poll(() => logs.lines.count()).toBeGreaterThan(10);
    // The default tail is 1,000 lines, virtualized: far fewer rows in the DOM, the newest in view.
    expect(await logs.lines.count()).toBeLessThan(200);
    await expect.poll(() => logs.visibleText()).toContain('GET /api/items/1999 200');
    expect(await logs.status.textContent()).toContain('1,000 lines');
    expect(await logs.visibleText()).not.toContain('\x1b');
    await shell.screenshot('log-viewer-en');

    await logs.search('error');
    await expect.poll(() => logs.matchCount.textContent()).toBe('1 of 10');
    await logs.nextMatch();
    await expect.poll(() => logs.matchCount.textContent()).toBe('2 of 10');
    expect(await logs.currentHighlight.textContent()).toBe('ERROR');
    // The match scrolled into view keeps its ANSI red inside the highlight.
    const red = await logs.root.locator('[data-testid="log-view"] span.current', { hasText: /^ERROR$/ }).first().evaluate((el) => el.getAttribute('style'));
    expect(red).toBe('color: rgb(205, 49, 49);');
    expect(await logs.highlights.count()).toBeGreaterThanOrEqual(1);
    await shell.screenshot('log-viewer-search-en');

    await logs.root.getByTestId('log-load-earlier').click();
    await expect.poll(() => logs.status.textContent()).toContain('2,0');
    await expect.poll(() => logs.matchCount.textContent()).toBe('1 of 20');

    await logs.clear();
    await expect.poll(() => logs.lines.count()).toBe(0);
    await modal.close();
  });

  test("reads the previous container's logs of a crash-looping pod", async () => {
    await openLogViewer('crasher');
    await logs.setPrevious(true);
    await logs.view();
    await expect.poll(() => logs.visibleText()).toContain('Error: connection refused: simulated failure');
    expect(await logs.visibleText()).toContain('Exiting with status 1');
    expect(await logs.status.textContent()).toContain('(previous)');
    await shell.screenshot('log-viewer-previous-en');
    await modal.close();
  });

  test('a pod deleted since the targets were listed gives the readable error and the hint', async () => {
    await openLogViewer('web');
    const pod = live('web')[0]?.metadata.name ?? '';
    // Deleted behind the window's back: the dropdown still names it.
    const client = createClient(createMemoryTransport(app.server.core.router, { transport: 'memory', origin: 'log-viewer-e2e' }));
    const serviceId = (await client.call('catalog.list', {})).services.find((s) => s.name === 'web')?.id ?? '';
    await client.call('pods.forceDelete', { serviceId, pod });
    await logs.view();
    await logs.error.waitFor();
    // the explanation names the cause (the pod is gone) and what to do
    expect(await logs.root.getByTestId('log-error-hint').getAttribute('data-cause')).toBe('pod-gone');
    expect(await logs.error.textContent()).toContain('The pod is gone');
    expect(await logs.error.textContent()).toContain('Reload the targets and pick a current pod');
    await shell.screenshot('log-viewer-error-en');
    await modal.close();
  });
});
