import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors.ts';
import { contextWarnings, listContexts, resolveContext } from './contexts.ts';
import { loadKubeconfigFile, loadKubeconfigList } from './load.ts';
import { mergeKubeconfigs } from './merge.ts';
import { parseKubeconfig } from './parse.ts';
import { writePrivateKubeconfig } from './private-file.ts';
import { toKubeconfigYaml } from './serialize.ts';
import { contextMetadataSchema, rebuildKubeconfig, splitContext } from './split.ts';

const prod = `
apiVersion: v1
kind: Config
current-context: prod
clusters:
- name: prod-cluster
  cluster:
    server: https://prod.example:6443
    certificate-authority-data: Q0FEQVRB
    proxy-url: http://alice:pw@proxy.example:3128
- name: lab
  cluster:
    server: https://10.0.0.5:6443
    insecure-skip-tls-verify: true
users:
- name: prod-admin
  user:
    token: SECRET-TOKEN-123
- name: certs
  user:
    client-certificate-data: Q0VSVA==
    client-key-data: S0VZLVNFQ1JFVA==
- name: eks
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [eks, get-token, --cluster-name, prod]
      env:
      - name: AWS_SECRET_ACCESS_KEY
        value: EXEC-ENV-SECRET
- name: gke-old
  user:
    auth-provider:
      name: gcp
      config:
        access-token: AUTH-PROVIDER-SECRET
contexts:
- name: prod
  context: { cluster: prod-cluster, user: prod-admin, namespace: shop }
- name: lab
  context: { cluster: lab, user: certs }
- name: eks
  context: { cluster: prod-cluster, user: eks }
- name: gke
  context: { cluster: lab, user: gke-old }
`;

function appErrorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('parsing a kubeconfig', () => {
  it('lists contexts with cluster, user, namespace and which one is current', () => {
    const model = parseKubeconfig(prod, 'pasted text');
    expect(listContexts(model)).toEqual([
      { name: 'prod', cluster: 'prod-cluster', user: 'prod-admin', namespace: 'shop', current: true },
      { name: 'lab', cluster: 'lab', user: 'certs', namespace: undefined, current: false },
      { name: 'eks', cluster: 'prod-cluster', user: 'eks', namespace: undefined, current: false },
      { name: 'gke', cluster: 'lab', user: 'gke-old', namespace: undefined, current: false },
    ]);
  });

  it('says where YAML is broken', () => {
    const error = appErrorOf(() => parseKubeconfig('clusters:\n  - name: a\n   cluster: [', '/home/u/.kube/config'));
    expect(error.code).toBe('KUBECONFIG_INVALID');
    expect(error.message).toMatch(/^The kubeconfig \/home\/u\/\.kube\/config is not valid YAML \(line \d+, column \d+\)\.$/);
  });

  it('names the entry that lacks a server', () => {
    const error = appErrorOf(() => parseKubeconfig('clusters:\n- name: prod\n  cluster: {}\n', 'pasted text'));
    expect(error.code).toBe('KUBECONFIG_INVALID');
    expect(error.message).toBe('The kubeconfig pasted text is invalid: cluster "prod" field "server" is missing.');
  });

  it('rejects empty text and non-mappings', () => {
    expect(appErrorOf(() => parseKubeconfig('', 'x')).message).toBe('The kubeconfig x is empty.');
    expect(appErrorOf(() => parseKubeconfig('- a\n- b', 'x')).message).toMatch(/not a YAML mapping/);
  });

  it('reports a missing context, and contexts naming a missing cluster or user', () => {
    const model = parseKubeconfig(prod, 'k');
    expect(appErrorOf(() => resolveContext(model, 'staging')).message).toBe('The kubeconfig k has no context named "staging" (it has: prod, lab, eks, gke).');
    const dangling = parseKubeconfig(
      'clusters: [{name: a, cluster: {server: "https://a"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts:\n- {name: c1, context: {cluster: nope, user: u}}\n- {name: c2, context: {cluster: a, user: ghost}}\n',
      'k2',
    );
    const missingCluster = appErrorOf(() => resolveContext(dangling, 'c1'));
    expect(missingCluster.message).toBe('Context "c1" in k2 names cluster "nope", which is not defined in the kubeconfig.');
    expect(missingCluster.details).toMatchObject({ problem: 'missing-cluster' });
    expect(appErrorOf(() => resolveContext(dangling, 'c2')).message).toBe('Context "c2" in k2 names user "ghost", which is not defined in the kubeconfig.');
    expect(appErrorOf(() => resolveContext(dangling)).message).toMatch(/has no current-context/);
  });

  it('never quotes secret values in errors', () => {
    const error = appErrorOf(() => parseKubeconfig('users:\n- name: u\n  user: {token: 12345}\n', 'k'));
    expect(error.message).toBe('The kubeconfig k is invalid: user "u" field "token" has the wrong type or value.');
    expect(JSON.stringify(error.details)).not.toContain('12345');
  });
});

