import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type KiopsClient } from '../../shared/contract/client.ts';
import { startKubeTestServer, type KubeTestServer, type Pod } from '../kube-server/index.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { type BrowserApp, startBrowserApp, trustedClient } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { CommandExecutionTab } from './pages/command-execution-tab.ts';
import { LayoutRecorder } from './pages/layout-recorder.ts';
import { OperationsModalPage } from './pages/operations-modal-page.ts';
import { ServiceManagementPage } from './pages/service-management-page.ts';

useTestEnvironment('keyring');

/**
 * A control must stay where it was drawn while the data around it arrives: a click already on
 * its way lands on what it aimed at. The modal used to be centred vertically and its tabs slid
 * in under a height clamp released at the slide's end, so the whole modal moved up by half of
 * what a tab added to its height (Run: 78 px, after it was drawn), and a Run click sent at that
 * moment did nothing (issue 9, flake 3).
 */
describe('Dialogs keep their controls in place', () => {
  let kube: KubeTestServer;
  let app: BrowserApp;
  let shell: AppShellPage;
  let services: ServiceManagementPage;
  let modal: OperationsModalPage;
  let commands: CommandExecutionTab;
  let layout: LayoutRecorder;
  let dataDir: string;
  const live = (namespace: string, deployment: string): Pod[] => kube.podsOf(namespace, deployment).filter((pod) => !pod.metadata.deletionTimestamp);

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20 } });
    kube.addNamespace('dev');
    kube.applyDeployment({ name: 'web', replicas: 3, image: 'nginx:1.27' });
    kube.applyDeployment({ name: 'api', namespace: 'dev', replicas: 1, image: 'nginx:1.27' });
    await kube.waitFor(() => live('default', 'web').length === 3 && live('dev', 'api').length === 1, 10_000, 'pods');
    // production allows commands here, so the confirmation is what guards them
    dataDir = await mkdtemp(join(tmpdir(), 'kiops-e2e-layout-'));
    await writeFile(join(dataDir, 'organisation-policy.yaml'), 'version: 1\ndefault: [logs, commands, management]\n');
    app = await startBrowserApp({ dataDir });
    const client: KiopsClient = trustedClient(app.server.core, 'modal-layout-e2e');
    await client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('developer', 'default') }, contexts: [kube.contextName('developer')], name: 'staging cluster' });
    await client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('developer', 'dev') }, contexts: [kube.contextName('developer')], name: 'prod cluster', production: true });
    shell = new AppShellPage(app.page);
    services = new ServiceManagementPage(app.page);
    modal = new OperationsModalPage(app.page);
    commands = new CommandExecutionTab(app.page, undefined, app.calls);
    layout = new LayoutRecorder(app.page);
    await shell.waitUntilReady();
  });

  afterAll(async () => {
    await app?.close();
    await kube?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('the Operations Modal keeps its top through every tab and its data; Run does not move once drawn', async () => {
    await modal.openFrom(shell, services, app.calls, 'web');
    await layout.track('[data-testid="operations-modal"]', '[data-testid="command-run"]');
    const names = await modal.tabs.evaluateAll((tabs) => tabs.map((tab) => tab.getAttribute('data-name') ?? ''));
    expect(names).toContain('commands');
    for (const name of names) {
      const contextsBefore = app.calls.answered('commands.context');
      await modal.root.locator(`.n-tabs-tab[data-name="${name}"]`).click();
      await modal.tabBody(name).waitFor();
      // the Run button is drawn with the tab's context: wait for it, then for what came after it
      if (name === 'commands') await app.calls.waitForAnswer(app.page, 'commands.context', contextsBefore);
      await layout.frames(30);
    }
    const seen = await layout.positions();
    expect(seen['[data-testid="operations-modal"]'], 'where the modal was laid out, tab after tab').toHaveLength(1);
    expect(seen['[data-testid="command-run"]'], 'where Run was laid out from the moment it was drawn').toHaveLength(1);
    await modal.close();
  });

  test('production: Run in the confirmation stays put while the typed line goes from wrong to right', async () => {
    const target = live('dev', 'api')[0]?.metadata.name ?? '';
    await modal.openFrom(shell, services, app.calls, 'api');
    await modal.openTab('Command Execution', 'commands');
    await commands.type(`kubectl delete pod ${target}`);
    await commands.runButton.click();
    await commands.confirmDialog.waitFor();
    const run = commands.confirmDialog.getByTestId('production-confirm-run');
    const input = commands.confirmDialog.getByTestId('production-confirm-input').locator('input');
    const mismatch = commands.confirmDialog.getByTestId('production-confirm-mismatch');
    const empty = await layout.positionOf(run);
    expect(empty).toMatch(/^-?\d+,-?\d+$/);
    await input.pressSequentially('kubectl delete');
    await mismatch.waitFor({ state: 'visible' });
    const wrong = await layout.positionOf(run);
    await input.pressSequentially(` pod ${target}`);
    await mismatch.waitFor({ state: 'hidden' });
    expect(await run.isEnabled()).toBe(true);
    expect([wrong, await layout.positionOf(run)]).toEqual([empty, empty]);
    await commands.confirmDialog.getByTestId('production-confirm-cancel').click();
    await commands.confirmDialog.waitFor({ state: 'hidden' });
    expect(live('dev', 'api').map((pod) => pod.metadata.name)).toContain(target);
    await modal.close();
  });
});
