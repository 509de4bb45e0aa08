import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createMemoryTransport } from '../../electron/main/ipc/memory-transport.ts';
import { createClient } from '../../shared/contract/client.ts';
import { startKubeTestServer, type KubeTestServer } from '../kube-server/index.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { startBrowserApp, type BrowserApp } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { ChangePreviewPanel } from './pages/change-preview.ts';
import { DeploymentTab } from './pages/deployment-tab.ts';
import { OperationsModalPage } from './pages/operations-modal-page.ts';
import { PodListTab } from './pages/pod-list-tab.ts';
import { ServiceManagementPage } from './pages/service-management-page.ts';

useTestEnvironment('keyring');

// In production the one confirmation that asks for the service name also shows the dry-run diff
// of the change being confirmed, so what is typed for is what is seen; the button's own
// "are you sure?" pop-up is not shown there, so the operator is asked once, never twice.
describe('Production confirmation with the change preview', () => {
  let kube: KubeTestServer;
  let app: BrowserApp;
  let shell: AppShellPage;
  let modal: OperationsModalPage;
  const image = () => (kube.get('Deployment', 'dev', 'payments')?.['spec'] as { template: { spec: { containers: { image: string }[] } } } | undefined)?.template.spec.containers[0]?.image;

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20 } });
    kube.applyDeployment({ name: 'payments', namespace: 'dev', replicas: 1, image: 'nginx:1.27' });
    app = await startBrowserApp();
    const sender = { transport: 'memory', origin: 'production-change-preview-e2e' } as const;
    app.server.core.senderPolicy.allow((s) => s.origin === sender.origin);
    const client = createClient(createMemoryTransport(app.server.core.router, sender));
    // Production gets only logs by default; this organisation lets operators manage it.
    await writeFile(join(app.server.dataDir, 'organisation-policy.yaml'), 'version: 1\nrules:\n  - match: { tag: production }\n    allow: [logs, commands, management]\n');
    await client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('developer', 'dev') }, contexts: [kube.contextName('developer')], name: 'production cluster', production: true });
    shell = new AppShellPage(app.page);
    modal = new OperationsModalPage(app.page);
    const services = new ServiceManagementPage(app.page);
    await shell.waitUntilReady();
    await shell.navigate('services');
    await services.waitForService('payments');
    await services.operate('payments');
    await modal.waitUntilOpen();
    await modal.dismissConnectionMethodDialog();
  });

  afterAll(async () => {
    await app?.close();
    await kube?.close();
  });

  test('an image change in production shows the server dry run\'s diff inside the production dialog; applied only once the name is typed', async () => {
    const tab = new DeploymentTab(app.page);
    await modal.openTab('Deployment Management', 'deployment');
    await tab.root.waitFor();
    await tab.requestImageChange('payments', 'nginx:1.29');
    const dialog = app.page.getByTestId('production-confirm');
    await dialog.waitFor();
    // asked once: no pop-confirm opened before the production dialog
    expect(await app.page.locator('.n-popconfirm').count()).toBe(0);
    const preview = new ChangePreviewPanel(dialog.getByTestId('change-preview'));
    await preview.answered();
    expect(await preview.lines()).toEqual(expect.arrayContaining([['spec.template.spec.containers[payments].image', 'changed', 'nginx:1.27', 'nginx:1.29']]));
    expect(await dialog.getByTestId('production-confirm-text').innerText()).toBe('payments');
    expect(image()).toBe('nginx:1.27');
    await dialog.getByTestId('production-confirm-input').locator('input').fill('payments');
    await shell.screenshot('production-confirm-image-diff-en');
    await dialog.getByTestId('production-confirm-run').click();
    await expect.poll(() => tab.containerImage('payments').textContent(), { timeout: 30_000 }).toBe('nginx:1.29');
    expect(image()).toBe('nginx:1.29');
  });

  test('a pod restart in production asks once: straight to the production dialog, Cancel changes nothing, the typed name restarts it', async () => {
    const pods = new PodListTab(app.page);
    await modal.openTab('Pod List', 'pods');
    const live = () => kube.podsOf('dev', 'payments').filter((pod) => !pod.metadata.deletionTimestamp && pod.status?.phase === 'Running');
    await kube.waitFor(() => live().length === 1, 30_000, 'one payments pod running');
    const before = live()[0]?.metadata.name ?? '';
    await expect.poll(() => pods.podNames(), { timeout: 30_000 }).toContain(before);
    const dialog = app.page.getByTestId('production-confirm');
    await pods.row(before).getByTestId('pod-restart').click();
    await dialog.waitFor();
    expect(await app.page.locator('.n-popconfirm').count()).toBe(0);
    await dialog.getByTestId('production-confirm-cancel').click();
    await dialog.waitFor({ state: 'hidden' });
    expect(live().map((pod) => pod.metadata.name)).toEqual([before]);

    await pods.row(before).getByTestId('pod-restart').click();
    await dialog.getByTestId('production-confirm-input').locator('input').fill('payments');
    await dialog.getByTestId('production-confirm-run').click();
    await kube.waitFor(() => live().length === 1 && live()[0]?.metadata.name !== before, 30_000, 'the pod replaced');
  });
});
