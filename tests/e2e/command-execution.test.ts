import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type KiopsClient } from '../../shared/contract/client.ts';
import { startKubeTestServer, type KubeTestServer, type Pod } from '../kube-server/index.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { type BrowserApp, startBrowserApp, trustedClient } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { CommandExecutionTab } from './pages/command-execution-tab.ts';
import { OperationsModalPage } from './pages/operations-modal-page.ts';
import { ServiceManagementPage } from './pages/service-management-page.ts';

const env = useTestEnvironment('keyring', 'docker', 'podman');

/** A Compose project with an idle container and one printing a green line every 200 ms. */
async function startProject(docker: Docker, image: string, project: string): Promise<{ web: string; ticker: string }> {
  const names = { web: `${project}-web-1`, ticker: `${project}-ticker-1` };
  const ticker = "i=0; while true; do i=$((i+1)); printf '\\033[32mtick %s\\033[0m\\n' $i; sleep 0.2; done";
  for (const [service, cmd] of [
    ['web', ['sleep', '600']],
    ['ticker', ['sh', '-c', ticker]],
  ] as const) {
    const name = service === 'web' ? names.web : names.ticker;
    const labels = { 'com.docker.compose.project': project, 'com.docker.compose.service': service };
    const container = await docker.createContainer({ name, Image: image, Cmd: [...cmd], Labels: labels, StopSignal: 'SIGKILL', HostConfig: { NetworkMode: 'none' } });
    await container.start();
  }
  return names;
}

