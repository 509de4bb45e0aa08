import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { proxyVariableNames } from '../../../electron/main/environments/kubeconfig/proxy-environment.ts';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { allowEverythingPolicy, startCommandsCore, type CommandsCore } from '../commands/execution-support.ts';
import { startConnectProxy, type ConnectProxy } from './support/connect-proxy.ts';

useTestEnvironment('keyring');

/** The developer's kubeconfig pointed at `host` (the serving certificate is for localhost, hence tls-server-name). */
function kubeconfigFor(kube: KubeTestServer, host: string, name: string): string {
  const port = new URL(kube.url).port;
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${name}`,
    '  cluster:',
    `    server: https://${host}:${port}`,
    '    tls-server-name: localhost',
    `    certificate-authority-data: ${Buffer.from(kube.caPem).toString('base64')}`,
    'users:',
    '- name: developer',
    '  user: { token: developer-token }',
    'contexts:',
    `- name: ${name}`,
    `  context: { cluster: ${name}, user: developer, namespace: default }`,
    `current-context: ${name}`,
    '',
  ].join('\n');
}

describe('the workstation proxy (HTTPS_PROXY / NO_PROXY) for the Kubernetes client and kubectl', () => {
  let kube: KubeTestServer;
  let proxy: ConnectProxy;
  let app: CommandsCore;
  let port: string;
  let counter = 0;
  const saved = new Map<string, string | undefined>(proxyVariableNames.map((name) => [name, process.env[name]]));
  const setProxyEnv = (values: Partial<Record<(typeof proxyVariableNames)[number], string>>): void => {
    for (const name of proxyVariableNames) delete process.env[name];
    Object.assign(process.env, values);
  };

  beforeAll(async () => {
    kube = await startKubeTestServer({ nodes: 1 });
    port = new URL(kube.url).port;
    kube.applyDeployment({ name: 'px', replicas: 2, image: 'nginx:1.27' });
    await kube.waitFor(() => kube.podsOf('default', 'px').length === 2);
    proxy = await startConnectProxy();
    app = await startCommandsCore({ policyYaml: allowEverythingPolicy });
  });
  afterEach(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  afterAll(async () => {
    await app?.close();
    await proxy?.close();
    await kube?.close();
  });

  const addCluster = async (host: string) => {
    counter += 1;
    const name = `proxied-${counter}`;
    const { environments } = await app.client.call('environments.addKubernetes', { source: { kind: 'text', text: kubeconfigFor(kube, host, name) }, contexts: [name], name });
    return environments[0]!.id;
  };
  const tunnelsTo = (host: string): number => proxy.tunnels.filter((t) => t === `${host}:${port}`).length;

  it('reaches a cluster known only to the proxy through HTTPS_PROXY: connection test, pod list and kubectl', async () => {
    // kube.kiops.test resolves nowhere; only the proxy knows where it is.
    setProxyEnv({ HTTPS_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1,.corp.example' });
    const id = await addCluster('kube.kiops.test');
    expect(await app.client.call('environments.testConnection', { id })).toMatchObject({ ok: true, state: 'connected', details: { pods: 2 } });
    expect(tunnelsTo('kube.kiops.test')).toBeGreaterThan(0);

    const access = await app.core.runtime.kubernetes(id);
    const pods = await access.kubeConfig.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'default' });
    expect(pods.items.map((p) => p.metadata?.name).sort()).toEqual(kube.podsOf('default', 'px').map((p) => p.metadata.name).sort());

    const beforeKubectl = tunnelsTo('kube.kiops.test');
    const serviceId = `${id}:deployment:default/px`;
    const result = await app.client.call('commands.run', { serviceId, line: 'kubectl get pods' });
    if (result.decision !== 'ran') throw new Error(`expected ran, got ${JSON.stringify(result)}`);
    expect(result.exitCode).toBe(0);
    for (const pod of kube.podsOf('default', 'px')) expect(result.stdout).toContain(pod.metadata.name);
    expect(tunnelsTo('kube.kiops.test')).toBeGreaterThan(beforeKubectl);
  });

  it('honours the lower-case https_proxy too', async () => {
    setProxyEnv({ https_proxy: proxy.url });
    const id = await addCluster('kube.kiops.test');
    const before = tunnelsTo('kube.kiops.test');
    expect(await app.client.call('environments.testConnection', { id })).toMatchObject({ ok: true, details: { pods: 2 } });
    expect(tunnelsTo('kube.kiops.test')).toBeGreaterThan(before);
  });

  describe('NO_PROXY, matched as client-go does, against a host name that resolves to loopback', async () => {
    const host = hostname().toLowerCase();
    const resolved = await lookup(host).catch(() => undefined);
    const usable = resolved?.address === '127.0.0.1';
    if (!usable) console.warn(`[kube-proxy.test] skipping NO_PROXY cases: this machine's name "${host}" does not resolve to 127.0.0.1`);

    const direct = [host, `${host}:PORT`, `*.corp.example, ${host.toUpperCase()}`, '*'];
    for (const noProxy of direct) {
      it.skipIf(!usable)(`NO_PROXY="${noProxy}" goes direct, not through the proxy`, async () => {
        setProxyEnv({ HTTPS_PROXY: proxy.url, NO_PROXY: noProxy.replace('PORT', port) });
        const id = await addCluster(host);
        const before = proxy.tunnels.length;
        expect(await app.client.call('environments.testConnection', { id })).toMatchObject({ ok: true, details: { pods: 2 } });
        expect(proxy.tunnels.length).toBe(before);
      });
    }

    const proxied = [`${host}:1`, `.${host}`, '10.0.0.0/8,.kiops.test', `x${host}`];
    for (const noProxy of proxied) {
      it.skipIf(!usable)(`NO_PROXY="${noProxy}" does not match, so the proxy carries the traffic`, async () => {
        setProxyEnv({ HTTPS_PROXY: proxy.url, NO_PROXY: noProxy });
        const id = await addCluster(host);
        const before = tunnelsTo(host);
        expect(await app.client.call('environments.testConnection', { id })).toMatchObject({ ok: true, details: { pods: 2 } });
        expect(tunnelsTo(host)).toBeGreaterThan(before);
      });
    }
  });
});
