import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startKubeTestServer, type KubeTestServer, type Pod } from '../kube-server/index.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { type BrowserApp, startBrowserApp, trustedClient } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { ChangePreviewPanel } from './pages/change-preview.ts';
import { OperationsModalPage } from './pages/operations-modal-page.ts';
import { PodListTab } from './pages/pod-list-tab.ts';
import { ScalingPanel } from './pages/scaling-panel.ts';
import { ServiceManagementPage } from './pages/service-management-page.ts';
import { ActionConfirm, answerPopConfirm } from './pages/action-confirm.ts';

useTestEnvironment('keyring');

describe('Pod List tab: the Scaling panel', () => {
  let kube: KubeTestServer;
  let app: BrowserApp;
  let shell: AppShellPage;
  let modal: OperationsModalPage;
  let pods: PodListTab;
  let scaling: ScalingPanel;
  const live = (): Pod[] => kube.podsOf('default', 'web').filter((pod) => !pod.metadata.deletionTimestamp);

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20, hpaSyncMs: 200 } });
    kube.applyDeployment({ name: 'web', replicas: 2, image: 'nginx:1.27', requests: { cpu: '100m' } });
    kube.applyDeployment({ name: 'shop', namespace: 'dev', replicas: 2, image: 'nginx:1.27' });
    await kube.waitFor(() => live().filter((pod) => pod.status?.phase === 'Running').length === 2 && kube.podsOf('dev', 'shop').length === 2, 10_000, 'web and shop running');
    app = await startBrowserApp();
    const client = trustedClient(app.server.core, 'scaling-e2e');
    // A cluster admin: installing Metrics Server writes into kube-system.
    await client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('admin', 'default') }, contexts: [kube.contextName('admin')], name: 'staging cluster' });
    // Production gets only logs by default; this organisation lets operators manage it.
    await writeFile(
      join(app.server.dataDir, 'organisation-policy.yaml'),
      'version: 1\nrules:\n  - match: { tag: production }\n    allow: [logs, commands, management]\n  - match: { tag: non-production }\n    allow: [logs, commands, management]\n',
    );
    await client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('developer', 'dev') }, contexts: [kube.contextName('developer')], name: 'production cluster', production: true });
    shell = new AppShellPage(app.page);
    modal = new OperationsModalPage(app.page);
    pods = new PodListTab(app.page);
    scaling = new ScalingPanel(app.page);
    await shell.waitUntilReady();
  });
  afterAll(async () => {
    await app?.close();
    await kube?.close();
  });

  test('apply a pod count, install Metrics Server, create an HPA that locks manual scaling, then delete it and remove all pods', async () => {
    const services = new ServiceManagementPage(app.page);
    await shell.navigate('services');
    await services.waitForService('web');
    await services.operate('web');
    await modal.waitUntilOpen();
    await modal.dismissConnectionMethodDialog();
    await modal.tabs.filter({ hasText: 'Pod List' }).click();
    await scaling.root.waitFor();
    await expect.poll(() => pods.rows.count(), { timeout: 30_000 }).toBe(2);
    // the scaling panel loads apart from the rows: wait for what it shows
    await expect.poll(() => scaling.desiredReplicas()).toBe('2');

    // Without Metrics Server: the tag says so and the HPA controls are off.
    await expect.poll(() => scaling.metricsServerState()).toBe('missing');
    expect(await scaling.isDisabled(scaling.hpaSaveButton)).toBe(true);
    expect(await scaling.root.getByTestId('hpa-needs-metrics').textContent()).toContain('HPA needs Metrics Server');

    await scaling.applyPodCount(3);
    await new ActionConfirm(app.page).confirm();
    await expect.poll(() => pods.rows.count(), { timeout: 30_000 }).toBe(3);
    await expect.poll(() => scaling.desiredReplicas()).toBe('3');
    await shell.screenshot('scaling-manual-en');

    await scaling.installMetricsServer();
    await expect.poll(() => scaling.metricsServerState(), { timeout: 30_000 }).toBe('ready');
    await expect.poll(() => scaling.isDisabled(scaling.hpaSaveButton)).toBe(false);

    // An impossible range says why next to the field, and Create waits until it is fixed.
    const problems = [
      { min: 0, max: 4, field: 'min', text: 'Min pods must be at least 1.' },
      { min: 1, max: 501, field: 'max', text: 'Max pods can be at most 500.' },
      { min: 6, max: 5, field: 'min', text: 'Min pods must not be greater than max pods.' },
    ];
    for (const problem of problems) {
      // A whole-number field takes its value when the operator leaves it (Tab), as naive-ui does with a precision.
      for (const [testid, value] of [['hpa-min', problem.min], ['hpa-max', problem.max]] as const) {
        const input = scaling.root.getByTestId(testid).locator('input');
        await input.fill(String(value));
        await input.press('Tab');
      }
      const shown = scaling.root.getByTestId('hpa-range-problem');
      await shown.filter({ hasText: problem.text }).waitFor();
      expect(await shown.textContent()).toBe(problem.text);
      expect(await shown.getAttribute('data-field')).toBe(problem.field);
      expect(await scaling.isDisabled(scaling.hpaSaveButton)).toBe(true);
    }
    await scaling.setHpa({ min: 1, max: 4, target: 50 });
    await new ActionConfirm(app.page).confirm();
    expect(await scaling.root.getByTestId('hpa-range-problem').count()).toBe(0);
    await expect.poll(() => scaling.isLocked(), { timeout: 30_000 }).toBe(true);
    await scaling.lockedNotice.waitFor();
    expect(await scaling.isDisabled(scaling.applyButton)).toBe(true);
    expect(await scaling.isDisabled(scaling.removeAllButton)).toBe(true);
    expect(kube.get('HorizontalPodAutoscaler', 'default', 'web')).toBeDefined();

    // Load at 200 % of requests: the HPA scales to its max, and the rows follow.
    kube.setPodMetricsBySelector('default', 'app=web', { cpu: '200m' });
    await expect.poll(() => pods.rows.count(), { timeout: 30_000 }).toBe(4);
    await expect.poll(async () => (await scaling.hpaState.textContent()) ?? '', { timeout: 30_000 }).toContain('200%');
    await shell.screenshot('scaling-hpa-locked-en');

    kube.setPodMetricsBySelector('default', 'app=web', { cpu: '40m' });
    // Delete HPA's confirmation shows the server dry run of the delete before it is confirmed.
    await scaling.root.getByTestId('hpa-delete').click();
    const hpaGone = new ChangePreviewPanel(app.page.locator('.n-popconfirm').getByTestId('change-preview').last());
    await hpaGone.answered();
    expect(await hpaGone.lines()).toContainEqual(['spec.scaleTargetRef.name', 'removed', 'web', '']);
    expect(kube.get('HorizontalPodAutoscaler', 'default', 'web')).toBeDefined();
    await answerPopConfirm(app.page, 'confirm');
    await expect.poll(() => scaling.isLocked(), { timeout: 30_000 }).toBe(false);
    expect(kube.get('HorizontalPodAutoscaler', 'default', 'web')).toBeUndefined();

    const dialog = await scaling.openRemoveAll();
    expect(await dialog.textContent()).toContain('Announce "Remove All Pods" in advance');
    // Remove All Pods shows the server dry run of the scale to 0.
    const toZero = new ChangePreviewPanel(dialog.getByTestId('change-preview'));
    await toZero.answered();
    expect(await toZero.lines()).toContainEqual(['spec.replicas', 'changed', expect.stringMatching(/^[1-9]\d*$/), '0']);
    await shell.screenshot('scaling-remove-all-en');
    await scaling.confirmRemoveAll();
    await expect.poll(() => pods.rows.count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => scaling.desiredReplicas()).toBe('0');
    expect(app.pageErrors).toEqual([]);
    await modal.close();
  });

  test('production: Remove All Pods needs the service name typed', async () => {
    const services = new ServiceManagementPage(app.page);
    await services.waitForService('shop');
    await services.operate('shop');
    await modal.waitUntilOpen();
    await modal.dismissConnectionMethodDialog();
    await modal.tabs.filter({ hasText: 'Pod List' }).click();
    await expect.poll(() => pods.rows.count(), { timeout: 30_000 }).toBe(2);

    // the scaling panel loads apart from the rows: wait for what it shows
    await scaling.root.waitFor();
    await expect.poll(() => scaling.desiredReplicas()).toBe('2');
    // Apply Pod Count 2 → 1 used to run with no confirmation in production: now the one dialog asks
    await scaling.applyPodCount(1);
    const asked = app.page.getByTestId('production-confirm');
    await asked.waitFor();
    expect(await asked.getByTestId('production-confirm-text').innerText()).toBe('shop');
    expect(await asked.getByTestId('production-confirm-changes').innerText()).toMatch(/replicas\s+1/);
    await asked.getByTestId('production-confirm-cancel').click();
    await asked.waitFor({ state: 'hidden' });
    expect((kube.get('Deployment', 'dev', 'shop') as { spec?: { replicas?: number } } | undefined)?.spec?.replicas).toBe(2);
    await scaling.applyPodCount(1);
    await asked.waitFor();
    await asked.getByTestId('production-confirm-input').locator('input').fill('shop');
    await shell.screenshot('production-confirm-apply-pod-count-en');
    await asked.getByTestId('production-confirm-run').click();
    await expect.poll(() => scaling.desiredReplicas(), { timeout: 30_000 }).toBe('1');
    await expect.poll(() => pods.rows.count(), { timeout: 30_000 }).toBe(1);

    const dialog = await scaling.openRemoveAll();
    expect(await dialog.getByTestId('production-confirm-text').innerText()).toBe('shop');
    expect(await dialog.textContent()).toContain('Announce "Remove All Pods" in advance');
    expect(await dialog.getByTestId('production-confirm-run').isDisabled()).toBe(true);
    await dialog.getByTestId('production-confirm-input').locator('input').fill('sho');
    expect(await dialog.getByTestId('production-confirm-run').isDisabled()).toBe(true);
    await dialog.getByTestId('production-confirm-input').locator('input').fill('shop');
    await shell.screenshot('scaling-remove-all-production-en');
    await scaling.confirmRemoveAll();
    await expect.poll(() => pods.rows.count(), { timeout: 30_000 }).toBe(0);
    expect(app.pageErrors).toEqual([]);
  });
});