describe('Command Execution tab', () => {
  let kube: KubeTestServer;
  let app: BrowserApp;
  let dataDir: string;
  let shell: AppShellPage;
  let services: ServiceManagementPage;
  let modal: OperationsModalPage;
  let tab: CommandExecutionTab;
  const stamp = Date.now().toString(36);
  const engines = { docker: { project: `cmddocker${stamp}`, names: { web: '', ticker: '' } }, podman: { project: `cmdpodman${stamp}`, names: { web: '', ticker: '' } } };
  const live = (namespace: string, deployment: string): Pod[] => kube.podsOf(namespace, deployment).filter((pod) => !pod.metadata.deletionTimestamp);

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20 } });
    kube.addNamespace('dev');
    kube.applyDeployment({ name: 'web', replicas: 2, image: 'nginx:1.27' });
    kube.applyDeployment({ name: 'api', namespace: 'dev', replicas: 1, image: 'nginx:1.27' });
    await kube.waitFor(() => live('default', 'web').length === 2 && live('dev', 'api').length === 1, 10_000, 'pods');
    for (const kind of ['docker', 'podman'] as const) {
      engines[kind].names = await startProject(new Docker({ socketPath: env[kind].socketPath }), env[kind].images.version1.reference, engines[kind].project);
    }
    // An organisation policy that allows commands in production too, so the confirmation is what guards it.
    dataDir = await mkdtemp(join(tmpdir(), 'kiops-e2e-commands-'));
    await writeFile(join(dataDir, 'organisation-policy.yaml'), 'version: 1\ndefault: [logs, commands, management]\n');
    app = await startBrowserApp({ dataDir });
    const client: KiopsClient = trustedClient(app.server.core, 'command-execution-e2e');
    await client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('developer', 'default') }, contexts: [kube.contextName('developer')], name: 'staging cluster' });
    await client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('developer', 'dev') }, contexts: [kube.contextName('developer')], name: 'prod cluster', production: true });
    for (const kind of ['docker', 'podman'] as const) await client.call('environments.addEngine', { name: `${kind} host`, engine: kind, socketPath: env[kind].socketPath });
    shell = new AppShellPage(app.page);
    services = new ServiceManagementPage(app.page);
    modal = new OperationsModalPage(app.page);
    tab = new CommandExecutionTab(app.page, async () => {
      const rows = (await client.call('audit.list', { limit: 6, action: 'command.run' })).rows;
      const trail = rows.map((row) => `${row.at} ${row.action} ${row.target} ${row.outcome} ${JSON.stringify(row.details).slice(0, 300)}`);
      return `Main: commands.run sent ${app.calls.sent('commands.run')}, answered ${app.calls.answered('commands.run')}; newest command audit rows:\n${trail.join('\n')}`;
    }, app.calls);
    await shell.waitUntilReady();
  });

  afterAll(async () => {
    await app?.close();
    await kube?.close();
    for (const kind of ['docker', 'podman'] as const) {
      const docker = new Docker({ socketPath: env[kind].socketPath });
      await Promise.all(Object.values(engines[kind].names).map((name) => docker.getContainer(name).remove({ force: true }).catch(() => undefined)));
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function openCommands(service: string): Promise<void> {
    await modal.openFrom(shell, services, app.calls, service);
    await modal.tabs.filter({ hasText: 'Command Execution' }).click();
    await tab.root.waitFor();
  }

  test('Kubernetes: kubectl get pods one-shot, -A refused with its explanation, a streaming watch stopped', async () => {
    await openCommands('web');
    expect(await tab.containerSelect.count()).toBe(0);
    // The examples arrive with the tab's describe call: wait for them, a list read does not.
    await expect.poll(() => tab.examples.allInnerTexts()).toContain('kubectl get pods');
    await tab.runOnce('kubectl get pods');
    await expect.poll(() => tab.outputText()).toContain(live('default', 'web')[0]?.metadata.name ?? '?');
    expect(await tab.exitCode.innerText()).toBe('Exit code 0');
    expect(await tab.argv.innerText()).toContain('kubectl get pods --namespace=default --kubeconfig=<kubeconfig>');
    await shell.screenshot('command-execution-kubernetes-one-shot-en');

    await tab.runOnce('kubectl get pods -A');
    expect(await tab.blocked.getAttribute('data-rule')).toBe('all-namespaces');
    expect(await tab.blocked.innerText()).toContain('What to do instead');
    await shell.screenshot('command-execution-blocked-en');

    await tab.mode('streaming');
    await tab.type('kubectl get pods -w');
    await tab.runButton.click();
    await expect.poll(() => tab.outputText(), { timeout: 30_000 }).toContain(live('default', 'web')[1]?.metadata.name ?? '?');
    await expect.poll(() => tab.sessions.innerText()).toContain('1/3');
    await shell.screenshot('command-execution-kubernetes-streaming-en');
    await tab.stopButton.click();
    await expect.poll(() => tab.endReason.getAttribute('data-reason')).toBe('stopped');
    expect(await tab.sessions.innerText()).toContain('0/3');
    await modal.close();
  });

  test('Kubernetes outside production: a data change asks plainly first, Cancel runs nothing, Confirm runs it; a read never asks', async () => {
    await openCommands('web');
    const line = 'kubectl annotate deploy web kiops.e2e/asked=plainly';
    const annotated = () => kube.get<{ metadata: { annotations?: Record<string, string> } }>('Deployment', 'default', 'web')?.metadata.annotations?.['kiops.e2e/asked'];
    await tab.type(line);
    await tab.runButton.click();
    await tab.confirmDialog.waitFor();
    expect(await tab.confirmDialog.getAttribute('data-production')).toBe('false');
    expect(await tab.confirmDialog.getByTestId('production-confirm-input').count()).toBe(0);
    expect(await tab.confirmDialog.getByTestId('production-confirm-changes').innerText()).toContain(line);
    await shell.screenshot('command-execution-plain-confirm-en');
    await tab.confirmDialog.getByTestId('production-confirm-cancel').click();
    await tab.confirmDialog.waitFor({ state: 'hidden' });
    expect(annotated()).toBeUndefined();

    await tab.runButton.click();
    await tab.confirmDialog.getByTestId('production-confirm-run').click();
    await tab.exitCode.waitFor();
    await expect.poll(() => tab.outputText()).toContain('deployment.apps/web annotated');
    expect(annotated()).toBe('plainly');

    await tab.runOnce('kubectl get deploy web');
    expect(await tab.confirmDialog.isVisible()).toBe(false);
    await expect.poll(() => tab.outputText()).toContain('web');
    await modal.close();
  });

  test('Kubernetes production: kubectl delete pod runs only after the command is typed again', async () => {
    const target = live('dev', 'api')[0]?.metadata.name ?? '';
    await openCommands('api');
    await tab.root.getByTestId('command-production').waitFor();
    await tab.type(`kubectl delete pod ${target}`);
    await tab.runButton.click();
    await tab.confirmDialog.waitFor();
    const confirmText = (await tab.confirmDialog.getByTestId('production-confirm-text').innerText()).trim();
    expect(confirmText).toBe(`kubectl delete pod ${target}`);
    expect(await tab.confirmDialog.getByTestId('production-confirm-run').isDisabled()).toBe(true);
    await tab.confirmDialog.getByTestId('production-confirm-input').locator('input').fill(confirmText);
    await shell.screenshot('command-execution-production-confirm-en');
    await tab.confirmDialog.getByTestId('production-confirm-run').click();
    await tab.exitCode.waitFor();
    await expect.poll(() => tab.outputText()).toContain(`pod "${target}" deleted`);
    await kube.waitFor(() => !live('dev', 'api').some((pod) => pod.metadata.name === target), 30_000, 'the pod deleted');
    await modal.close();
  });

  test.each(['docker', 'podman'] as const)('%s: host command, a command inside a container, stderr shown apart, logs -f streamed in colour and stopped', async (kind) => {
    const { project, names } = engines[kind];
    await openCommands(project);
    await tab.containerSelect.waitFor();
    // the root filesystem only: other tests' container mounts come and go meanwhile
    await tab.runOnce('df -h /');
    await expect.poll(() => tab.outputText()).toContain('Filesystem');
    expect(await tab.exitCode.innerText()).toBe('Exit code 0');

    await tab.selectContainer(names.web);
    await tab.runReadingOutput('cat /etc/kiops-release', kind);
    await expect.poll(() => tab.outputText()).toBe(env[kind].images.version1.release);
    expect(await tab.argv.innerText()).toContain(`exec ${names.web} cat /etc/kiops-release`);
    await tab.runOnce('ls /does-not-exist');
    await expect.poll(() => tab.stderrText()).toContain('No such file');
    expect(await tab.exitCode.innerText()).not.toBe('Exit code 0');
    if (kind === 'docker') await shell.screenshot('command-execution-docker-stderr-en');

    await tab.selectContainer(null);
    await tab.mode('streaming');
    await tab.type(`${kind} logs -f --tail 2 ${names.ticker}`);
    await tab.runButton.click();
    await expect.poll(() => tab.output.locator('span[style*="color"]').filter({ hasText: 'tick' }).count(), { timeout: 30_000 }).toBeGreaterThan(2);
    const ticks = await tab.output.locator('span').filter({ hasText: 'tick' }).count();
    await expect.poll(() => tab.output.locator('span').filter({ hasText: 'tick' }).count()).toBeGreaterThan(ticks);
    await shell.screenshot(`command-execution-${kind}-streaming-en`);
    await tab.stopButton.click();
    await expect.poll(() => tab.endReason.getAttribute('data-reason')).toBe('stopped');
    await modal.close();
  });
});
