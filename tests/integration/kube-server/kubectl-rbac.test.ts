import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultUsers, startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { kubectlFor, type Kubectl } from './kubectl.ts';

describe('RBAC and access reviews through kubectl', () => {
  let kube: KubeTestServer;
  let kubectl: Kubectl;

  beforeAll(async () => {
    kube = await startKubeTestServer({
      extraUsers: [{ name: 'pod-reader', groups: ['system:authenticated'], auth: 'certificate', rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'pods/log'], namespaces: ['team-a'] }] }],
    });
    kubectl = await kubectlFor(kube);
    kube.addNamespace('team-a');
    kube.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token', namespace: 'default' }, stringData: { token: 'x' } });
  });

  afterAll(async () => {
    await kube?.close();
    await kubectl?.cleanup();
  });

  it('answers kubectl auth can-i truthfully per user', async () => {
    expect(await kubectl(['auth', 'can-i', 'delete', 'pods'])).toMatchObject({ stdout: 'yes\n', code: 0 });
    expect(await kubectl(['auth', 'can-i', 'delete', 'pods'], { user: 'viewer' })).toMatchObject({ stdout: 'no\n', code: 1 });
    expect(await kubectl(['auth', 'can-i', 'list', 'pods', '-n', 'team-a'], { user: 'viewer' })).toMatchObject({ stdout: 'yes\n', code: 0 });
    expect(await kubectl(['auth', 'can-i', 'create', 'deployments.apps', '-n', 'default'], { user: 'developer' })).toMatchObject({ stdout: 'yes\n' });
    expect(await kubectl(['auth', 'can-i', 'create', 'deployments.apps', '-n', 'kube-system'], { user: 'developer' })).toMatchObject({ stdout: 'no\n' });
    expect(await kubectl(['auth', 'can-i', 'get', 'pods', '--subresource=log', '-n', 'team-a'], { user: 'pod-reader' })).toMatchObject({ stdout: 'yes\n' });
    expect(await kubectl(['auth', 'can-i', 'get', 'secrets'], { user: 'nobody' })).toMatchObject({ stdout: 'no\n' });
  });

  it('refuses what a user may not do with kubectl\'s forbidden error', async () => {
    const secrets = await kubectl(['get', 'secrets'], { user: 'viewer' });
    expect(secrets.code).toBe(1);
    expect(secrets.stderr).toBe('Error from server (Forbidden): secrets is forbidden: User "viewer" cannot list resource "secrets" in API group "" in the namespace "default"\n');
    const system = await kubectl(['get', 'pods', '-n', 'kube-system'], { user: 'developer' });
    expect(system.stderr).toBe('Error from server (Forbidden): pods is forbidden: User "developer" cannot list resource "pods" in API group "" in the namespace "kube-system"\n');
    const deleteNode = await kubectl(['delete', 'node', 'node-1'], { user: 'developer' });
    expect(deleteNode.stderr).toBe('Error from server (Forbidden): nodes "node-1" is forbidden: User "developer" cannot delete resource "nodes" in API group "" at the cluster scope\n');
    const create = await kubectl(['create', 'configmap', 'x', '--from-literal=a=b'], { user: 'viewer' });
    expect(create.stderr).toContain('configmaps is forbidden: User "viewer" cannot create resource "configmaps" in API group "" in the namespace "default"');
    expect(kube.get('Node', '', 'node-1')).toBeDefined();
  });

  it('authenticates client-certificate users by their certificate CN', async () => {
    expect(await kubectl.ok(['get', 'pods', '-n', 'team-a'], { user: 'pod-reader' })).toBe('');
    const other = await kubectl(['get', 'pods', '-n', 'default'], { user: 'pod-reader' });
    expect(other.stderr).toContain('User "pod-reader" cannot list resource "pods"');
    expect(defaultUsers().find((user) => user.name === 'admin')?.auth).toBe('certificate');
    const list = await kubectl.ok(['auth', 'can-i', '--list', '-n', 'team-a'], { user: 'pod-reader' });
    expect(list).toMatch(/pods\s+\[\]\s+\[\]\s+\[get list\]/);
    expect(list).toMatch(/selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]/);
  });

  it('rejects unknown credentials as unauthorized', async () => {
    const yaml = kube.kubeconfigYaml('viewer').replace('viewer-token', 'stolen-token');
    const { writeFile } = await import('node:fs/promises');
    const path = `${kubectl.home}/stolen.kubeconfig`;
    await writeFile(path, yaml);
    const { execFile } = await import('node:child_process');
    const result = await new Promise<{ stderr: string }>((resolve) => {
      execFile('kubectl', ['--kubeconfig', path, '--cache-dir', `${kubectl.home}/cache2`, 'get', 'pods'], { env: { HOME: kubectl.home, PATH: process.env.PATH ?? '' } }, (_error, _stdout, stderr) => resolve({ stderr }));
    });
    // kubectl 1.32 words a 401 this way against real clusters too.
    expect(result.stderr).toContain('error: You must be logged in to the server (the server has asked for the client to provide credentials)');
  });
});
