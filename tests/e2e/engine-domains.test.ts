import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ChangePreviewPanel } from './pages/change-preview.ts';
import { caddyMissing, freePort, startCaddy, type CaddyServer } from '../support/caddy-server.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { startBrowserApp, type BrowserApp, trustedClient } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { OperationsModalPage } from './pages/operations-modal-page.ts';
import { ServiceManagementPage } from './pages/service-management-page.ts';
import { ActionConfirm, answerPopConfirm } from './pages/action-confirm.ts';

const env = useTestEnvironment('keyring', 'docker');

// Issue 14 part 2: the Domain Settings tab of a Docker service on a host with Caddy.
describe.skipIf(caddyMissing !== null)('Domain Settings tab for a Docker service through Caddy', () => {
  let caddy: CaddyServer;
  let app: BrowserApp;
  let shell: AppShellPage;
  let services: ServiceManagementPage;
  let modal: OperationsModalPage;
  let port = 0;
  const project = `site${Date.now().toString(36)}`;
  const docker = new Docker({ socketPath: env.docker.socketPath });

  beforeAll(async () => {
    caddy = await startCaddy();
    port = await freePort();
    const container = await docker.createContainer({
      name: `${project}-web-1`,
      Image: env.docker.images.version1.reference,
      Cmd: ['httpd', '-f', '-p', `127.0.0.1:${port}`, '-h', '/etc'],
      ExposedPorts: { [`${port}/tcp`]: {} },
      Labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': 'web' },
      StopSignal: 'SIGKILL',
      HostConfig: { NetworkMode: 'host' },
    });
    await container.start();
    app = await startBrowserApp({ caddyAdminUrls: [caddy.adminUrl] });
    await trustedClient(app.server.core, 'engine-domains-e2e').call('environments.addEngine', { name: 'web host', socketPath: env.docker.socketPath });
    shell = new AppShellPage(app.page);
    services = new ServiceManagementPage(app.page);
    modal = new OperationsModalPage(app.page);
    await shell.waitUntilReady();
  });
  afterAll(async () => {
    await docker.getContainer(`${project}-web-1`).remove({ force: true }).catch(() => undefined);
    await app?.close();
    await caddy?.stop();
  });

  test('adds a host through Caddy, which then serves the container; removes it again', async () => {
    await shell.navigate('services');
    await services.waitForService(project);
    await services.operate(project);
    await modal.waitUntilOpen();
    await modal.dismissConnectionMethodDialog();
    await modal.openTab('Domain Settings', 'domains');
    const tab = app.page.getByTestId('engine-domains-tab');
    await tab.getByTestId('engine-domains-proxy').waitFor();
    expect(await tab.getByTestId('engine-domains-proxy').textContent()).toContain(caddy.adminUrl);
    await tab.getByTestId('engine-domain-host').locator('input').fill('www.example.test');
    // Before Add: the route JSON Caddy would get.
    const adding = new ChangePreviewPanel(tab.getByTestId('change-preview'));
    await adding.answered();
    expect(await adding.lines()).toContainEqual(['routes.www.example.test.match[0].host[0]', 'added', '', 'www.example.test']);
    await shell.screenshot('domains-docker-caddy-preview-en');
    await tab.getByTestId('engine-domain-add').click();
    await new ActionConfirm(app.page).confirm();
    await tab.locator('[data-testid="engine-domain-route"][data-host="www.example.test"]').waitFor();
    // The form is cleared after Add, ready for the next route.
    await expect.poll(() => tab.getByTestId('engine-domain-host').locator('input').inputValue()).toBe('');
    expect((await caddy.get('www.example.test', '/kiops-release')).body.trim()).toBe(env.docker.images.version1.release);
    await shell.screenshot('domains-docker-caddy-en');

    await tab.getByTestId('engine-domain-remove').click();
    const removing = new ChangePreviewPanel(app.page.locator('.n-popconfirm').getByTestId('change-preview').last());
    await removing.answered();
    expect(await removing.lines()).toContainEqual(['routes.www.example.test.match[0].host[0]', 'removed', 'www.example.test', '']);
    await answerPopConfirm(app.page, 'confirm');
    await tab.getByTestId('domains-empty').waitFor();
    expect((await caddy.get('www.example.test', '/kiops-release')).body.trim()).not.toBe(env.docker.images.version1.release);
    await modal.close();
  });
});

