import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type KiopsClient } from '../../shared/contract/client.ts';
import { startKubeTestServer, type Deployment, type KubeTestServer } from '../kube-server/index.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { type BrowserApp, startBrowserApp, trustedClient } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { ConfigTab } from './pages/config-tab.ts';
import { DomainsTab } from './pages/domains-tab.ts';
import { OperationsModalPage } from './pages/operations-modal-page.ts';
import { ServiceManagementPage } from './pages/service-management-page.ts';

useTestEnvironment('keyring');

const secretValue = 'e2e-db-password-7731';

describe('Config/Secret and Domain Settings tabs of a Kubernetes service', () => {
  let kube: KubeTestServer;
  let app: BrowserApp;
  let shell: AppShellPage;
  let services: ServiceManagementPage;
  let modal: OperationsModalPage;
  let config: ConfigTab;
  let domains: DomainsTab;

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20 } });
    kube.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'store-settings', namespace: 'default' }, data: { LOG_LEVEL: 'info', CURRENCY: 'EUR' } });
    kube.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace: 'default' }, data: { 'ca.crt': '-----BEGIN CERTIFICATE-----' } });
    kube.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'store-db', namespace: 'default' }, type: 'Opaque', data: { PASSWORD: Buffer.from(secretValue).toString('base64') } });
    kube.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'store', namespace: 'default' }, spec: { selector: { app: 'store' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
    const deployment: Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'store', namespace: 'default', labels: { app: 'store' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'store' } },
        template: {
          metadata: { labels: { app: 'store' } },
          spec: {
            containers: [{ name: 'store', image: 'nginx:1.27', envFrom: [{ configMapRef: { name: 'store-settings' } }, { secretRef: { name: 'store-db' } }] }],
          },
        },
      },
    };
    kube.applyDeployment(deployment);
    app = await startBrowserApp();
    const client: KiopsClient = trustedClient(app.server.core, 'config-domains-e2e');
    await client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('developer', 'default') }, contexts: [kube.contextName('developer')], name: 'staging cluster' });
    shell = new AppShellPage(app.page);
    services = new ServiceManagementPage(app.page);
    modal = new OperationsModalPage(app.page);
    config = new ConfigTab(app.page);
    domains = new DomainsTab(app.page);
    await shell.waitUntilReady();
    await shell.navigate('services');
    await services.waitForService('store');
    await services.operate('store');
    await modal.waitUntilOpen();
    await modal.dismissConnectionMethodDialog();
  });

  afterAll(async () => {
    await app?.close();
    await kube?.close();
  });

  test('edit a ConfigMap key: the cluster has the new value and the table shows it', async () => {
    await modal.openTab('Config/Secret', 'config');
    await config.root.waitFor();
    await expect.poll(async () => (await config.objectNames()).slice(0, 2)).toEqual(['configmap/store-settings', 'secret/store-db']);
    await config.open('configmap', 'store-settings');
    expect(await config.value('LOG_LEVEL').textContent()).toBe('info');
    await config.editKey('LOG_LEVEL', 'debug');
    await expect.poll(() => config.value('LOG_LEVEL').textContent()).toBe('debug');
    expect((kube.get('ConfigMap', 'default', 'store-settings')?.['data'] as Record<string, string> | undefined)?.['LOG_LEVEL']).toBe('debug');
    await shell.screenshot('config-tab-configmap-en');
  });

  test('reveal a Secret key: masked until asked, then exactly that value', async () => {
    await config.open('secret', 'store-db');
    expect(await config.value('PASSWORD').textContent()).not.toContain(secretValue);
    await config.reveal('PASSWORD');
    await expect.poll(() => config.value('PASSWORD').textContent()).toBe(secretValue);
    await shell.screenshot('config-tab-secret-revealed-en');
  });

  test('add a domain: the rule appears and the Ingress named after the Deployment routes it', async () => {
    await modal.openTab('Domain Settings', 'domains');
    await domains.root.waitFor();
    await domains.root.getByTestId('domains-empty').waitFor();
    await domains.root.getByTestId('domain-host').locator('input').fill('Bad_Host.example.com');
    await domains.hostHint.waitFor();
    await domains.add('store.example.com', '/');
    expect(await domains.rules()).toEqual(['store.example.com | / | Prefix | store:80 | — | store']);
    await expect.poll(() => domains.root.getByTestId('domain-host').locator('input').inputValue()).toBe('');
    const spec = kube.get('Ingress', 'default', 'store', 'networking.k8s.io')?.['spec'] as { rules?: { host?: string }[] } | undefined;
    expect(spec?.rules?.map((rule) => rule.host)).toEqual(['store.example.com']);
    await shell.screenshot('domains-tab-en');
  });
});