describe('warnings per context', () => {
  const model = parseKubeconfig(prod, 'k');
  const kinds = (name: string) => contextWarnings(resolveContext(model, name)).map((w) => w.kind);

  it('flags insecure TLS, exec plugins with their command line, auth-providers and proxies', () => {
    expect(kinds('lab')).toEqual(['insecure-skip-tls-verify']);
    const eks = contextWarnings(resolveContext(model, 'eks'));
    expect(eks.map((w) => w.kind)).toEqual(['proxy-url', 'exec']);
    expect(eks[1]).toMatchObject({ command: 'aws', args: ['eks', 'get-token', '--cluster-name', 'prod'] });
    expect(eks[1]?.message).toContain('aws eks get-token --cluster-name prod');
    expect(kinds('gke')).toEqual(['insecure-skip-tls-verify', 'auth-provider']);
  });

  it('shows the proxy without its password', () => {
    const proxy = contextWarnings(resolveContext(model, 'prod')).find((w) => w.kind === 'proxy-url');
    expect(proxy?.message).toBe('Cluster "prod-cluster" is reached through the proxy http://***@proxy.example:3128.');
    expect(JSON.stringify(proxy)).not.toContain('pw');
  });
});

describe('merging a multi-file KUBECONFIG like kubectl', () => {
  const first = parseKubeconfig(
    'current-context: ""\nclusters: [{name: shared, cluster: {server: "https://first"}}]\nusers: [{name: u, user: {token: first}}]\ncontexts: [{name: c, context: {cluster: shared, user: u}}]\n',
    'a',
  );
  const second = parseKubeconfig(
    'current-context: c2\nclusters: [{name: shared, cluster: {server: "https://second"}}, {name: other, cluster: {server: "https://other"}}]\nusers: [{name: u, user: {token: second}}]\ncontexts: [{name: c, context: {cluster: other, user: u}}, {name: c2, context: {cluster: other, user: u}}]\n',
    'b',
  );
  const third = parseKubeconfig('current-context: c\n', 'c');

  it('keeps the first definition of each name and the first non-empty current-context', () => {
    const merged = mergeKubeconfigs([first, second, third]);
    expect(merged.currentContext).toBe('c2');
    expect(merged.clusters.map((c) => [c.name, c.cluster.server])).toEqual([
      ['shared', 'https://first'],
      ['other', 'https://other'],
    ]);
    expect(resolveContext(merged, 'c').cluster.cluster.server).toBe('https://first');
    expect(merged.contexts.map((c) => c.name)).toEqual(['c', 'c2']);
  });

  describe('from files', () => {
    let dir = '';
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'kiops-kc-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('skips missing files in a list, resolves relative paths, and never writes the files', async () => {
      const a = join(dir, 'a.yaml');
      const text = 'current-context: x\nclusters: [{name: k, cluster: {server: "https://k", certificate-authority: ca.crt}}]\ncontexts: [{name: x, context: {cluster: k}}]\n';
      await writeFile(a, text);
      const merged = await loadKubeconfigList(`${join(dir, 'missing.yaml')}:${a}`, dir);
      expect(merged.clusters[0]?.cluster['certificate-authority']).toBe(join(dir, 'ca.crt'));
      expect(resolveContext(merged).user.name).toBe('');
      expect(await readFile(a, 'utf8')).toBe(text);
    });

    it('says which file does not exist', async () => {
      await expect(loadKubeconfigFile(join(dir, 'nope'))).rejects.toMatchObject({ code: 'KUBECONFIG_INVALID', message: `The kubeconfig file ${join(dir, 'nope')} does not exist.` });
    });
  });
});

