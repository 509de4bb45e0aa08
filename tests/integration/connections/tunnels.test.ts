import { execFile } from 'node:child_process';
import { get } from 'node:https';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { SocksProxyAgent } from 'socks-proxy-agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshConnectionPool } from '../../../electron/main/connections/ssh/connection-pool.ts';
import { createRemoteEngine } from '../../../electron/main/connections/ssh/remote-engine.ts';
import type { SshConnectionOptions } from '../../../electron/main/connections/ssh/ssh-connection.ts';
import { parseKubeconfig } from '../../../electron/main/environments/kubeconfig/parse.ts';
import { writePrivateKubeconfig } from '../../../electron/main/environments/kubeconfig/private-file.ts';
import { toKubeconfigYaml } from '../../../electron/main/environments/kubeconfig/serialize.ts';
import { rebuildKubeconfig, splitContext } from '../../../electron/main/environments/kubeconfig/split.ts';
import { engineConcurrencyFor, forwardedEngineConcurrency, remoteEngineConcurrency } from '../../../electron/main/operations/containers/bounded-parallel.ts';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { MemoryHostKeyStore, startTestSshd, type TestSshd } from './support/sshd.ts';

const run = promisify(execFile);
const env = useTestEnvironment('ssh', 'docker');

function sshOptions(): SshConnectionOptions {
  return {
    target: { host: env.ssh.host, port: env.ssh.port, username: env.ssh.user },
    identity: async () => ({ kind: 'private-key', privateKey: await readFile(env.ssh.keys.ed25519.privateKeyPath, 'utf8') }),
    hostKeys: new MemoryHostKeyStore(),
    unknownHostKey: { kind: 'accept', fingerprint: env.ssh.hostKey.fingerprint },
  };
}

describe('Kubernetes through the SOCKS5 listener over SSH', () => {
  let kube: KubeTestServer;
  let pool: SshConnectionPool;
  let dir: string;
  beforeAll(async () => {
    kube = await startKubeTestServer({ nodes: 1 });
    pool = new SshConnectionPool();
    dir = await mkdtemp(join(tmpdir(), 'kiops-socks-'));
  });
  afterAll(async () => {
    await pool?.close();
    await kube?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const tunnelledKubeconfig = async (proxyUrl: string) => {
    const { metadata, secrets } = splitContext(parseKubeconfig(kube.kubeconfigYaml('developer', 'default'), 'test server'));
    return rebuildKubeconfig(metadata, secrets, { proxyUrl });
  };

  it('carries an HTTPS request from Node to the API server', async () => {
    const proxy = await pool.socksProxy(sshOptions());
    expect(proxy.url).toMatch(/^socks5:\/\/127\.0\.0\.1:\d+$/);
    const before = proxy.openedConnections();
    const body = await new Promise<string>((resolve, reject) => {
      get(`${kube.url}/version`, { agent: new SocksProxyAgent(proxy.url), ca: kube.caPem, headers: { authorization: 'Bearer developer-token' } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(text));
      }).on('error', reject);
    });
    expect(JSON.parse(body)).toHaveProperty('gitVersion');
    expect(proxy.openedConnections()).toBe(before + 1);
  });

  it('lets client-node list pods with proxy-url pointing at the listener', async () => {
    kube.applyDeployment({ name: 'web', replicas: 2, image: 'nginx:1.27' });
    await kube.waitFor(() => kube.podsOf('default', 'web').length === 2);
    const proxy = await pool.socksProxy(sshOptions());
    const before = proxy.openedConnections();
    const kc = new KubeConfig();
    kc.loadFromString(toKubeconfigYaml(await tunnelledKubeconfig(proxy.url)));
    const pods = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'default' });
    expect(pods.items.filter((p) => p.metadata?.name?.startsWith('web-'))).toHaveLength(2);
    expect(proxy.openedConnections()).toBeGreaterThan(before);
  });

  it('lets kubectl work from a temporary 0600 kubeconfig carrying proxy-url', async () => {
    const proxy = await pool.socksProxy(sshOptions());
    const before = proxy.openedConnections();
    const file = await writePrivateKubeconfig(dir, await tunnelledKubeconfig('socks5://127.0.0.1:1'), { proxyUrl: proxy.url });
    try {
      const { stdout } = await run('kubectl', ['--kubeconfig', file.path, '--cache-dir', join(dir, 'cache'), 'get', 'deployments', '-o', 'name'], { env: { PATH: '/usr/bin:/bin', HOME: dir } });
      expect(stdout.trim().split('\n')).toContain('deployment.apps/web');
      expect(proxy.openedConnections()).toBeGreaterThan(before);
    } finally {
      await file.dispose();
    }
  });
});

