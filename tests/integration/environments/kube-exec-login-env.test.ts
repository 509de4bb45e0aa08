import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLoginEnvironment } from '../../../electron/main/environments/kubeconfig/login-environment.ts';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { startTestCore, type TestCore } from './support/core.ts';

useTestEnvironment('keyring');

const pluginName = 'kiops-test-credential';

/**
 * A credential plugin as cloud SDKs install it: in a folder only the login shell's PATH has.
 * It appends one line per call to a count file, insists on the variables the user's session
 * and the kubeconfig give it, and issues a token (from $TOKEN_SOURCE when set: the identity
 * provider's current answer) that expires in $EXPIRES_IN seconds.
 */
const pluginScript = `#!/bin/sh
echo call >> "$CALLS_FILE"
if [ "$AWS_PROFILE" != "kiops-test" ]; then echo "AWS_PROFILE is not set" >&2; exit 3; fi
if [ -n "$TOKEN_SOURCE" ]; then TOKEN_TO_ISSUE=$(cat "$TOKEN_SOURCE"); fi
expiry=$(date -u -d "+\${EXPIRES_IN:-3600} seconds" +%Y-%m-%dT%H:%M:%SZ)
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"%s"}}' "$TOKEN_TO_ISSUE" "$expiry"
`;

function execKubeconfig(kube: KubeTestServer, name: string, env: Record<string, string>): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${name}`,
    `  cluster: { server: "${kube.url}", certificate-authority-data: ${Buffer.from(kube.caPem).toString('base64')} }`,
    'users:',
    `- name: ${name}`,
    '  user:',
    '    exec:',
    '      apiVersion: client.authentication.k8s.io/v1',
    `      command: ${pluginName}`,
    '      args: [token]',
    '      interactiveMode: Never',
    `      env: [${Object.entries(env)
      .map(([k, v]) => `{ name: ${k}, value: "${v}" }`)
      .join(', ')}]`,
    'contexts:',
    `- { name: ${name}, context: { cluster: ${name}, user: ${name}, namespace: default } }`,
    `current-context: ${name}`,
    '',
  ].join('\n');
}

describe('credential plugins get the login environment', () => {
  let kube: KubeTestServer;
  let home: string;
  let sdkBin: string;
  let sessionEnv: Record<string, string>;
  const cores: TestCore[] = [];
  beforeAll(async () => {
    kube = await startKubeTestServer({ nodes: 1 });
    kube.applyDeployment({ name: 'ex', replicas: 2, image: 'nginx:1.27' });
    await kube.waitFor(() => kube.podsOf('default', 'ex').length === 2);
    home = await mkdtemp(join(tmpdir(), 'kiops-login-home-'));
    sdkBin = join(home, 'cloud-sdk', 'bin');
    await mkdir(sdkBin, { recursive: true });
    await writeFile(join(sdkBin, pluginName), pluginScript);
    await chmod(join(sdkBin, pluginName), 0o755);
    // Only the login shell puts the SDK on PATH, and it greets the user on the way.
    await writeFile(join(home, '.bash_profile'), `echo "Welcome back"\nexport PATH="${sdkBin}:$PATH"\n`);
    sessionEnv = { SHELL: '/bin/bash', HOME: home, PATH: '/usr/bin:/bin', AWS_PROFILE: 'kiops-test', UNRELATED_SECRET: 'do-not-pass' };
  });
  afterAll(async () => {
    for (const core of cores) await core.close();
    await kube?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  const startCore = async (env: Record<string, string>) => {
    const core = await startTestCore({ host: { env, homeDir: home } });
    cores.push(core);
    return core;
  };
  const addCluster = async (app: TestCore, name: string, expiresIn: number, extra: Record<string, string> = {}) => {
    const callsFile = join(home, `${name}.calls`);
    await writeFile(callsFile, '');
    const text = execKubeconfig(kube, name, { TOKEN_TO_ISSUE: 'developer-token', CALLS_FILE: callsFile, EXPIRES_IN: String(expiresIn), ...extra });
    const { environments } = await app.client.call('environments.addKubernetes', { source: { kind: 'text', text }, contexts: [name] });
    const calls = async () => (await readFile(callsFile, 'utf8')).split('\n').filter(Boolean).length;
    return { id: environments[0]!.id, calls };
  };

  it('captures PATH from the login shell past its greeting, and only the session variables', async () => {
    const login = await captureLoginEnvironment(sessionEnv);
    expect(login.pathSource).toBe('login-shell');
    expect(login.path.split(':')[0]).toBe(sdkBin);
    expect(login.variables).toEqual({ HOME: home, AWS_PROFILE: 'kiops-test' });
  });

  it('falls back to the inherited PATH when the login shell hangs, within the deadline', async () => {
    const slowHome = await mkdtemp(join(tmpdir(), 'kiops-login-slow-'));
    await writeFile(join(slowHome, '.bash_profile'), 'sleep 30\n');
    const login = await captureLoginEnvironment({ ...sessionEnv, HOME: slowHome }, { timeoutMs: 300 });
    await rm(slowHome, { recursive: true, force: true });
    expect(login).toMatchObject({ pathSource: 'inherited', path: '/usr/bin:/bin' });
  });

  it('finds a plugin that only the login PATH has and lists pods with its token', async () => {
    const app = await startCore(sessionEnv);
    const { id, calls } = await addCluster(app, 'login-path', 3600);
    expect(await app.client.call('environments.testConnection', { id })).toMatchObject({ ok: true, state: 'connected', details: { pods: 2 } });
    expect(await calls()).toBe(1);
  });

  it('without a login shell the same plugin is not found, and the message says so', async () => {
    const { SHELL: _shell, ...noShell } = sessionEnv;
    const app = await startCore(noShell);
    const { id } = await addCluster(app, 'no-login-shell', 3600);
    const result = await app.client.call('environments.testConnection', { id });
    expect(result).toMatchObject({ ok: false, state: 'error', error: { code: 'CREDENTIAL_PLUGIN_FAILED' } });
    if (result.state !== 'error') throw new Error('expected an error');
    expect(result.error.message).toContain(`"${pluginName}" was not found`);
  });

  it('reuses a token until shortly before it expires, then asks the plugin again', async () => {
    const app = await startCore(sessionEnv);
    const lasting = await addCluster(app, 'lasting-token', 3600);
    for (let i = 0; i < 3; i += 1) expect(await app.client.call('environments.testConnection', { id: lasting.id })).toMatchObject({ ok: true });
    expect(await lasting.calls()).toBe(1);
    const access = await app.core.runtime.kubernetes(lasting.id);
    const api = access.kubeConfig.makeApiClient(CoreV1Api);
    for (let i = 0; i < 3; i += 1) expect((await api.listNamespacedPod({ namespace: 'default' })).items.length).toBeGreaterThanOrEqual(2);
    expect(await lasting.calls()).toBe(1);
  });

  it('a long-lived client asks again for a token inside the refresh margin and uses the new one', async () => {
    const app = await startCore(sessionEnv);
    const tokenSource = join(home, 'idp-answer');
    await writeFile(tokenSource, 'nobody-token');
    // A token with 10 s left is inside the refresh margin: every request asks the plugin again.
    const expiring = await addCluster(app, 'expiring-token', 10, { TOKEN_SOURCE: tokenSource });
    const access = await app.core.runtime.kubernetes(expiring.id);
    const api = access.kubeConfig.makeApiClient(CoreV1Api);
    await expect(api.listNamespacedPod({ namespace: 'default' })).rejects.toMatchObject({ code: 403 });
    const before = await expiring.calls();
    // The identity provider now answers with a token that may list pods: the same client picks it up.
    await writeFile(tokenSource, 'developer-token');
    const pods = await api.listNamespacedPod({ namespace: 'default' });
    expect(pods.items.map((p) => p.metadata?.name).filter((n) => n?.startsWith('ex-'))).toHaveLength(2);
    expect(await expiring.calls()).toBe(before + 1);
    // Three requests at once need a fresh token together: one plugin run serves them all.
    const together = await expiring.calls();
    const lists = await Promise.all([0, 1, 2].map(() => api.listNamespacedPod({ namespace: 'default' })));
    expect(lists.map((l) => l.items.length >= 2)).toEqual([true, true, true]);
    expect(await expiring.calls()).toBe(together + 1);
  });
});
