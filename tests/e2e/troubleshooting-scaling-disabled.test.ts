import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type KiopsClient } from '../../shared/contract/client.ts';
import { startKubeTestServer, type HorizontalPodAutoscaler, type KubeTestServer } from '../kube-server/index.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { type BrowserApp, startBrowserApp, trustedClient } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { OperationsModalPage } from './pages/operations-modal-page.ts';
import { PodListTab } from './pages/pod-list-tab.ts';
import { ServiceManagementPage } from './pages/service-management-page.ts';

useTestEnvironment('keyring');

// An HPA over a Deployment at 0 replicas does nothing (ScalingDisabled): the Scaling panel says
// why and offers the fix, beside the HPA itself.

describe('Troubleshooting beside the symptom: an HPA at 0 replicas', () => {
  let kube: KubeTestServer;
  let app: BrowserApp;

  beforeAll(async () => {
    kube = await startKubeTestServer({ nodes: 1, metricsServer: true, timings: { kubeletStartDelayMs: 30, hpaSyncMs: 100 } });
    kube.applyDeployment({ name: 'idle', replicas: 0, image: 'nginx:1.27', requests: { cpu: '100m' } });
    app = await startBrowserApp();
    const client: KiopsClient = trustedClient(app.server.core, 'scaling-disabled-e2e');
    const { environments } = await client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('admin', 'default') }, contexts: [kube.contextName('admin')], name: 'zero cluster' });
    await client.call('scaling.setHpa', { serviceId: `${environments[0]?.id ?? ''}:deployment:default/idle`, minReplicas: 2, maxReplicas: 5, targetCpu: 60 });
    await kube.waitFor(
      () => kube.get<HorizontalPodAutoscaler>('HorizontalPodAutoscaler', 'default', 'idle')?.status?.conditions?.some((condition) => condition.reason === 'ScalingDisabled'),
      30_000,
      'ScalingDisabled',
    );
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await kube?.close();
  });

  test('the Scaling panel explains ScalingDisabled and the fix', async () => {
    const shell = new AppShellPage(app.page);
    const services = new ServiceManagementPage(app.page);
    const modal = new OperationsModalPage(app.page);
    const pods = new PodListTab(app.page);
    await shell.waitUntilReady();
    await shell.navigate('services');
    await services.waitForService('idle');
    await services.operate('idle');
    await modal.waitUntilOpen();
    await modal.dismissConnectionMethodDialog();
    await modal.tabs.filter({ hasText: 'Pod List' }).click();
    const notice = pods.root.getByTestId('hpa-scaling-disabled');
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.textContent()).toContain('The HPA does nothing: the Deployment is at 0 replicas');
    expect(await notice.textContent()).toContain('Scale it to at least 1 replica and the HPA keeps it between 2 and 5, or delete the HPA');
    await shell.screenshot('troubleshooting-hpa-scaling-disabled-en');
    expect(app.pageErrors).toEqual([]);
  });
});