describe('dockerode for a remote engine over the pooled SSH connection', () => {
  let pool: SshConnectionPool;
  let name: string;
  beforeAll(async () => {
    pool = new SshConnectionPool();
    name = `kiops-ssh-engine-${process.pid}`;
    await run(env.docker.cli.command, [...env.docker.cli.args, 'create', '--name', name, '--label', `kiops.test=${name}`, '--network', 'none', env.docker.images.latest.reference, 'sleep', '300'], {
      env: { ...process.env, ...env.docker.cli.env },
    });
  });
  afterAll(async () => {
    await run(env.docker.cli.command, [...env.docker.cli.args, 'rm', '-f', name], { env: { ...process.env, ...env.docker.cli.env } }).catch(() => undefined);
    await pool?.close();
  });

  // Only this file's own labelled container: other tests' containers come and go meanwhile.
  const ours = () => ({ label: [`kiops.test=${name}`] });
  const cliNames = async (): Promise<string[]> => {
    const { stdout } = await run(env.docker.cli.command, [...env.docker.cli.args, 'ps', '-a', '--filter', `label=kiops.test=${name}`, '--format', '{{.Names}}'], { env: { ...process.env, ...env.docker.cli.env } });
    return stdout.trim().split('\n').sort();
  };

  it('lists containers as `docker -H unix://…` does (its own labelled one), through streamlocal channels', async () => {
    const connection = pool.connection(sshOptions());
    const engine = createRemoteEngine(connection, { engine: 'docker', socketPath: env.docker.socketPath, hostLabel: 'the test host' });
    const containers = await engine.docker.listContainers({ all: true, filters: ours() });
    expect(containers.map((c) => c.Names[0]?.replace(/^\//, '')).sort()).toEqual(await cliNames());
    expect(await cliNames()).toEqual([name]);
    expect((await engine.docker.listContainers({ all: true })).map((c) => c.Names[0])).toContain(`/${name}`);
    expect(engine.transport()).toBe('streamlocal');
    const version = await engine.docker.version();
    expect(version.ApiVersion).toBe(env.docker.apiVersion);
    engine.close();
  });

  it('answers as many requests at once as the Container List sends through streamlocal channels, on one SSH connection', async () => {
    const engine = createRemoteEngine(pool.connection(sshOptions()), { engine: 'docker', socketPath: env.docker.socketPath, hostLabel: 'the test host' });
    await engine.docker.listContainers({ all: true, filters: ours() });
    expect(engineConcurrencyFor({ docker: engine.docker, kind: 'docker', identity: 'docker@ssh' })).toBe(forwardedEngineConcurrency);
    const answers = await Promise.all(Array.from({ length: forwardedEngineConcurrency }, () => engine.docker.getContainer(name).inspect()));
    expect(answers.map((answer) => answer.Name)).toEqual(answers.map(() => `/${name}`));
    engine.close();
  });

  it('says which socket cannot be opened when the engine is not there', async () => {
    const engine = createRemoteEngine(pool.connection(sshOptions()), { engine: 'docker', socketPath: '/nonexistent/docker.sock', hostLabel: 'the test host' });
    await expect(engine.docker.listContainers()).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('Cannot open the Docker socket /nonexistent/docker.sock on the test host'),
    });
  });

  describe('when the SSH server forbids socket forwarding', () => {
    let sshd: TestSshd;
    beforeAll(async () => {
      sshd = await startTestSshd({ allowStreamLocalForwarding: false });
    });
    afterAll(async () => {
      await sshd?.stop();
    });

    it('falls back to `docker system dial-stdio` over ssh exec', async () => {
      const connection = pool.connection({
        target: { host: sshd.host, port: sshd.port, username: sshd.username },
        identity: async () => ({ kind: 'private-key', privateKey: sshd.keys.ed25519 }),
        hostKeys: new MemoryHostKeyStore(),
        unknownHostKey: { kind: 'trust-on-first-use' },
      });
      const engine = createRemoteEngine(connection, { engine: 'docker', socketPath: env.docker.socketPath, hostLabel: 'the test host' });
      const containers = await engine.docker.listContainers({ all: true });
      expect(engine.transport()).toBe('dial-stdio');
      // each request is an exec session there, and OpenSSH allows 10 per connection
      expect(engineConcurrencyFor({ docker: engine.docker, kind: 'docker', identity: 'docker@ssh' })).toBe(remoteEngineConcurrency);
      expect(containers.map((c) => c.Names[0])).toContain(`/${name}`);
      engine.close();
    });
  });
});
