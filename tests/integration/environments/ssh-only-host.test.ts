import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithEnvironment } from '../../support/test-environment.ts';
import { startTestCore, type TestCore } from './support/core.ts';
import { startNamespacedHost, type NamespacedHost } from './support/namespaced-host.ts';

const run = promisify(execFile);

describeWithEnvironment(['keyring'], 'a host reachable only over SSH, in a network namespace', () => {
  let host: NamespacedHost;
  let app: TestCore;
  let scratch: string;
  let identityId: string;
  beforeAll(async () => {
    host = await startNamespacedHost();
    app = await startTestCore();
    scratch = await mkdtemp(join(tmpdir(), 'kiops-nshost-kubectl-'));
    identityId = (await app.client.call('sshIdentities.add', { kind: 'private-key', name: 'namespace key', privateKey: host.privateKey })).id;
  });
  afterAll(async () => {
    await app?.close();
    await host?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  const ssh = () => ({ host: host.address, port: host.sshPort, username: host.username, identityId });

  it('lists the host’s containers through Direct SSH and runs a host command there', async () => {
    expect(existsSync(host.dockerSocket)).toBe(false);
    const engine = await app.client.call('environments.addEngine', { name: 'namespaced docker', engine: 'docker', socketPath: host.dockerSocket, connection: { selected: 'auto', methods: ['ssh'], ssh: ssh() } });
    const first = await app.client.call('environments.testConnection', { id: engine.id });
    if (first.state !== 'needs-host-key-confirmation') throw new Error(`expected a host key question, got ${JSON.stringify(first)}`);
    expect(first.hostPort).toBe(`${host.address}:2222`);
    await app.client.call('hostKeys.trust', { environmentId: engine.id, fingerprint: first.fingerprint });
    expect(await app.client.call('environments.testConnection', { id: engine.id })).toMatchObject({ ok: true, method: 'ssh', details: { containers: 1 } });
    const { docker } = await app.core.runtime.engine(engine.id);
    expect((await docker.listContainers({ all: true })).map((c) => c.Names[0])).toEqual([`/${host.containerName}`]);
    const command = await app.core.runtime.hostExec(engine.id, ['ip', '-4', '-o', 'addr', 'show'], { deadlineMs: 10_000, maxOutputBytes: 65_536 });
    expect(command.exitCode).toBe(0);
    expect(command.stdout).toContain(`${host.address}/30`);
  });

  it('reaches the API server behind the SSH host through the SOCKS path, with client-node and kubectl', async () => {
    const { environments } = await app.client.call('environments.addKubernetes', {
      source: { kind: 'paths', paths: [host.kubeconfigPath] },
      contexts: ['admin@kiops-test'],
      name: 'behind ssh',
      connection: { selected: 'auto', methods: ['direct', 'ssh'], ssh: ssh() },
    });
    const cluster = environments[0]!;
    const test = await app.client.call('environments.testConnection', { id: cluster.id });
    expect(test).toMatchObject({ ok: true, method: 'ssh', attempts: [{ method: 'direct', healthy: false }, { method: 'ssh', healthy: true }] });
    expect(test.reason).toContain('fell back after Direct failed');

    const access = await app.core.runtime.kubernetes(cluster.id);
    expect(access.model.clusters[0]?.cluster['proxy-url']).toMatch(/^socks5:\/\/127\.0\.0\.1:\d+$/);
    const namespaces = await access.kubeConfig.makeApiClient(CoreV1Api).listNamespace();
    expect(namespaces.items.map((ns) => ns.metadata?.name)).toContain('default');

    const file = await app.core.runtime.privateKubeconfig(cluster.id, scratch);
    try {
      const { stdout } = await run('kubectl', ['--kubeconfig', file.path, '--cache-dir', join(scratch, 'cache'), 'get', 'namespaces', '-o', 'name'], { env: { PATH: '/usr/bin:/bin', HOME: scratch } });
      expect(stdout.split('\n')).toContain('namespace/default');
    } finally {
      await file.dispose();
    }
  });
});
