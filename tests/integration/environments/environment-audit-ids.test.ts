import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { startTestCore, type TestCore } from './support/core.ts';
import { writeDockerConfig, writeDockerContext } from './support/docker-context-files.ts';

const env = useTestEnvironment('keyring', 'docker');

/** A kubeconfig with one cluster and several contexts, as a cloud CLI leaves it. */
function kubeconfig(kube: KubeTestServer, contexts: readonly string[]): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: lab',
    '  cluster:',
    `    server: ${kube.url}`,
    `    certificate-authority-data: ${Buffer.from(kube.caPem).toString('base64')}`,
    'users:',
    ...contexts.flatMap((context) => [`- name: ${context}-user`, '  user:', `    token: ${context}-token`]),
    'contexts:',
    ...contexts.flatMap((context) => [`- name: ${context}`, `  context: { cluster: lab, user: ${context}-user, namespace: default }`]),
    `current-context: ${contexts[0] ?? ''}`,
    '',
  ].join('\n');
}

// The Audit Log page filters by environment id: the add of every new environment must be found
// that way, as must its later edit and removal.
describe('environment.* audit rows name their environment', () => {
  let kube: KubeTestServer;
  let app: TestCore;
  let scratch: string;
  const hostEnv: Record<string, string | undefined> = {};
  const unique = `aid${Date.now().toString(36)}`;

  const rowsOf = async (environmentId: string) => (await app.client.call('audit.list', { environmentId, limit: 50 })).rows.map((row) => `${row.action} ${row.outcome} ${row.target}`);

  beforeAll(async () => {
    kube = await startKubeTestServer({ nodes: 1 });
    scratch = mkdtempSync(join(tmpdir(), 'kiops-audit-ids-'));
    hostEnv.DOCKER_CONFIG = join(scratch, 'docker-config');
    writeDockerConfig(hostEnv.DOCKER_CONFIG, undefined);
    writeDockerContext(hostEnv.DOCKER_CONFIG, `${unique}-local`, `unix://${env.docker.socketPath}`);
    app = await startTestCore({ host: { env: hostEnv, homeDir: scratch } });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await kube?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it.each([2, 3])('a kubeconfig add of %i contexts writes one row per new environment, found by its id', async (count) => {
    const contexts = Array.from({ length: count }, (_, index) => `${unique}-${count}-${index}@lab`);
    const { environments } = await app.client.call('environments.addKubernetes', { source: { kind: 'text', text: kubeconfig(kube, contexts) }, contexts, name: `${unique} ${count}` });
    expect(environments).toHaveLength(count);
    for (const environment of environments) {
      expect(await rowsOf(environment.id)).toEqual([`environment.add success ${environment.name}`, `environment.add started ${environment.name}`]);
    }
  });

  it('a single kubeconfig context, an engine socket and a Docker context: the add, edit and remove rows carry the id', async () => {
    const [kubernetes] = (await app.client.call('environments.addKubernetes', { source: { kind: 'text', text: kubeconfig(kube, [`${unique}-one@lab`]) }, contexts: [`${unique}-one@lab`], name: `${unique} one` })).environments;
    const engine = await app.client.call('environments.addEngine', { name: `${unique} engine`, engine: 'docker', socketPath: env.docker.socketPath });
    const context = await app.client.call('environments.addDockerContext', { contextName: `${unique}-local`, name: `${unique} context` });
    for (const added of [kubernetes!, engine, context]) {
      await app.client.call('environments.update', { id: added.id, name: `${added.name} renamed` });
      await app.client.call('environments.remove', { id: added.id });
      expect(await rowsOf(added.id)).toEqual([
        `environment.remove success ${added.name} renamed`,
        `environment.remove started ${added.name} renamed`,
        `environment.edit success ${added.name}`,
        `environment.edit started ${added.name}`,
        `environment.add success ${added.name}`,
        `environment.add started ${added.name}`,
      ]);
    }
    // and no environment.* row of this run is without its environment
    const { rows } = await app.client.call('audit.list', { action: 'environment.', limit: 200 });
    expect(rows.length).toBeGreaterThanOrEqual(18);
    expect(rows.filter((row) => row.environmentId === undefined || row.environmentId === null).map((row) => `${row.action} ${row.outcome} ${row.target}`)).toEqual([]);
  });
});
