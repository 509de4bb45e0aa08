import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type KiopsClient } from '../../shared/contract/client.ts';
import { startKubeTestServer, type KubeObject, type KubeTestServer } from '../kube-server/index.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { type BrowserApp, startBrowserApp, trustedClient } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { ConfigTab } from './pages/config-tab.ts';
import { DeploymentTab } from './pages/deployment-tab.ts';
import { OperationsModalPage } from './pages/operations-modal-page.ts';
import { ServiceManagementPage } from './pages/service-management-page.ts';

useTestEnvironment('keyring');

// The dry-run diff an operator sees before applying an image change and a ConfigMap edit.
describe('Change preview before applying', () => {
  let kube: KubeTestServer;
  let app: BrowserApp;
  let shell: AppShellPage;
  let modal: OperationsModalPage;
  const settings = () => kube.get<KubeObject & { data?: Record<string, string> }>('ConfigMap', 'default', 'ledger-settings')?.data;
  const image = () => kube.get('Deployment', 'default', 'ledger')?.['spec'] as { template: { spec: { containers: { image: string }[] } } } | undefined;

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20 } });
    kube.applyDeployment({ name: 'ledger', replicas: 1, image: 'nginx:1.27' });
    kube.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ledger-settings', namespace: 'default' }, data: { LOG_LEVEL: 'info', CURRENCY: 'EUR' } });
    app = await startBrowserApp();
    const client: KiopsClient = trustedClient(app.server.core, 'change-preview-e2e');
    await client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('developer', 'default') }, contexts: [kube.contextName('developer')], name: 'staging cluster' });
    shell = new AppShellPage(app.page);
    modal = new OperationsModalPage(app.page);
    const services = new ServiceManagementPage(app.page);
    await shell.waitUntilReady();
    await shell.navigate('services');
    await services.waitForService('ledger');
    await services.operate('ledger');
    await modal.waitUntilOpen();
    await modal.dismissConnectionMethodDialog();
  });

  afterAll(async () => {
    await app?.close();
    await kube?.close();
  });

  test('an image change shows the server dry run\'s diff in its confirmation, and nothing changes until it is applied', async () => {
    const tab = new DeploymentTab(app.page);
    await modal.openTab('Deployment Management', 'deployment');
    await tab.root.waitFor();
    const preview = await tab.openImageChange('ledger', 'nginx:1.28');
    expect(await preview.lines()).toEqual(expect.arrayContaining([['spec.template.spec.containers[ledger].image', 'changed', 'nginx:1.27', 'nginx:1.28']]));
    expect(image()?.template.spec.containers[0]?.image).toBe('nginx:1.27');
    await shell.screenshot('change-preview-image-en');
    await tab.confirm();
    await expect.poll(() => tab.containerImage('ledger').textContent(), { timeout: 30_000 }).toBe('nginx:1.28');
  });

  test('a ConfigMap edit shows the key before and after while it is typed, and is stored only on Save', async () => {
    const config = new ConfigTab(app.page);
    await modal.openTab('Config/Secret', 'config');
    await config.root.waitFor();
    await config.open('configmap', 'ledger-settings');
    const preview = await config.previewEdit('LOG_LEVEL', 'debug');
    await expect.poll(() => preview.lines()).toEqual([['data.LOG_LEVEL', 'changed', 'info', 'debug']]);
    expect(settings()).toEqual({ LOG_LEVEL: 'info', CURRENCY: 'EUR' });
    await shell.screenshot('change-preview-configmap-en');
    await config.saveEdit();
    await expect.poll(() => config.value('LOG_LEVEL').textContent()).toBe('debug');
    expect(settings()).toEqual({ LOG_LEVEL: 'debug', CURRENCY: 'EUR' });
  });
});
