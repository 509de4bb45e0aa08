import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type KiopsClient } from '../../shared/contract/client.ts';
import { compose, EngineContainers } from '../integration/catalog/support.ts';
import { startKubeTestServer, type KubeTestServer, type Pod } from '../kube-server/index.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { type BrowserApp, startBrowserApp, trustedClient } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { ContainerListTab } from './pages/container-list-tab.ts';
import { OperationsModalPage } from './pages/operations-modal-page.ts';
import { OverviewTab } from './pages/overview-tab.ts';
import { PodListTab } from './pages/pod-list-tab.ts';
import { ServiceManagementPage } from './pages/service-management-page.ts';

const env = useTestEnvironment('keyring', 'docker');

// Colours as naive-ui's light theme draws tag text: info blue, warning orange, error red, default grey.
const rgb = (colour: string): [number, number, number] => {
  const [r = 0, g = 0, b = 0] = (colour.match(/\d+/g) ?? []).map(Number);
  return [r, g, b];
};
const isBlue = (colour: string) => rgb(colour)[2] > rgb(colour)[0] + 60;
const isOrange = (colour: string) => rgb(colour)[0] > 180 && rgb(colour)[1] > 90 && rgb(colour)[2] < 100;
const isRed = (colour: string) => rgb(colour)[0] > 180 && rgb(colour)[1] < 110 && rgb(colour)[2] < 110;