// Issue 14 part 2: the same tab on a host whose proxy is Traefik (no Caddy answering): domains
// become router labels on the service's containers. The Traefik is a stand-in container with the
// traefik image's OCI title; the test image set has no Traefik binary and nothing is pulled.
describe('Domain Settings tab for a Docker service through Traefik labels', () => {
  let app: BrowserApp;
  let shell: AppShellPage;
  let services: ServiceManagementPage;
  let modal: OperationsModalPage;
  const project = `edge${Date.now().toString(36)}`;
  const docker = new Docker({ socketPath: env.docker.socketPath });
  const names = [`${project}-web-1`, `${project}-traefik`];

  beforeAll(async () => {
    for (const [name, labels] of [
      [names[0] ?? '', { 'com.docker.compose.project': project, 'com.docker.compose.service': 'web' }],
      [names[1] ?? '', { 'org.opencontainers.image.title': 'Traefik' }],
    ] as const) {
      const container = await docker.createContainer({ name, Image: env.docker.images.version1.reference, Cmd: ['sleep', '600'], ExposedPorts: { '8080/tcp': {} }, Labels: labels, StopSignal: 'SIGKILL', HostConfig: { NetworkMode: 'none' } });
      await container.start();
    }
    app = await startBrowserApp({ caddyAdminUrls: [`http://127.0.0.1:${await freePort()}`] });
    await trustedClient(app.server.core, 'traefik-domains-e2e').call('environments.addEngine', { name: 'edge host', socketPath: env.docker.socketPath });
    shell = new AppShellPage(app.page);
    services = new ServiceManagementPage(app.page);
    modal = new OperationsModalPage(app.page);
    await shell.waitUntilReady();
  });
  afterAll(async () => {
    for (const name of names) await docker.getContainer(name).remove({ force: true }).catch(() => undefined);
    await app?.close();
  });

  test('adds a host as Traefik router labels on the recreated container; removes it again', async () => {
    await shell.navigate('services');
    await services.waitForService(project);
    await services.operate(project);
    await modal.waitUntilOpen();
    await modal.dismissConnectionMethodDialog();
    await modal.openTab('Domain Settings', 'domains');
    const tab = app.page.getByTestId('engine-domains-tab');
    await tab.getByTestId('engine-domains-proxy').waitFor();
    expect(await tab.getByTestId('engine-domains-proxy').textContent()).toContain(`Traefik container "${project}-traefik"`);
    await tab.getByTestId('engine-domains-recreate').waitFor();
    const before = (await docker.getContainer(`${project}-web-1`).inspect()).Id;
    await tab.getByTestId('engine-domain-host').locator('input').fill('edge.example.test');
    // Before Add: the label change and the recreate plan of the container.
    const adding = new ChangePreviewPanel(tab.getByTestId('change-preview'));
    await adding.answered();
    expect(await adding.lines()).toContainEqual([expect.stringMatching(new RegExp(`^${project}-web-1: labels\\.traefik\\.http\\.routers\\.[a-z0-9-]+-1\\.rule$`)), 'added', '', 'Host(`edge.example.test`)']);
    expect(await docker.getContainer(`${project}-web-1`).inspect()).toMatchObject({ Id: before });
    await shell.screenshot('domains-docker-traefik-preview-en');
    await tab.getByTestId('engine-domain-add').click();
    await new ActionConfirm(app.page).confirm();
    await tab.locator('[data-testid="engine-domain-route"][data-host="edge.example.test"]').waitFor();
    const after = await docker.getContainer(`${project}-web-1`).inspect();
    expect(after.Id).not.toBe(before);
    expect(Object.entries(after.Config.Labels ?? {})).toContainEqual([expect.stringMatching(/^traefik\.http\.routers\.[a-z0-9-]+-1\.rule$/), 'Host(`edge.example.test`)']);
    await shell.screenshot('domains-docker-traefik-en');

    await tab.getByTestId('engine-domain-remove').click();
    await answerPopConfirm(app.page, 'confirm');
    await tab.getByTestId('domains-empty').waitFor();
    expect(Object.keys((await docker.getContainer(`${project}-web-1`).inspect()).Config.Labels ?? {}).filter((key) => key.startsWith('traefik.http.routers.'))).toEqual([]);
    await modal.close();
  });
});