describe('splitting a context into metadata and secrets', () => {
  const model = parseKubeconfig(prod, 'k');

  it('keeps tokens, client keys/certs, exec env values and auth-provider config out of the metadata', () => {
    for (const name of ['prod', 'lab', 'eks', 'gke']) {
      const { metadata } = splitContext(model, name);
      const stored = JSON.stringify(contextMetadataSchema.parse(metadata));
      for (const secret of ['SECRET-TOKEN-123', 'S0VZLVNFQ1JFVA==', 'Q0VSVA==', 'EXEC-ENV-SECRET', 'AUTH-PROVIDER-SECRET']) {
        expect(stored).not.toContain(secret);
      }
    }
    expect(splitContext(model, 'prod').secrets).toEqual({ token: 'SECRET-TOKEN-123' });
    expect(splitContext(model, 'lab').secrets).toEqual({ clientCertificateData: 'Q0VSVA==', clientKeyData: 'S0VZLVNFQ1JFVA==' });
    expect(splitContext(model, 'eks').secrets).toEqual({ execEnv: { AWS_SECRET_ACCESS_KEY: 'EXEC-ENV-SECRET' } });
    expect(splitContext(model, 'gke').secrets).toEqual({ authProviderConfig: { 'access-token': 'AUTH-PROVIDER-SECRET' } });
  });

  it('describes the context without secrets', () => {
    const { metadata } = splitContext(model, 'prod');
    expect(metadata).toMatchObject({ server: 'https://prod.example:6443', clusterName: 'prod-cluster', namespace: 'shop', caPresent: true, insecureSkipTlsVerify: false });
    expect(splitContext(model, 'eks').metadata.exec).toEqual({ apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', args: ['eks', 'get-token', '--cluster-name', 'prod'], envNames: ['AWS_SECRET_ACCESS_KEY'] });
  });

  it('rebuilds a single-context kubeconfig that client-node loads, with a tunnel proxy', () => {
    const { metadata, secrets } = splitContext(model, 'prod');
    const rebuilt = rebuildKubeconfig(metadata, secrets, { proxyUrl: 'socks5://127.0.0.1:1080' });
    const kc = new KubeConfig();
    kc.loadFromString(toKubeconfigYaml(rebuilt));
    expect(kc.getContexts().map((c) => c.name)).toEqual(['prod']);
    expect(kc.getCurrentContext()).toBe('prod');
    expect(kc.getCurrentCluster()).toMatchObject({ server: 'https://prod.example:6443', caData: 'Q0FEQVRB', proxyUrl: 'socks5://127.0.0.1:1080' });
    expect(kc.getCurrentUser()?.token).toBe('SECRET-TOKEN-123');
    expect(kc.getContextObject('prod')?.namespace).toBe('shop');
  });

  it('round-trips exec plugins with their env values', () => {
    const { metadata, secrets } = splitContext(model, 'eks');
    const again = splitContext(parseKubeconfig(toKubeconfigYaml(rebuildKubeconfig(metadata, secrets)), 'rebuilt'));
    expect(again.secrets).toEqual(secrets);
    expect(again.metadata.exec).toEqual(metadata.exec);
  });
});

describe('temporary kubeconfig for kubectl', () => {
  it('is 0600 in a 0700 folder, carries proxy-url, and is removed by dispose', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiops-kc-'));
    try {
      const model = parseKubeconfig(prod, 'k');
      const { metadata, secrets } = splitContext(model, 'lab');
      const file = await writePrivateKubeconfig(dir, rebuildKubeconfig(metadata, secrets), { proxyUrl: 'socks5://127.0.0.1:4242' });
      expect((await stat(file.path)).mode & 0o777).toBe(0o600);
      expect((await stat(join(file.path, '..'))).mode & 0o777).toBe(0o700);
      const back = parseKubeconfig(await readFile(file.path, 'utf8'), file.path);
      expect(back.clusters[0]?.cluster['proxy-url']).toBe('socks5://127.0.0.1:4242');
      await file.dispose();
      await file.dispose();
      await expect(stat(join(file.path, '..'))).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
