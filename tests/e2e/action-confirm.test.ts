import Docker from 'dockerode';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type KiopsClient } from '../../shared/contract/client.ts';
import { compose, EngineContainers } from '../integration/catalog/support.ts';
import { startKubeTestServer, type KubeTestServer, type Pod } from '../kube-server/index.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { type BrowserApp, startBrowserApp, trustedClient } from './support/browser-app.ts';
import { ActionConfirm, PopConfirm } from './pages/action-confirm.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { ContainerListTab } from './pages/container-list-tab.ts';
import { OperationsModalPage } from './pages/operations-modal-page.ts';
import { PodListTab } from './pages/pod-list-tab.ts';
import { ScalingPanel } from './pages/scaling-panel.ts';
import { ServiceManagementPage } from './pages/service-management-page.ts';

const env = useTestEnvironment('keyring', 'docker');

/** One mutating action outside production: how to start it, which confirm asks, and what it changes. */
interface ActionRow {
  readonly name: string;
  /** The audit action main records when it runs. */
  readonly audit: string;
  /** The confirm the operator meets: the API guard's plain confirm, or the button's own pop-confirm. */
  readonly asks: 'guard' | 'button';
  /** Clicks the action (after any input it needs). */
  click(): Promise<void>;
  /** What the action changes, read from the cluster or the engine. */
  state(): Promise<unknown>;
  /** What the confirm says: the action and its target. */
  readonly says: RegExp;
}

