import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startKubeTestServer, type KubeTestServer } from '../kube-server/index.ts';
import { useTestEnvironment } from '../support/test-environment.ts';
import { startBrowserApp, type BrowserApp } from './support/browser-app.ts';
import { AppShellPage } from './pages/app-shell-page.ts';
import { RuntimeEnvironmentsPage } from './pages/runtime-environments-page.ts';

const run = promisify(execFile);

async function wireguardProfile(): Promise<{ text: string; privateKey: string }> {
  const privateKey = (await run('wg', ['genkey'])).stdout.trim();
  const peer = (await run('wg', ['genkey'])).stdout.trim();
  const peerPublic = await new Promise<string>((resolve, reject) => {
    const child = execFile('wg', ['pubkey'], (error, stdout) => (error ? reject(error) : resolve(stdout.trim())));
    child.stdin?.end(`${peer}\n`);
  });
  const text = ['[Interface]', `PrivateKey = ${privateKey}`, 'Address = 10.99.0.2/32', '', '[Peer]', `PublicKey = ${peerPublic}`, 'AllowedIPs = 10.99.0.0/24', 'Endpoint = 192.0.2.10:51820', ''].join('\n');
  return { text, privateKey };
}

describe('Runtime Environments page over real engines', () => {
  const env = useTestEnvironment('keyring', 'ssh', 'docker');
  let kube: KubeTestServer;
  let app: BrowserApp;
  let shell: AppShellPage;
  let page: RuntimeEnvironmentsPage;
  const ownContainer = `kiops-e2e-environments-${process.pid}`;
  const docker = (args: string[]) => run(env.docker.cli.command, [...env.docker.cli.args, ...args], { env: { ...process.env, ...env.docker.cli.env } });

  beforeAll(async () => {
    kube = await startKubeTestServer({ nodes: 1 });
    kube.applyDeployment({ name: 'web', replicas: 2, image: 'nginx:1.27' });
    await kube.waitFor(() => kube.podsOf('default', 'web').length === 2);
    app = await startBrowserApp();
    shell = new AppShellPage(app.page);
    page = new RuntimeEnvironmentsPage(app.page);
    await shell.waitUntilReady();
    await shell.navigate('environments');
  });

  afterAll(async () => {
    await app?.close();
    await kube?.close();
    await docker(['rm', '-f', ownContainer]).catch(() => undefined);
  });

  test('an empty page says what to add and how', async () => {
    await page.emptyState.waitFor();
    expect(await page.emptyState.textContent()).toContain('Add a Kubernetes cluster from a kubeconfig');
    await shell.screenshot('environments-empty-en');
  });

  test('adds a cluster from a kubeconfig file, previews its context and tests it: connected with the pod count and server version', async () => {
    const yaml = kube.kubeconfigYaml('developer', 'default');
    await page.addKubernetesFromFile({ name: 'config', mimeType: 'text/yaml', buffer: Buffer.from(yaml) });
    const context = app.page.getByTestId('kube-context');
    expect(await context.count()).toBe(1);
    expect(await context.getAttribute('data-name')).toBe(kube.contextName('developer'));
    expect(await context.textContent()).toContain(kube.url);
    await shell.screenshot('environments-kube-contexts');
    await page.finishKubernetes('dev cluster');

    expect(await page.row('dev cluster').getByTestId('environment-kind').textContent()).toBe('Kubernetes');
    expect(await page.row('dev cluster').getByTestId('environment-where').textContent()).toBe(kube.url);
    expect(await page.testConnection('dev cluster')).toBe('connected');
    const result = await page.testResult('dev cluster').textContent();
    expect(result).toMatch(/Connected via Direct in \d+ ms/);
    expect(result).toContain('2 pods in default');
    expect(result).toMatch(/Kubernetes v?\d+\.\d+/);
    expect(await page.methodTag('dev cluster').getAttribute('data-state')).toBe('connected');
    await shell.screenshot('environments-kube-connected');
  });

  test('shows kubeconfig warnings in the preview (insecure TLS, exec plugin command, proxy-url)', async () => {
    const text = [
      'apiVersion: v1',
      'clusters:',
      '- name: lab',
      '  cluster: { server: "https://10.0.0.1:6443", insecure-skip-tls-verify: true, proxy-url: "socks5://127.0.0.1:1080" }',
      'users:',
      '- name: sso',
      '  user: { exec: { apiVersion: client.authentication.k8s.io/v1, command: kubelogin, args: [get-token] } }',
      'contexts:',
      '- { name: lab, context: { cluster: lab, user: sso, namespace: ops } }',
      'current-context: lab',
    ].join('\n');
    await app.page.getByTestId('add-kubernetes').click();
    await page.fill('kube-text', text);
    await app.page.getByTestId('kube-preview').click();
    const warnings = app.page.getByTestId('kube-warning');
    await warnings.first().waitFor();
    expect(await warnings.evaluateAll((all) => all.map((w) => w.getAttribute('data-kind')))).toEqual(['insecure-skip-tls-verify', 'proxy-url', 'exec']);
    expect(await app.page.getByTestId('kube-wizard').textContent()).toContain('kubelogin');
    await shell.screenshot('environments-kube-warnings');
    await app.page.keyboard.press('Escape');
    await app.page.getByTestId('kube-wizard').waitFor({ state: 'detached' });
  });

  test('adds an SSH identity by pasting the key: the fingerprint is shown, never the key; a wrong passphrase is refused readably', async () => {
    await page.openTab('identities');
    const key = await readFile(env.ssh.keys.ed25519.privateKeyPath, 'utf8');
    const form = app.page.getByTestId('ssh-identity-form');
    await page.fillIdentity(form, { name: 'test ed25519', privateKey: key });
    await page.identityRow('test ed25519').waitFor();
    expect(await page.identityRow('test ed25519').getByTestId('identity-fingerprint').textContent()).toBe(env.ssh.keys.ed25519.fingerprint);
    expect(await app.page.locator('body').textContent()).not.toContain(key.split('\n')[1]);
    expect(await form.getByTestId('identity-key').locator('textarea').inputValue()).toBe('');

    const locked = await readFile(env.ssh.keys.ed25519WithPassphrase.privateKeyPath, 'utf8');
    await page.fillIdentity(form, { name: 'locked', privateKey: locked, passphrase: 'not the passphrase' });
    const error = form.getByTestId('identity-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/passphrase/i);
    expect(await page.identityRow('locked').count()).toBe(0);
    await error.scrollIntoViewIfNeeded();
    await shell.screenshot('environments-identity-wrong-passphrase');
  });

  test('adds a remote Docker host over SSH, confirms the host key fingerprint and sees it connected with the container count', async () => {
    await docker(['create', '--name', ownContainer, '--label', `kiops.test=${ownContainer}`, '--network', 'none', env.docker.images.latest.reference, 'sleep', '300']);
    await page.openEnvironmentsTab();
    await page.openRemoteEngineWizard();
    await page.fillRemoteEngine({ host: env.ssh.host, port: env.ssh.port, user: env.ssh.user, identity: 'test ed25519', socketPath: env.docker.socketPath, name: 'remote docker' });
    await shell.screenshot('environments-engine-remote-form');
    await page.submitEngine('remote docker');
    expect(await page.row('remote docker').getByTestId('environment-where').textContent()).toContain(`${env.ssh.host}:${env.ssh.port}`);

    expect(await page.testConnection('remote docker')).toBe('needs-host-key-confirmation');
    await page.hostKeyDialog.waitFor();
    expect(await page.hostKeyDialog.getByTestId('host-key-fingerprint').textContent()).toBe(env.ssh.hostKey.fingerprint);
    expect(await page.hostKeyDialog.getByTestId('host-key-host').textContent()).toBe(`${env.ssh.host}:${env.ssh.port}`);
    expect(await page.hostKeyDialog.getByTestId('host-key-type').textContent()).toBe(env.ssh.hostKey.type);
    await shell.screenshot('environments-host-key-confirm');
    await page.hostKeyDialog.getByTestId('host-key-trust').click();
    await page.hostKeyDialog.waitFor({ state: 'detached' });

    await app.page.locator('[data-testid="environment-row"][data-name="remote docker"] [data-testid="test-result"][data-state="connected"]').waitFor();
    const result = await page.testResult('remote docker').textContent();
    expect(result).toMatch(/Connected via Direct SSH in \d+ ms/);
    // the engine is shared with other tests whose containers come and go: the count includes
    // at least this file's own labelled container
    const counted = Number(/(\d+) containers?/.exec(result ?? '')?.[1] ?? -1);
    expect(counted).toBeGreaterThanOrEqual(1);
    await shell.screenshot('environments-engine-connected');
  });

  test('an unreachable host shows its readable error and what to do', async () => {
    await page.openRemoteEngineWizard();
    await page.fillRemoteEngine({ host: env.ssh.host, port: 1, user: env.ssh.user, identity: 'test ed25519', socketPath: env.docker.socketPath, name: 'unreachable' });
    await page.submitEngine('unreachable');
    expect(await page.testConnection('unreachable')).toBe('error');
    const row = page.row('unreachable');
    expect(await row.getByTestId('test-error').textContent()).toContain(`${env.ssh.host}:1`);
    expect(await row.getByTestId('test-hint').textContent()).toContain('Check the host name and port');
    expect(await page.methodTag('unreachable').getAttribute('data-state')).toBe('failed');
    await shell.screenshot('environments-unreachable');
  });

  test('adds a WireGuard profile and lists it without its content', async () => {
    const profile = await wireguardProfile();
    await page.openTab('vpn');
    await page.addVpnProfile('office wg', profile.text);
    const row = page.vpnRow('office wg');
    expect(await row.textContent()).toContain('WireGuard');
    expect(await row.textContent()).toContain('Down');
    expect(await app.page.locator('body').textContent()).not.toContain(profile.privateKey);
    expect(await app.page.getByTestId('vpn-profile').locator('textarea').inputValue()).toBe('');
    await shell.screenshot('environments-vpn-listed');
  });

  test('the details drawer does not use up the first-open prompt; the method is changed from its tag and saved', async () => {
    await page.openEnvironmentsTab();
    const asked = app.calls.sent('connections.firstOpen');
    await page.row('dev cluster').getByTestId('environment-name').click();
    await page.details.waitFor();
    // the drawer has loaded the method (what the first-open question would follow) and not asked
    await page.details.getByTestId('connection-method-tag').waitFor();
    await app.page.evaluate('0');
    expect(await page.methodDialog.count()).toBe(0);
    await page.details.getByTestId('connection-method-change').click();
    await page.methodDialog.waitFor();
    expect(await page.methodDialog.textContent()).toContain('How to reach dev cluster');
    await shell.screenshot('environments-method-dialog');
    await page.methodDialog.getByTestId('method-choice-direct').click();
    await page.methodDialog.getByTestId('connection-method-save').click();
    await page.methodDialog.waitFor({ state: 'detached' });
    expect(await page.details.getByTestId('connection-method-tag').textContent()).toContain('Direct');
    await app.page.keyboard.press('Escape');
    await page.details.waitFor({ state: 'detached' });
    expect(await page.methodTag('dev cluster').getAttribute('data-selected')).toBe('direct');
    // every call of the drawer was answered in order after any it sent first: none asked first-open
    expect(app.calls.sent('connections.firstOpen')).toBe(asked);
  });

  test('removing an environment names it and says its keychain entries go', async () => {
    await page.row('unreachable').getByTestId('environment-remove').click();
    const dialog = app.page.getByTestId('environment-remove-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Remove "unreachable" from KIOPS?');
    expect(await dialog.textContent()).toContain('keychain entries');
    await shell.screenshot('environments-remove-confirm');
    await dialog.getByTestId('remove-confirm').click();
    await page.row('unreachable').waitFor({ state: 'detached' });
    expect(await page.rows.count()).toBe(2);
  });

  test('the page is readable in Korean', async () => {
    await shell.chooseLanguage('ko');
    await page.row('dev cluster').waitFor();
    expect(await app.page.getByTestId('add-kubernetes').textContent()).toBe('Kubernetes 클러스터 추가');
    await shell.screenshot('environments-list-ko');
    await shell.chooseLanguage('en');
    expect(app.pageErrors).toEqual([]);
  });
});
