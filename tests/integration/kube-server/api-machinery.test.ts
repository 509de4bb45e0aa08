import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeTestServer, type KubeObject, type KubeTestServer, type Pod } from '../../kube-server/index.ts';

interface Reply {
  status: number;
  contentType: string;
  body: string;
  json: Record<string, unknown>;
}

describe('kube test server API machinery (raw HTTPS)', () => {
  let kube: KubeTestServer;

  const call = (method: string, path: string, options: { body?: unknown; contentType?: string; accept?: string; token?: string } = {}): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
      const headers: Record<string, string> = { Authorization: `Bearer ${options.token ?? 'root-token'}`, Accept: options.accept ?? 'application/json' };
      if (payload) {
        headers['Content-Type'] = options.contentType ?? 'application/json';
        headers['Content-Length'] = String(Buffer.byteLength(payload));
      }
      const req = request(new URL(path, kube.url), { method, ca: kube.caPem, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, unknown> = {};
          try {
            json = JSON.parse(body) as Record<string, unknown>;
          } catch {
            // plain text (logs) or a watch stream
          }
          resolve({ status: response.statusCode ?? 0, contentType: String(response.headers['content-type'] ?? ''), body, json });
        });
      });
      req.on('error', reject);
      req.end(payload);
    });

  beforeAll(async () => {
    kube = await startKubeTestServer({
      timings: { kubeletStartDelayMs: 40, containerStopMs: 20 },
      extraUsers: [{ name: 'root', groups: [], auth: 'token', token: 'root-token', rules: [{ verbs: ['*'], resources: ['*'] }] }],
    });
  });

  afterAll(async () => {
    await kube?.close();
  });

  it('serves aggregated discovery, with metrics.k8s.io only while metrics-server is installed', async () => {
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
    const groups = async (): Promise<string[]> => {
      const reply = await call('GET', '/apis', { accept });
      expect(reply.contentType).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
      return (reply.json.items as { metadata: { name: string } }[]).map((item) => item.metadata.name);
    };
    expect(await groups()).toEqual(['apps', 'autoscaling', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'apiregistration.k8s.io', 'authorization.k8s.io']);
    kube.installMetricsServer();
    await kube.metricsServerAvailable();
    expect(await groups()).toContain('metrics.k8s.io');
    expect((await call('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods')).status).toBe(200);
    kube.uninstallMetricsServer();
    expect(await groups()).not.toContain('metrics.k8s.io');
    expect((await call('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods')).status).toBe(404);
    const version = await call('GET', '/version');
    expect(version.json).toMatchObject({ major: '1', minor: '32', gitVersion: 'v1.32.4' });
  });

  it('answers errors with Status objects', async () => {
    const missing = await call('GET', '/api/v1/namespaces/default/pods/nope');
    expect(missing.json).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pods "nope" not found', reason: 'NotFound', details: { name: 'nope', kind: 'pods' }, code: 404 });
    const invalid = await call('POST', '/apis/apps/v1/namespaces/default/deployments', { body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bad' }, spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } } });
    expect(invalid.status).toBe(422);
    expect(invalid.json.message).toBe('Deployment.apps "bad" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`');
    const forbidden = await call('GET', '/api/v1/namespaces/default/secrets', { token: 'viewer-token' });
    expect(forbidden.json).toMatchObject({ code: 403, reason: 'Forbidden' });
    const unauthenticated = await call('GET', '/api/v1/pods', { token: 'wrong' });
    expect(unauthenticated.json).toMatchObject({ code: 401, reason: 'Unauthorized' });
    await call('POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { name: 'c1' }, data: {} } });
    const stale = await call('PUT', '/api/v1/namespaces/default/configmaps/c1', { body: { metadata: { name: 'c1', resourceVersion: '1' }, data: { a: 'b' } } });
    expect(stale.json).toMatchObject({ code: 409, reason: 'Conflict', message: 'Operation cannot be fulfilled on configmaps "c1": the object has been modified; please apply your changes to the latest version and try again' });
  });

  it('honours dryRun=All on create, patch and delete', async () => {
    const created = await call('POST', '/api/v1/namespaces/default/configmaps?dryRun=All', { body: { metadata: { name: 'dry' }, data: { a: '1' } } });
    expect(created.status).toBe(201);
    expect(kube.get('ConfigMap', 'default', 'dry')).toBeUndefined();
    await call('POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { name: 'kept' }, data: { a: '1' } } });
    const patched = await call('PATCH', '/api/v1/namespaces/default/configmaps/kept?dryRun=All', { body: { data: { a: '2' } }, contentType: 'application/merge-patch+json' });
    expect((patched.json.data as Record<string, string>).a).toBe('2');
    expect(kube.get('ConfigMap', 'default', 'kept')?.data).toEqual({ a: '1' });
    await call('DELETE', '/api/v1/namespaces/default/configmaps/kept?dryRun=All');
    expect(kube.get('ConfigMap', 'default', 'kept')).toBeDefined();
  });

  it.each([
    ['POST', '/api/v1/namespaces/default/configmaps', 'CreateOptions'],
    ['PUT', '/api/v1/namespaces/default/configmaps/kept', 'UpdateOptions'],
    ['PATCH', '/api/v1/namespaces/default/configmaps/kept', 'PatchOptions'],
    ['DELETE', '/api/v1/namespaces/default/configmaps/kept', 'DeleteOptions'],
  ])('refuses a dryRun value other than All on %s, as ValidateDryRun does, and changes nothing', async (method, path, kind) => {
    for (const value of ['true', '1', 'all', 'Server']) {
      const body = method === 'DELETE' ? undefined : { metadata: { name: 'kept' }, data: { a: 'x' } };
      const reply = await call(method, `${path}?dryRun=${value}`, { ...(body ? { body } : {}), ...(method === 'PATCH' ? { contentType: 'application/merge-patch+json', body: { data: { a: 'x' } } } : {}) });
      expect(reply.json).toMatchObject({ code: 422, reason: 'Invalid', message: `${kind}.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"${value}"}: supported values: "All"` });
      expect(kube.get<KubeObject & { data?: Record<string, string> }>('ConfigMap', 'default', 'kept')?.data).toEqual({ a: '1' });
    }
  });

  it('merges containers, env and ports by key in strategic merge patches', async () => {
    kube.applyDeployment({ name: 'smp', image: 'nginx:1.27' });
    const reply = await call('PATCH', '/apis/apps/v1/namespaces/default/deployments/smp', {
      contentType: 'application/strategic-merge-patch+json',
      body: { spec: { template: { spec: { containers: [{ name: 'smp', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 9090, name: 'metrics' }] }, { name: 'sidecar', image: 'envoy:1' }] } } } },
    });
    const containers = ((reply.json.spec as { template: { spec: { containers: { name: string; image: string; ports: { containerPort: number }[] }[] } } }).template.spec.containers);
    expect(containers.map((container) => container.name)).toEqual(['smp', 'sidecar']);
    expect(containers[0]?.image).toBe('nginx:1.27');
    expect(containers[0]?.ports.map((port) => port.containerPort)).toEqual([8080, 9090]);
    const removed = await call('PATCH', '/apis/apps/v1/namespaces/default/deployments/smp', { contentType: 'application/strategic-merge-patch+json', body: { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } } });
    expect((removed.json.spec as { template: { spec: { containers: unknown[] } } }).template.spec.containers).toHaveLength(1);
  });

  it('leaves a gracefully deleted pod Terminating until its containers stop, and force-deletes at once', async () => {
    kube.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'graceful', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'example/slow-stop:1' }] } });
    await kube.waitFor(() => kube.get<Pod>('Pod', 'default', 'graceful')?.status?.phase === 'Running', 30_000, 'running');
    const reply = await call('DELETE', '/api/v1/namespaces/default/pods/graceful', { body: { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 1 } });
    expect(reply.status).toBe(200);
    expect(reply.json.metadata).toMatchObject({ deletionGracePeriodSeconds: 1, deletionTimestamp: expect.any(String) });
    // the reply came back with the pod still there, Terminating (the grace period has not run out)
    expect(kube.get<Pod>('Pod', 'default', 'graceful')?.metadata.deletionTimestamp).toBeTruthy();
    await kube.waitFor(() => kube.get('Pod', 'default', 'graceful') === undefined, 30_000, 'removal after the grace period');

    kube.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'forced', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'example/slow-stop:1' }] } });
    await kube.waitFor(() => kube.get<Pod>('Pod', 'default', 'forced')?.status?.phase === 'Running', 30_000, 'running');
    await call('DELETE', '/api/v1/namespaces/default/pods/forced?gracePeriodSeconds=0');
    expect(kube.get('Pod', 'default', 'forced')).toBeUndefined();
  });

  it('streams watch events, reports objects leaving a label selector as DELETED, and expires old versions', async () => {
    const version = kube.resourceVersion;
    kube.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w', namespace: 'default', labels: { team: 'a' } }, data: {} });
    kube.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w', namespace: 'default', labels: { team: 'b' } }, data: {} });
    const reply = await call('GET', `/api/v1/namespaces/default/configmaps?watch=1&labelSelector=team%3Da&resourceVersion=${version}&timeoutSeconds=1`);
    const events = reply.body.trim().split('\n').map((line) => JSON.parse(line) as { type: string; object: { metadata: { name: string } } });
    expect(events.map((event) => `${event.type} ${event.object.metadata.name}`)).toEqual(['ADDED w', 'DELETED w']);
    kube.compactHistory();
    const expired = await call('GET', `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${version}`);
    expect(JSON.parse(expired.body.trim())).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
  });
});
