import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type KiopsClient } from '../../shared/contract/client.ts';
import { compose, EngineContainers } from '../integration/catalog/support.ts';
import { startKubeTestServer, type KubeTestServer } from '../kube-server/index.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { type BrowserApp, startBrowserApp, trustedClient } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { DeploymentTab } from './pages/deployment-tab.ts';
import { OperationsModalPage } from './pages/operations-modal-page.ts';
import { ServiceManagementPage } from './pages/service-management-page.ts';

const env = useTestEnvironment('keyring', 'docker');

describe('Deployment Management tab', () => {
  let kube: KubeTestServer;
  let app: BrowserApp;
  let shell: AppShellPage;
  let services: ServiceManagementPage;
  let modal: OperationsModalPage;
  let tab: DeploymentTab;
  const containers = new EngineContainers(env.docker.socketPath, env.docker.images.version1.reference);
  const project = `deploy${Date.now().toString(36)}`;
  const runningImages = () => kube.podsOf('default', 'shop').filter((pod) => pod.status?.phase === 'Running' && !pod.metadata.deletionTimestamp).map((pod) => pod.spec.containers[0]?.image);

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20 } });
    kube.applyDeployment({ name: 'shop', replicas: 2, image: 'nginx:1.27' });
    await kube.waitFor(() => runningImages().length === 2, 10_000, 'shop running');
    await containers.run(`${project}-web-1`, compose(project, 'web'));
    app = await startBrowserApp();
    const client: KiopsClient = trustedClient(app.server.core, 'deployment-e2e');
    await client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('developer', 'default') }, contexts: [kube.contextName('developer')], name: 'staging cluster' });
    await client.call('environments.addEngine', { name: 'build host', engine: 'docker', socketPath: env.docker.socketPath });
    shell = new AppShellPage(app.page);
    services = new ServiceManagementPage(app.page);
    modal = new OperationsModalPage(app.page);
    tab = new DeploymentTab(app.page);
    await shell.waitUntilReady();
  });
  afterAll(async () => {
    await containers.removeAll();
    await app?.close();
    await kube?.close();
  });

  test('Kubernetes: change an image, see the new revision roll out, then roll back to revision 1', async () => {
    await shell.navigate('services');
    await services.waitForService('shop');
    await services.operate('shop');
    await modal.waitUntilOpen();
    await modal.dismissConnectionMethodDialog();
    await modal.openTab('Deployment Management', 'deployment');
    await tab.root.waitFor();
    await expect.poll(() => tab.revisionRows()).toEqual([['1', true]]);
    await expect.poll(() => tab.containerImage('shop').textContent()).toBe('nginx:1.27');

    await tab.changeImage('shop', 'nginx:1.28');
    await expect.poll(() => tab.revisionRows(), { timeout: 30_000 }).toEqual([['2', true], ['1', false]]);
    await expect.poll(() => tab.rolloutState(), { timeout: 30_000 }).toBe('complete');
    await expect.poll(() => tab.containerImage('shop').textContent()).toBe('nginx:1.28');
    expect(await tab.revisions.first().textContent()).toContain('image changed to nginx:1.28 by KIOPS');
    await shell.screenshot('deployment-kubernetes-new-revision-en');

    await tab.rollbackTo(1);
    await expect.poll(() => tab.revisionRows(), { timeout: 30_000 }).toEqual([['3', true], ['2', false]]);
    await expect.poll(() => tab.containerImage('shop').textContent()).toBe('nginx:1.27');
    await kube.waitFor(() => runningImages().length === 2 && runningImages().every((image) => image === 'nginx:1.27'), 30_000, 'pods back on 1.27');
    await expect.poll(() => tab.rolloutState(), { timeout: 30_000 }).toBe('complete');
    await shell.screenshot('deployment-kubernetes-rolled-back-en');
    await modal.close();
  });

  test('Docker: update a container to kiops/busybox:2 from the local tags', async () => {
    const name = `${project}-web-1`;
    const docker = new Docker({ socketPath: env.docker.socketPath });
    const before = await docker.getContainer(name).inspect();
    await shell.navigate('services');
    await services.waitForService(project);
    await services.operate(project);
    await modal.waitUntilOpen();
    await modal.dismissConnectionMethodDialog();
    await modal.openTab('Deployment Management', 'deployment');
    await tab.engineContainer(name).waitFor();
    expect(await tab.engineContainer(name).textContent()).toContain('kiops/busybox:2');
    await shell.screenshot('deployment-docker-before-en');

    await tab.updateImage(name, 'kiops/busybox:2');
    await expect.poll(() => tab.engineContainer(name).getByTestId('deployment-engine-image').textContent(), { timeout: 30_000 }).toBe('kiops/busybox:2');
    const after = await docker.getContainer(name).inspect();
    expect(after.Id).not.toBe(before.Id);
    expect(after.State.Running).toBe(true);
    expect(after.Config.Labels).toMatchObject(compose(project, 'web'));
    await shell.screenshot('deployment-docker-redeployed-en');

    // The image history: first sight on release 1, then the update; Roll back returns to the recorded image id.
    await expect.poll(() => tab.imageHistoryRows(), { timeout: 30_000 }).toEqual([
      [name, 'update', true],
      [name, 'observed', false],
    ]);
    await tab.rollbackImage(name, 'observed');
    await expect.poll(async () => (await docker.getContainer(name).inspect()).Image, { timeout: 20_000 }).toBe(env.docker.images.version1.id);
    await expect.poll(() => tab.imageHistoryRows(), { timeout: 30_000 }).toEqual([
      [name, 'rollback', true],
      [name, 'update', false],
      [name, 'observed', false],
    ]);
    await shell.screenshot('deployment-docker-image-history-rollback-en');
    await modal.close();
  });
});
