import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type KiopsClient } from '../../shared/contract/client.ts';
import { startKubeTestServer, type KubeTestServer } from '../kube-server/index.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { type BrowserApp, startBrowserApp, trustedClient } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { OperationsModalPage } from './pages/operations-modal-page.ts';
import { PodListTab } from './pages/pod-list-tab.ts';
import { ServiceManagementPage } from './pages/service-management-page.ts';

useTestEnvironment('keyring');

const hangul = /[\uac00-\ud7a3]/;

// Main writes the Pending expand row's findings; a Korean window shows them in Korean, with the
// cluster's own numbers and names (issue #15 §6).
describe('the Pending cause in a Korean window', () => {
  let kube: KubeTestServer;
  let app: BrowserApp;
  let shell: AppShellPage;
  const deployment = `hungry${Date.now().toString(36)}`;

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20 } });
    // Nodes have 4 CPU each: a pod asking for 6 never fits.
    kube.applyDeployment({ name: deployment, replicas: 1, requests: { cpu: '6' }, image: 'nginx:1.27' });
    app = await startBrowserApp();
    const client: KiopsClient = trustedClient(app.server.core, 'pending-cause-korean-e2e');
    await client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('developer', 'default') }, contexts: [kube.contextName('developer')], name: 'staging cluster' });
    shell = new AppShellPage(app.page);
    await shell.waitUntilReady();
  });
  afterAll(async () => {
    await app?.close();
    await kube?.close();
  });

  test('the finding, its evidence and suggestion read as Korean and keep the request and node names', async () => {
    const services = new ServiceManagementPage(app.page);
    const modal = new OperationsModalPage(app.page);
    const pods = new PodListTab(app.page);
    await shell.chooseLanguage('ko');
    await shell.navigate('services');
    await services.waitForService(deployment);
    await services.operate(deployment);
    await modal.waitUntilOpen();
    await modal.dismissConnectionMethodDialog();
    // by the tab's id: its Korean label is the UI's to choose
    await modal.root.locator('.n-tabs-tab[data-name="pods"]').click();
    await pods.root.waitFor();
    await pods.rowsWithTone('pending').first().waitFor({ timeout: 30_000 });
    const pending = (await pods.rowsWithTone('pending').first().getAttribute('data-pod')) ?? '';
    const cause = await pods.viewCause(pending);
    const finding = cause.getByTestId('pod-cause-finding').first();
    expect(await finding.getAttribute('data-cause')).toBe('insufficient-resources');
    const text = (await finding.textContent()) ?? '';
    expect(text).toMatch(hangul);
    // the request and every node's numbers, as main measured them
    expect(text).toContain('6 cores');
    for (const node of ['node-1', 'node-2', 'node-3']) expect(text).toContain(node);
    expect(text).not.toContain('Not enough');
    expect(text).not.toContain('allocatable');
    await shell.screenshot('operations-pods-pending-cause-ko');
  });
});