describe('every mutating action outside production asks once: Cancel changes nothing, Confirm runs it', () => {
  let kube: KubeTestServer;
  let app: BrowserApp;
  let shell: AppShellPage;
  let services: ServiceManagementPage;
  let modal: OperationsModalPage;
  let pods: PodListTab;
  let scaling: ScalingPanel;
  const containers = new EngineContainers(env.docker.socketPath, env.docker.images.version1.reference);
  const docker = new Docker({ socketPath: env.docker.socketPath });
  const project = `confirm${Date.now().toString(36)}`;
  const container = `${project}-web-1`;
  const live = (): Pod[] => kube.podsOf('default', 'web').filter((pod) => !pod.metadata.deletionTimestamp);
  const auditRows = (action: string) => app.server.core.audit.list({ limit: 50, action });

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20 } });
    kube.applyDeployment({ name: 'web', replicas: 2, image: 'nginx:1.27', requests: { cpu: '100m' } });
    await kube.waitFor(() => live().filter((pod) => pod.status?.phase === 'Running').length === 2, 10_000, 'web running');
    await containers.run(container, compose(project, 'web'));
    app = await startBrowserApp();
    const client: KiopsClient = trustedClient(app.server.core, 'action-confirm-e2e');
    await client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('admin', 'default') }, contexts: [kube.contextName('admin')], name: 'staging cluster' });
    await client.call('environments.addEngine', { name: 'build host', engine: 'docker', socketPath: env.docker.socketPath });
    shell = new AppShellPage(app.page);
    services = new ServiceManagementPage(app.page);
    modal = new OperationsModalPage(app.page);
    pods = new PodListTab(app.page);
    scaling = new ScalingPanel(app.page);
    await shell.waitUntilReady();
  });
  afterAll(async () => {
    await app?.close();
    await kube?.close();
    await containers.removeAll();
  });

  /**
   * Clicks the action until its confirm shows: a pop-confirm closes when its row re-renders while
   * a busy machine draws it; clicking only opens a confirm, so clicking again is safe.
   */
  async function open(row: ActionRow, confirm: ActionConfirm | PopConfirm): Promise<void> {
    const deadline = Date.now() + 60_000;
    await row.click();
    while (!(await confirm.dialog.isVisible())) {
      if (Date.now() > deadline) throw new Error(`the confirmation of ${row.name} never opened`);
      await app.page.waitForTimeout(2_000);
      if (!(await confirm.dialog.isVisible())) await row.click();
    }
  }

  /** Cancel: the confirm closes, the state is as before and no audit row; then Confirm: the audit row and the change. */
  async function exercise(row: ActionRow): Promise<void> {
    const before = await row.state();
    const guard = new ActionConfirm(app.page);
    const confirm = row.asks === 'guard' ? guard : new PopConfirm(app.page);
    await open(row, confirm);
    expect(await confirm.text(), row.name).toMatch(row.says);
    if (row.asks === 'guard') await shell.screenshot(`action-confirm-${row.name}-en`);
    await confirm.cancel();
    expect(await row.state(), row.name).toEqual(before);
    expect(auditRows(row.audit), row.name).toEqual([]);
    // the button's own confirm is the only one: the guard's dialog never opened on top of it
    expect(await guard.dialog.count(), row.name).toBe(0);

    await open(row, confirm);
    await confirm.confirm();
    await expect.poll(() => auditRows(row.audit).map((audit) => audit.outcome), { timeout: 30_000 }).toEqual(['success', 'started']);
    await expect.poll(() => row.state(), { timeout: 30_000 }).not.toEqual(before);
    expect(await guard.dialog.count(), row.name).toBe(0);
  }

  test('Kubernetes: Apply Pod Count, pod restart, pod force delete and HPA delete', async () => {
    await shell.navigate('services');
    await services.waitForService('web');
    await services.operate('web');
    await modal.waitUntilOpen();
    await modal.dismissConnectionMethodDialog();
    await modal.openTab('Pod List', 'pods');
    await expect.poll(() => pods.rows.count(), { timeout: 30_000 }).toBe(2);
    await scaling.root.waitFor();
    await expect.poll(() => scaling.desiredReplicas()).toBe('2');
    const restarted = live()[0]?.metadata.name ?? '';

    const rows: ActionRow[] = [
      {
        name: 'apply-pod-count',
        audit: 'deployment.scale',
        asks: 'guard',
        says: /Change the pod count[\s\S]*replicas\s*3[\s\S]*This changes web/,
        click: async () => {
          await scaling.root.getByTestId('scaling-count').locator('input').fill('3');
          await scaling.applyButton.click();
        },
        state: async () => (kube.get('Deployment', 'default', 'web') as { spec?: { replicas?: number } } | undefined)?.spec?.replicas,
      },
      {
        name: 'pod-restart',
        audit: 'pod.delete',
        asks: 'button',
        says: new RegExp(restarted),
        click: () => pods.row(restarted).getByTestId('pod-restart').click(),
        state: async () => live().some((pod) => pod.metadata.name === restarted),
      },
      {
        name: 'hpa-delete',
        audit: 'hpa.delete',
        asks: 'button',
        says: /Delete/,
        click: () => scaling.root.getByTestId('hpa-delete').click(),
        state: async () => kube.get('HorizontalPodAutoscaler', 'default', 'web') !== undefined,
      },
    ];
    await exercise(rows[0]!);
    await expect.poll(() => scaling.desiredReplicas(), { timeout: 30_000 }).toBe('3');
    await pods.row(restarted).waitFor();
    await exercise(rows[1]!);

    const forced = live().find((pod) => pod.metadata.name !== restarted)?.metadata.name ?? '';
    await pods.row(forced).waitFor();
    await exercise({
      name: 'pod-force-delete',
      audit: 'pod.force-delete',
      asks: 'button',
      says: new RegExp(forced),
      click: () => pods.row(forced).getByTestId('pod-force-delete').click(),
      state: async () => live().some((pod) => pod.metadata.name === forced),
    });

    kube.apply({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 1,
        maxReplicas: 4,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      },
    });
    await scaling.root.getByTestId('scaling-refresh').click();
    await scaling.root.locator('[data-testid="scaling-hpa"][data-hpa="web"]').waitFor({ timeout: 30_000 });
    await exercise(rows[2]!);
    await modal.close();
    expect(app.pageErrors).toEqual([]);
  });

  test('Docker: container restart and redeploy', async () => {
    const inspect = () => docker.getContainer(container).inspect();
    await shell.navigate('services');
    await services.waitForService(project);
    await services.operate(project);
    await modal.waitUntilOpen();
    await modal.dismissConnectionMethodDialog();
    await modal.openTab('Container List', 'containers');
    const containerTab = new ContainerListTab(app.page);
    const row = (): Locator => containerTab.row(container);
    await row().getByTestId('container-restart').waitFor();
    // live stats redraw the rows: off, so the pop-confirm stays put
    if (await containerTab.autoRefreshOn()) await containerTab.autoRefresh.click();
    await expect.poll(() => containerTab.autoRefreshOn()).toBe(false);
    await exercise({
      name: 'container-restart',
      audit: 'container.restart',
      asks: 'button',
      says: new RegExp(`Restart[\\s\\S]*${container}`),
      click: () => row().getByTestId('container-restart').click(),
      state: async () => (await inspect()).State.StartedAt,
    });

    await modal.openTab('Deployment Management', 'deployment');
    const card = app.page.locator(`[data-testid="deployment-engine-container"][data-name="${container}"]`);
    await card.getByTestId('deployment-redeploy').waitFor();
    await exercise({
      name: 'redeploy',
      audit: 'container.redeploy',
      asks: 'button',
      says: new RegExp(container),
      click: () => card.getByTestId('deployment-redeploy').click(),
      state: async () => (await inspect()).Id,
    });
    await modal.close();
    expect(app.pageErrors).toEqual([]);
  });
});
