import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type KiopsClient } from '../../shared/contract/client.ts';
import { startKubeTestServer, type KubeTestServer } from '../kube-server/index.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { type BrowserApp, startBrowserApp, trustedClient } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { LogViewerTab } from './pages/log-viewer-tab.ts';
import { OperationsModalPage } from './pages/operations-modal-page.ts';
import { PodListTab } from './pages/pod-list-tab.ts';
import { ServiceManagementPage } from './pages/service-management-page.ts';

useTestEnvironment('keyring');

// Beside a CrashLoopBackOff pod: how the last run ended, OOMKilled with the memory limit it hit,
// and a button that opens the Log Viewer on that container. A log fetch that fails says why.

describe('Troubleshooting beside the symptom: CrashLoopBackOff and failed log fetches', () => {
  let kube: KubeTestServer;
  let app: BrowserApp;
  let shell: AppShellPage;
  const podOf = () => kube.podsOf('default', 'hungry')[0];

  beforeAll(async () => {
    // a long first back-off: once crashed, the pod stays in CrashLoopBackOff for the whole test
    kube = await startKubeTestServer({ nodes: 1, timings: { kubeletStartDelayMs: 40, containerRunMs: 100, backoffBaseMs: 300_000, backoffMaxMs: 600_000 } });
    kube.applyDeployment({ name: 'hungry', replicas: 1, image: 'registry.example/oom-worker:2', limits: { memory: '64Mi' } });
    kube.applyDeployment({ name: 'steady', replicas: 1, image: 'nginx:1.27' });
    // a metrics-server Deployment without its APIService: installed, but metrics.k8s.io is not served
    kube.applyDeployment({ name: 'metrics-server', namespace: 'kube-system', replicas: 1, image: 'registry.k8s.io/metrics-server/metrics-server:v0.7.2' });
    await kube.waitFor(() => podOf()?.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff', 30_000, 'CrashLoopBackOff');
    app = await startBrowserApp();
    const client: KiopsClient = trustedClient(app.server.core, 'crash-loop-e2e');
    await client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('admin', 'default') }, contexts: [kube.contextName('admin')], name: 'crash cluster' });
    shell = new AppShellPage(app.page);
    await shell.waitUntilReady();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await kube?.close();
  });

  test('OOMKilled: exit code, reason and the memory limit beside the pod; the button opens its logs', async () => {
    const services = new ServiceManagementPage(app.page);
    const modal = new OperationsModalPage(app.page);
    const pods = new PodListTab(app.page);
    const logs = new LogViewerTab(app.page);
    const pod = podOf()?.metadata.name ?? '';
    await shell.navigate('services');
    await services.waitForService('hungry');
    await services.operate('hungry');
    await modal.waitUntilOpen();
    await modal.dismissConnectionMethodDialog();
    await modal.tabs.filter({ hasText: 'Pod List' }).click();
    await pods.row(pod).waitFor({ timeout: 30_000 });
    await pods.row(pod).getByTestId('pod-view-cause').click();

    const cause = pods.root.getByTestId('pod-crash-cause');
    await cause.waitFor();
    expect(await cause.getAttribute('data-reason')).toBe('OOMKilled');
    expect(await cause.getByTestId('pod-crash-ending').textContent()).toContain('Container hungry last ended with exit code 137 (OOMKilled)');
    expect(await cause.getByTestId('pod-crash-oom').textContent()).toContain('more memory than its limit of 64Mi');
    await shell.screenshot('troubleshooting-crashloop-oom-en');

    // the Scaling panel above explains a Metrics Server that is installed but not serving
    const notReady = pods.root.getByTestId('hpa-metrics-not-ready');
    await notReady.waitFor({ timeout: 30_000 });
    expect(await pods.root.getByTestId('metrics-server').getAttribute('data-state')).toBe('not-ready');
    expect(await notReady.textContent()).toContain('metrics.k8s.io is not served');
    expect(await notReady.textContent()).toContain('the APIService v1beta1.metrics.k8s.io is Available');
    await notReady.scrollIntoViewIfNeeded();
    await shell.screenshot('troubleshooting-metrics-server-not-ready-en');

    await cause.getByTestId('pod-crash-previous-logs').click();
    await logs.root.waitFor();
    await expect.poll(() => logs.visibleText(), { timeout: 30_000 }).toContain('Starting hungry from image registry.example/oom-worker:2');
    expect(await logs.status.textContent()).toContain(`${pod} / hungry (previous)`);
    expect(app.pageErrors).toEqual([]);
    await modal.close();
  });

  test('a log fetch for a pod that is gone says so and what to do', async () => {
    const services = new ServiceManagementPage(app.page);
    const modal = new OperationsModalPage(app.page);
    const logs = new LogViewerTab(app.page);
    const running = () => kube.podsOf('default', 'steady').find((pod) => pod.status?.phase === 'Running' && !pod.metadata.deletionTimestamp);
    const pod = (await kube.waitFor(running, 30_000, 'steady running')).metadata.name ?? '';
    await services.waitForService('steady');
    await services.operate('steady');
    await modal.waitUntilOpen();
    // (the connection method dialog was answered on this environment's first open, above)
    await modal.tabs.filter({ hasText: 'Log Viewer' }).click();
    await logs.root.waitFor();
    await logs.pickTarget(pod);
    await logs.view();
    await expect.poll(() => logs.status.textContent()).toContain(pod);

    // the pod goes away behind the open tab (a rollout or someone's delete)
    const admin = new KubeConfig();
    admin.loadFromString(kube.kubeconfigYaml('admin', 'default'));
    await admin.makeApiClient(CoreV1Api).deleteNamespacedPod({ name: pod, namespace: 'default', gracePeriodSeconds: 0 });
    await kube.waitFor(() => !kube.podsOf('default', 'steady').some((candidate) => candidate.metadata.name === pod), 30_000, 'pod deleted');
    await logs.view();
    const hint = logs.root.getByTestId('log-error-hint');
    await hint.waitFor({ timeout: 30_000 });
    expect(await hint.getAttribute('data-cause')).toBe('pod-gone');
    expect(await hint.textContent()).toContain('The pod is gone');
    expect(await logs.error.textContent()).toContain(`pods "${pod}" not found`);
    await shell.screenshot('troubleshooting-logs-pod-gone-en');
    await modal.close();
  });
});
