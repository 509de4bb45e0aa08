import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type KiopsClient } from '../../shared/contract/client.ts';
import { compose, EngineContainers, unreachableKubeconfig } from '../integration/catalog/support.ts';
import { startKubeTestServer, type KubeTestServer } from '../kube-server/index.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { startBrowserApp, type BrowserApp, trustedClient } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { answerPopConfirm } from './pages/action-confirm.ts';
import { ContainerListTab } from './pages/container-list-tab.ts';
import { OperationsModalPage } from './pages/operations-modal-page.ts';
import { ServiceManagementPage } from './pages/service-management-page.ts';

const env = useTestEnvironment('keyring', 'docker');

describe('Service Management and the Operations Modal', () => {
  let kube: KubeTestServer;
  let app: BrowserApp;
  let shell: AppShellPage;
  let services: ServiceManagementPage;
  let modal: OperationsModalPage;
  const containers = new EngineContainers(env.docker.socketPath, env.docker.images.version1.reference);
  const project = `shop${Date.now().toString(36)}`;

  beforeAll(async () => {
    kube = await startKubeTestServer({ nodes: 1 });
    kube.applyDeployment({ name: 'checkout', replicas: 2, image: 'nginx:1.27' });
    kube.applyDeployment({ name: 'search', replicas: 1, image: 'nginx:1.27' });
    await kube.waitFor(() => kube.podsOf('default', 'checkout').length === 2);
    await containers.run(`${project}-web-1`, compose(project, 'web'));
    await containers.run(`${project}-db-1`, compose(project, 'db'));
    app = await startBrowserApp();
    // Environments are added through the contract, as the Runtime Environments page would.
    const client: KiopsClient = trustedClient(app.server.core, 'service-management-e2e');
    await client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('developer', 'default') }, contexts: [kube.contextName('developer')], name: 'staging cluster' });
    await client.call('environments.addEngine', { name: 'build host', engine: 'docker', socketPath: env.docker.socketPath, production: true });
    shell = new AppShellPage(app.page);
    services = new ServiceManagementPage(app.page);
    modal = new OperationsModalPage(app.page);
    await shell.waitUntilReady();
  });
  afterAll(async () => {
    await app?.close();
    await kube?.close();
    await containers.removeAll();
  });

  test('lists services from Kubernetes and Docker, and a favourite is pinned on top', async () => {
    await kube.waitFor(() => kube.podsOf('default', 'checkout').every((pod) => pod.status?.containerStatuses?.[0]?.ready === true), 10_000, 'checkout ready');
    await shell.navigate('services');
    await services.waitForService('checkout');
    await services.waitForService(project);
    expect(await services.row('checkout').getByTestId('service-runtime').textContent()).toBe('Kubernetes');
    expect(await services.row(project).getByTestId('service-runtime').textContent()).toBe('Docker');
    expect(await services.statusOf('checkout').textContent()).toContain('2/2 ready');
    expect(await services.statusOf(project).textContent()).toContain('2/2 running');
    expect(await services.environmentErrors.count()).toBe(0);
    expect(await services.namespacePicker('staging cluster').textContent()).toContain('default');

    await services.favourite('search');
    expect((await services.names())[0]).toBe('search');
    await shell.screenshot('service-management-en');

    await app.page.reload();
    await shell.waitUntilReady();
    await shell.navigate('services');
    await services.waitForService('search');
    expect((await services.names())[0]).toBe('search');

    await services.search(project);
    await expect.poll(() => services.names()).toEqual([project]);
    await services.search('');
  });

  test('Operate on a Kubernetes service: 7 tabs, second is Pod List, no placeholder; the method dialog opens by itself only the first time', async () => {
    await services.operate('checkout');
    await modal.waitUntilOpen();
    await modal.dismissConnectionMethodDialog();
    expect(await modal.tabLabels()).toEqual(['Overview', 'Pod List', 'Deployment Management', 'Config/Secret', 'Log Viewer', 'Command Execution', 'Domain Settings']);
    expect(await modal.root.getByTestId('operations-environment').textContent()).toBe('staging cluster');
    expect(await modal.root.getByTestId('connection-method-bar').count()).toBe(1);
    expect(await modal.placeholder('overview').count()).toBe(0);
    // Every Kubernetes tab has its body now; Deployment Management is no longer a placeholder.
    await modal.openTab('Deployment Management', 'deployment');
    await modal.root.getByTestId('deployment-tab').waitFor();
    expect(await modal.placeholder('deployment').count()).toBe(0);
    await modal.openTab('Pod List', 'pods');
    expect(await modal.placeholder('pods').count()).toBe(0);
    await shell.screenshot('operations-modal-kubernetes-en');
    await modal.close();

    // the connection-method dialog opens by itself only the first time
    const asked = app.calls.answered('connections.firstOpen');
    await services.operate('checkout');
    await modal.waitUntilOpen();
    // the modal asked main whether this is the first open and has handled the answer
    await app.calls.waitForAnswer(app.page, 'connections.firstOpen', asked);
    expect(await modal.connectionMethodDialog.count()).toBe(0);
    await modal.close();
  });

  test('Operate on a Docker service in production: Container List, and the tabs production withholds are absent with the request-permission notice', async () => {
    await services.operate(project);
    await modal.waitUntilOpen();
    await modal.dismissConnectionMethodDialog();
    expect(await modal.root.getByTestId('operations-production').textContent()).toBe('Production');
    // Without a policy file production grants logs only: Command Execution is hidden, management actions disabled.
    await expect.poll(() => modal.tabLabels()).toEqual(['Overview', 'Container List', 'Deployment Management', 'Log Viewer', 'Domain Settings']);
    await expect.poll(() => modal.hiddenTabs.allTextContents()).toEqual([expect.stringContaining('Command Execution: Request permission from your organization manager.')]);
    await modal.openTab('Container List', 'containers');
    expect(await modal.root.getByTestId('containers-permission-notice').textContent()).toContain('organization manager');
    // Restart is there but disabled; pointing at it says why
    const restart = modal.root.getByTestId('container-restart').first();
    await restart.waitFor();
    expect(await restart.getAttribute('data-disabled')).toBe('true');
    await restart.hover();
    const tooltip = app.page.locator('.n-tooltip');
    await tooltip.waitFor();
    expect(await tooltip.textContent()).toContain('organization manager');
    await shell.screenshot('operations-modal-docker-production-en');
    await modal.close();
  });

  test('in production with management granted, Restart first asks for its stop timeout, then the production dialog for the name; it runs once typed', async () => {
    const client = trustedClient(app.server.core, 'service-management-e2e');
    const policy = await client.call('policy.get', {});
    await client.call('policy.save', { policy: { version: 1, rules: [{ match: { tag: 'production' }, allow: ['logs', 'commands', 'management'] }] }, revision: policy.revision });
    await services.operate(project);
    await modal.waitUntilOpen();
    await modal.openTab('Container List', 'containers');
    const containerTab = new ContainerListTab(app.page);
    const name = `${project}-web-1`;
    const restarts = () => app.server.core.audit.list({ action: 'container.restart', limit: 10 }).filter((row) => row.target.includes(name));
    await containerTab.row(name).getByTestId('container-restart').click();
    // the stop timeout is a choice the production dialog does not offer: the pop-confirm asks it first
    await app.page.getByTestId('container-stop-timeout').locator('input').fill('2');
    await shell.screenshot('container-restart-stop-timeout-en');
    await answerPopConfirm(app.page, 'confirm');
    const dialog = app.page.locator('[data-testid="production-confirm"][data-production="true"]');
    await dialog.waitFor();
    expect(await dialog.getByTestId('production-confirm-text').innerText()).toBe(project);
    expect(restarts()).toEqual([]);
    await dialog.getByTestId('production-confirm-input').locator('input').fill(project);
    await dialog.getByTestId('production-confirm-run').click();
    await expect.poll(() => restarts().map((row) => row.outcome), { timeout: 30_000 }).toEqual(['success', 'started']);
    expect(restarts()[0]?.details).toMatchObject({ stopTimeoutSeconds: 2 });
    await modal.close();
    // back to what production and the rest get without a policy
    const defaults = [
      { match: { tag: 'production' }, allow: ['logs' as const] },
      { match: { tag: 'non-production' }, allow: ['logs' as const, 'commands' as const, 'management' as const] },
    ];
    await client.call('policy.save', { policy: { version: 1, rules: defaults }, revision: (await client.call('policy.get', {})).revision });
  });

  test('a non-production Docker host gives all 6 tabs, labelled in Korean too', async () => {
    const client = trustedClient(app.server.core, 'service-management-e2e');
    const host = (await client.call('environments.list', {})).environments.find((candidate) => candidate.name === 'build host');
    await client.call('environments.update', { id: host!.id, production: false });
    await services.operate(project);
    await modal.waitUntilOpen();
    expect(await modal.tabLabels()).toEqual(['Overview', 'Container List', 'Deployment Management', 'Log Viewer', 'Command Execution', 'Domain Settings']);
    expect(await modal.hiddenTabs.count()).toBe(0);
    await modal.close();

    await shell.chooseLanguage('ko');
    await services.operate(project);
    await modal.waitUntilOpen();
    expect(await modal.tabLabels()).toEqual(['개요', '컨테이너 목록', '배포 관리', '로그 뷰어', '명령 실행', '도메인 설정']);
    await shell.screenshot('operations-modal-docker-ko');
    await modal.close();
    await shell.chooseLanguage('en');
  });

  test('an unreachable cluster shows its own banner with Retry while the others list; a service registered by hand appears', async () => {
    const client = trustedClient(app.server.core, 'service-management-e2e');
    await client.call('environments.addKubernetes', { source: { kind: 'text', text: unreachableKubeconfig('gone') }, contexts: ['gone'], name: 'gone cluster' });
    await app.page.reload();
    await shell.waitUntilReady();
    await shell.navigate('services');
    await services.environmentErrors.first().waitFor({ timeout: 20_000 });
    expect(await services.environmentErrors.count()).toBe(1);
    expect(await services.environmentErrors.textContent()).toContain('gone cluster');
    await services.waitForService('checkout');

    await services.register({ name: 'payments', environment: 'staging cluster', namespace: 'default', deployment: 'payments' });
    await services.waitForService('payments');
    expect(await services.row('payments').getByTestId('service-status').getAttribute('data-health')).toBe('not-found');
    await shell.screenshot('service-management-problems-en');

    await services.environmentErrors.getByTestId('service-environment-retry').click();
    await services.environmentErrors.first().waitFor();
    expect(await services.names()).toContain('checkout');
  });

  test('200 services: only the rows in view are mounted, in order, and the last one scrolls into view and can be favourited', async () => {
    const names = Array.from({ length: 200 }, (_, index) => `bulk-${String(index).padStart(3, '0')}`);
    for (const name of names) kube.applyDeployment({ name, replicas: 0, image: 'nginx:1.27' });
    await app.page.reload();
    await shell.waitUntilReady();
    await shell.navigate('services');
    await services.search('bulk-');
    await services.waitForService('bulk-000');
    const mounted = await services.names();
    expect(mounted.length).toBeGreaterThan(3);
    expect(mounted.length).toBeLessThan(100);
    expect(mounted).toEqual(names.slice(0, mounted.length));
    // The virtual list places rows at a fixed height (45 px); a taller row would overlap the next.
    expect(new Set(await services.rows.evaluateAll((rows) => rows.map((row) => Math.round(row.getBoundingClientRect().height))))).toEqual(new Set([45]));

    await services.scrollToEnd();
    await services.waitForService('bulk-199');
    const atEnd = await services.names();
    expect(atEnd.length).toBeLessThan(100);
    expect(atEnd).toEqual(names.slice(names.length - atEnd.length));
    // the column titles stay on top of the rows they name
    const view = await services.table.getByTestId('virtual-table-view').boundingBox();
    const title = await services.table.getByRole('columnheader', { name: 'Service', exact: true }).boundingBox();
    expect(Math.round(title?.y ?? -1)).toBe(Math.round(view?.y ?? -2));

    // A favourite moves to the top, out of the mounted rows at the end: look for it there.
    await services.row('bulk-199').getByTestId('service-favourite').click();
    await services.scrollToStart();
    await services.row('bulk-199').locator('[data-testid="service-favourite"][data-favourite="true"]').waitFor();
    await expect.poll(async () => (await services.names()).slice(0, 2)).toEqual(['bulk-199', 'bulk-000']);
  });
});
