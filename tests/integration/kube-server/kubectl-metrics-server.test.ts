import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsServerManifest } from '../../../electron/main/operations/scaling/metrics-server-manifest.ts';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { kubectlFor, parseTable, type Kubectl } from './kubectl.ts';

// The test API server holds the Metrics Server manifest to what a real cluster does: every kind
// in it (ServiceAccount, ClusterRole, ClusterRoleBinding, RoleBinding, Service, Deployment,
// APIService) is accepted by the real kubectl's apply and listed by its get; the APIService
// turns Available only when the Service has a ready endpoint.
describe('the Metrics Server manifest through the real kubectl', () => {
  let kube: KubeTestServer;
  let kubectl: Kubectl;
  let dir: string;

  beforeAll(async () => {
    kube = await startKubeTestServer({ nodes: 1 });
    kubectl = await kubectlFor(kube);
    dir = await mkdtemp(join(tmpdir(), 'kiops-ms-manifest-'));
  });
  afterAll(async () => {
    await kube?.close();
    await kubectl?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('kubectl apply -f creates every object; kubectl get lists each, and the APIService becomes Available', async () => {
    // Multi-document YAML, as the release's components.yaml is.
    const file = join(dir, 'components.yaml');
    await writeFile(file, metricsServerManifest.map((object) => dump(object)).join('---\n'));
    const applied = await kubectl.ok(['apply', '-f', file]);
    expect(applied.trim().split('\n')).toEqual([
      'serviceaccount/metrics-server created',
      'clusterrole.rbac.authorization.k8s.io/system:aggregated-metrics-reader created',
      'clusterrole.rbac.authorization.k8s.io/system:metrics-server created',
      'rolebinding.rbac.authorization.k8s.io/metrics-server-auth-reader created',
      'clusterrolebinding.rbac.authorization.k8s.io/metrics-server:system:auth-delegator created',
      'clusterrolebinding.rbac.authorization.k8s.io/system:metrics-server created',
      'service/metrics-server created',
      'deployment.apps/metrics-server created',
      'apiservice.apiregistration.k8s.io/v1beta1.metrics.k8s.io created',
    ]);
    for (const object of metricsServerManifest) {
      const args = ['get', `${object.kind.toLowerCase()}.${object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : ''}`.replace(/\.$/, ''), object.metadata.name, '-o', 'name'];
      if (object.metadata.namespace) args.push('-n', object.metadata.namespace);
      expect((await kubectl.ok(args)).trim()).toMatch(new RegExp(`/${object.metadata.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    }
    const bindings = parseTable(await kubectl.ok(['get', 'clusterrolebindings', '-o', 'wide']));
    expect(bindings.find((row) => row.NAME === 'system:metrics-server')).toMatchObject({ ROLE: 'ClusterRole/system:metrics-server', SERVICEACCOUNTS: 'kube-system/metrics-server' });
    expect(parseTable(await kubectl.ok(['get', 'rolebindings', '-n', 'kube-system']))).toEqual([expect.objectContaining({ NAME: 'metrics-server-auth-reader', ROLE: 'Role/extension-apiserver-authentication-reader' })]);

    await kube.metricsServerAvailable();
    const apiServices = parseTable(await kubectl.ok(['get', 'apiservices']));
    expect(apiServices).toEqual([expect.objectContaining({ NAME: 'v1beta1.metrics.k8s.io', SERVICE: 'kube-system/metrics-server', AVAILABLE: 'True' })]);
    expect((await kubectl.ok(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/kube-system/pods'])).length).toBeGreaterThan(0);

    // Applying the same file again changes nothing: kubectl 1.32 still sends the Deployment a
    // `$retainKeys` patch for its partial strategy ("configured"), which leaves its generation alone.
    expect((await kubectl.ok(['apply', '-f', file])).trim().split('\n').filter((line) => !line.endsWith(' unchanged'))).toEqual(['deployment.apps/metrics-server configured']);
    expect(await kubectl.ok(['get', 'deployment', 'metrics-server', '-n', 'kube-system', '-o', 'jsonpath={.metadata.generation}'])).toBe('1');
  });

  it('an APIService whose Service is missing is not Available, and says why', async () => {
    const file = join(dir, 'orphan.json');
    await writeFile(
      file,
      JSON.stringify({
        apiVersion: 'apiregistration.k8s.io/v1',
        kind: 'APIService',
        metadata: { name: 'v1alpha1.orphan.example.com' },
        spec: { group: 'orphan.example.com', version: 'v1alpha1', groupPriorityMinimum: 100, versionPriority: 10, insecureSkipTLSVerify: true, service: { name: 'nobody', namespace: 'default' } },
      }),
    );
    await kubectl.ok(['apply', '-f', file]);
    await kube.waitFor(() => kube.get('APIService', '', 'v1alpha1.orphan.example.com')?.status !== undefined, 30_000, 'the orphan APIService status');
    const row = parseTable(await kubectl.ok(['get', 'apiservice', 'v1alpha1.orphan.example.com'])).at(0);
    expect(row).toMatchObject({ SERVICE: 'default/nobody', AVAILABLE: 'False (ServiceNotFound)' });
  });

  it('refuses what a real API server refuses: a ClusterRoleBinding to a Role, a changed roleRef, a misnamed APIService', async () => {
    const bad = async (name: string, object: unknown): Promise<string> => {
      const file = join(dir, `${name}.json`);
      await writeFile(file, JSON.stringify(object));
      const result = await kubectl(['apply', '-f', file]);
      expect(result.code).not.toBe(0);
      return result.stderr;
    };
    const subjects = [{ kind: 'ServiceAccount', name: 'x', namespace: 'default' }];
    expect(await bad('crb-role', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'bad-crb' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects })).toContain(
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
    );
    expect(
      await bad('crb-change', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'system:metrics-server' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects }),
    ).toContain('cannot change roleRef');
    expect(
      await bad('apiservice-name', {
        apiVersion: 'apiregistration.k8s.io/v1',
        kind: 'APIService',
        metadata: { name: 'metrics' },
        spec: { group: 'metrics.k8s.io', version: 'v1beta1', groupPriorityMinimum: 100, versionPriority: 100, insecureSkipTLSVerify: true },
      }),
    ).toContain('must be v1beta1.metrics.k8s.io');
  });
});