describe('Operations Modal tabs: Overview, Pod List, Container List', () => {
  let kube: KubeTestServer;
  let app: BrowserApp;
  let shell: AppShellPage;
  let services: ServiceManagementPage;
  let modal: OperationsModalPage;
  let pods: PodListTab;
  let containerTab: ContainerListTab;
  let overview: OverviewTab;
  const containers = new EngineContainers(env.docker.socketPath, env.docker.images.version1.reference);
  const project = `tabs${Date.now().toString(36)}`;
  const live = (): Pod[] => kube.podsOf('default', 'batch').filter((pod) => !pod.metadata.deletionTimestamp);

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20 } });
    // Three 4-CPU nodes: three pods of 3 CPU run, the fourth stays Pending.
    kube.applyDeployment({ name: 'batch', replicas: 4, requests: { cpu: '3' }, image: 'nginx:1.27' });
    await kube.waitFor(() => live().filter((pod) => pod.status?.phase === 'Running').length === 3 && live().length === 4, 10_000, 'batch scheduled');
    await containers.run(`${project}-web-1`, compose(project, 'web'));
    await containers.run(`${project}-db-1`, compose(project, 'db'), false);
    app = await startBrowserApp();
    const client: KiopsClient = trustedClient(app.server.core, 'operations-tabs-e2e');
    await client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('developer', 'default') }, contexts: [kube.contextName('developer')], name: 'staging cluster' });
    await client.call('environments.addEngine', { name: 'build host', engine: 'docker', socketPath: env.docker.socketPath });
    shell = new AppShellPage(app.page);
    services = new ServiceManagementPage(app.page);
    modal = new OperationsModalPage(app.page);
    pods = new PodListTab(app.page);
    containerTab = new ContainerListTab(app.page);
    overview = new OverviewTab(app.page);
    await shell.waitUntilReady();
  });
  afterAll(async () => {
    await app?.close();
    await kube?.close();
    await containers.removeAll();
  });

  test('Kubernetes: the Overview, then the Pod List in the spec colours with the cause of the Pending pod', async () => {
    await shell.navigate('services');
    await services.waitForService('batch');
    await services.operate('batch');
    await modal.waitUntilOpen();
    await modal.dismissConnectionMethodDialog();
    await overview.root.waitFor();
    await expect.poll(() => overview.replicas('desired').textContent()).toBe('4');
    expect(await overview.images.first().textContent()).toContain('nginx:1.27');
    await shell.screenshot('operations-overview-kubernetes-en');

    await modal.tabs.filter({ hasText: 'Pod List' }).click();
    await pods.root.waitFor();
    await expect.poll(() => pods.rows.count(), { timeout: 30_000 }).toBe(4);
    expect(await pods.rowsWithTone('running').count()).toBe(3);
    const pendingName = (await pods.rowsWithTone('pending').getAttribute('data-pod')) ?? '';
    expect(isOrange(await pods.statusColour(pendingName)), await pods.statusColour(pendingName)).toBe(true);
    const runningName = (await pods.rowsWithTone('running').first().getAttribute('data-pod')) ?? '';
    expect(isBlue(await pods.statusColour(runningName)), await pods.statusColour(runningName)).toBe(true);
    // Only the Pending pod has "View cause" (the expand row).
    expect(await pods.rows.getByTestId('pod-view-cause').count()).toBe(1);

    const cause = await pods.viewCause(pendingName);
    expect(await cause.getByTestId('pod-cause-finding').first().getAttribute('data-cause')).toBe('insufficient-resources');
    expect(await cause.getByTestId('pod-cause-event').count()).toBeGreaterThan(0);
    await shell.screenshot('operations-pods-pending-cause-en');

    // A pod failing turns red in the open list.
    kube.setPodPhase('default', runningName, 'Failed');
    await pods.row(runningName).locator('[data-tone="failed"]').first().waitFor({ timeout: 30_000 });
    // naive-ui tags ease their colour over 0.3 s
    await expect.poll(async () => isRed(await pods.statusColour(runningName))).toBe(true);
    await pods.row(pendingName).getByTestId('pod-view-cause').click();
    await shell.screenshot('operations-pods-en');

    const named = await pods.deleteAllPending();
    expect(named).toEqual([pendingName]);
    await pods.row(pendingName).waitFor({ state: 'detached', timeout: 30_000 });
    expect(await pods.root.getByTestId('pods-pending-result').getAttribute('data-type')).toBe('success');
    expect(await pods.root.getByTestId('pods-pending-result-line').allTextContents()).toEqual(['Deleted 1 Pending pod']);
    expect(kube.podsOf('default', 'batch').some((pod) => pod.metadata.name === pendingName)).toBe(false);
    await modal.close();
  });

  test('Docker: the Container List with state tones, stats, Restart only where the spec allows, and the auto-refresh toggle', async () => {
    await services.waitForService(project);
    await services.operate(project);
    await modal.waitUntilOpen();
    await modal.dismissConnectionMethodDialog();
    await overview.container(`${project}-web-1`).waitFor();
    expect(await overview.container(`${project}-web-1`).getByTestId('overview-container-state').textContent()).toBe('running');
    expect(await overview.container(`${project}-db-1`).getByTestId('overview-container-state').textContent()).toBe('created');

    await modal.tabs.filter({ hasText: 'Container List' }).click();
    await containerTab.row(`${project}-web-1`).waitFor();
    expect(await containerTab.row(`${project}-web-1`).getAttribute('data-tone')).toBe('running');
    expect(await containerTab.row(`${project}-db-1`).getAttribute('data-tone')).toBe('created');
    expect(await containerTab.row(`${project}-db-1`).getByTestId('container-restart').count()).toBe(0);
    expect(await containerTab.row(`${project}-db-1`).getByTestId('container-no-actions').count()).toBe(1);
    // CPU needs two samples: "measuring…" first, a percentage after a refresh.
    await containerTab.refresh();
    await expect.poll(() => containerTab.cell(`${project}-web-1`, 'cpu').textContent(), { timeout: 30_000 }).toMatch(/^\d+(\.\d)?%$/);
    expect(await containerTab.cell(`${project}-web-1`, 'memory').textContent()).toMatch(/B \/ /);
    expect(await containerTab.autoRefreshOn()).toBe(true);
    await shell.screenshot('operations-containers-en');

    await containerTab.autoRefresh.click();
    await expect.poll(() => containerTab.autoRefreshOn()).toBe(false);

    const before = await containerTab.row(`${project}-web-1`).getAttribute('data-tone');
    await containerTab.restart(`${project}-web-1`, 1);
    expect(before).toBe('running');
    await expect.poll(() => app.server.core.audit.list({ limit: 1, action: 'container.restart' })[0]?.outcome, { timeout: 30_000 }).toBe('success');
    await modal.close();
    expect(app.pageErrors).toEqual([]);
  });
});
