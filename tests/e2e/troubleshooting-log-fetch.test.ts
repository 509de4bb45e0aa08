import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createMemoryTransport } from '../../electron/main/ipc/memory-transport.ts';
import { createClient, type KiopsClient } from '../../shared/contract/client.ts';
import { startKubeTestServer, type Deployment, type KubeTestServer, type Pod } from '../kube-server/index.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { startBrowserApp, type BrowserApp } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { LogViewerTab } from './pages/log-viewer-tab.ts';
import { OperationsModalPage } from './pages/operations-modal-page.ts';
import { ServiceManagementPage } from './pages/service-management-page.ts';

useTestEnvironment('keyring');

// A log fetch that fails says why and what to do, beside the error: no permission to read logs
// (an administrator took pods/log away while the tab was open) and a container that is no
// longer in the pod.

/** What the `log-reader` user may read; the test takes pods/log out of it. */
const readable = [
  'pods/log',
  'pods',
  'services',
  'endpoints',
  'events',
  'configmaps',
  'persistentvolumeclaims',
  'deployments',
  'deployments/scale',
  'replicasets',
  'horizontalpodautoscalers',
  'ingresses',
  'ingressclasses',
  'namespaces',
  'nodes',
];

/** `web` and a `sidecar`: the Log Viewer offers a choice of container. */
const pair: Deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'pair', namespace: 'default', labels: { app: 'pair' } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'pair' } },
    template: {
      metadata: { labels: { app: 'pair' } },
      spec: {
        containers: [
          { name: 'web', image: 'nginx:1.27' },
          { name: 'sidecar', image: 'registry.example/log-shipper:1' },
        ],
      },
    },
  },
} as Deployment;

describe('Troubleshooting a failed log fetch: no permission, container gone', () => {
  let kube: KubeTestServer;
  let app: BrowserApp;
  let client: KiopsClient;
  let shell: AppShellPage;
  let services: ServiceManagementPage;
  let modal: OperationsModalPage;
  let logs: LogViewerTab;
  const running = (deployment: string): Pod | undefined => kube.podsOf('default', deployment).find((pod) => pod.status?.phase === 'Running' && !pod.metadata.deletionTimestamp);

  beforeAll(async () => {
    kube = await startKubeTestServer({
      nodes: 1,
      timings: { kubeletStartDelayMs: 40 },
      // the server reads a user's rules on every request: changing `readable` changes what it allows
      extraUsers: [{ name: 'log-reader', groups: ['system:authenticated'], auth: 'token', token: 'log-reader-token', rules: [{ verbs: ['get', 'list', 'watch'], resources: readable }] }],
    });
    kube.applyDeployment({ name: 'quiet', replicas: 1, image: 'nginx:1.27' });
    kube.applyDeployment(pair);
    await kube.waitFor(() => running('quiet') && running('pair'), 30_000, 'quiet and pair running');
    app = await startBrowserApp();
    const sender = { transport: 'memory', origin: 'log-fetch-e2e' } as const;
    app.server.core.senderPolicy.allow((s) => s.origin === sender.origin);
    client = createClient(createMemoryTransport(app.server.core.router, sender));
    shell = new AppShellPage(app.page);
    services = new ServiceManagementPage(app.page);
    modal = new OperationsModalPage(app.page);
    logs = new LogViewerTab(app.page);
    await shell.waitUntilReady();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await kube?.close();
  });

  /** Opens the Log Viewer of `deployment` in the only environment added. */
  async function openLogViewer(deployment: string): Promise<void> {
    await shell.navigate('services');
    await services.waitForService(deployment);
    await services.operate(deployment);
    await modal.waitUntilOpen();
    await modal.dismissConnectionMethodDialog();
    await modal.tabs.filter({ hasText: 'Log Viewer' }).click();
    await logs.root.waitFor();
  }

  test('log access taken away while the tab is open: the fetch is refused and the explanation says which permission to ask for', async () => {
    const [environment] = (await client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('log-reader', 'default') }, contexts: [kube.contextName('log-reader')], name: 'log reader cluster' })).environments;
    const pod = running('quiet')?.metadata.name ?? '';
    await openLogViewer('quiet');
    await logs.pickTarget(pod);
    await logs.view();
    await expect.poll(() => logs.status.textContent(), { timeout: 30_000 }).toContain(pod);

    readable.splice(readable.indexOf('pods/log'), 1);
    await logs.view();
    const hint = logs.root.getByTestId('log-error-hint');
    await hint.waitFor({ timeout: 30_000 });
    expect(await hint.getAttribute('data-cause')).toBe('permission');
    expect(await hint.textContent()).toContain("Your user may not read logs here: reading them needs 'get' on pods/log in this namespace.");
    expect(await logs.error.textContent()).toMatch(/forbidden/i);
    await shell.screenshot('troubleshooting-logs-no-permission-en');
    await modal.close();
    await client.call('environments.remove', { id: environment!.id });
  });

  test('a container that is no longer in the pod: the explanation says to reload and pick a current one', async () => {
    await client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('admin', 'default') }, contexts: [kube.contextName('admin')], name: 'pair cluster' });
    const pod = running('pair');
    await openLogViewer('pair');
    await logs.pickTarget(pod?.metadata.name ?? '');
    const container = logs.root.getByTestId('log-container');
    await container.click();
    await app.page.locator('.n-base-select-option').filter({ hasText: 'sidecar' }).first().click();
    await logs.view();
    await expect.poll(() => logs.status.textContent(), { timeout: 30_000 }).toContain(`${pod?.metadata.name ?? ''} / sidecar`);

    // The pod comes back under the same name from a spec without the sidecar (as a StatefulSet's
    // pod does after its template changed): the open tab still asks for "sidecar".
    kube.apply({ ...pod!, spec: { ...pod!.spec, containers: pod!.spec.containers.filter((c) => c.name !== 'sidecar') } });
    await kube.waitFor(() => kube.get<Pod>('Pod', 'default', pod?.metadata.name ?? '')?.spec.containers.length === 1, 10_000, 'the pod without its sidecar');
    await logs.view();
    const hint = logs.root.getByTestId('log-error-hint');
    await hint.waitFor({ timeout: 30_000 });
    expect(await hint.getAttribute('data-cause')).toBe('container-gone');
    expect(await hint.textContent()).toContain('That container is no longer in the pod: the pod was recreated from a changed spec. Reload the targets and pick one of its current containers.');
    expect(await logs.error.textContent()).toContain('has no container "sidecar"');
    // The sidecar's earlier output stays below, marked as not the newest.
    expect(await logs.root.getByTestId('log-stale').textContent()).toContain('The newest fetch failed');
    await shell.screenshot('troubleshooting-logs-container-gone-en');
    await modal.close();
    expect(app.pageErrors).toEqual([]);
  });
});
