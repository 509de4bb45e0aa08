import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeTestServer, type Deployment, type KubeObject, type KubeTestServer } from '../../kube-server/index.ts';
import { kubectlFor, type Kubectl } from './kubectl.ts';

// kubectl --dry-run=server against the test API server behaves as against a real cluster: the
// request is validated and admitted, the answer is the object as it would be (same
// resourceVersion, generation bumped by a spec change), and nothing is stored.
describe('kubectl --dry-run=server', () => {
  let kube: KubeTestServer;
  let kubectl: Kubectl;
  let dir: string;
  const stored = () => kube.get<Deployment>('Deployment', 'default', 'dry-web');

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20 } });
    kubectl = await kubectlFor(kube);
    dir = await mkdtemp(join(tmpdir(), 'kiops-dry-run-'));
    kube.applyDeployment({ name: 'dry-web', image: 'nginx:1.27', replicas: 2 });
    kube.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry-kept', namespace: 'default' }, data: { a: '1' } });
  });

  afterAll(async () => {
    await kube?.close();
    await kubectl?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each(['nginx:1.28', 'registry.example:5000/team/web:2.0', 'busybox@sha256:' + 'a'.repeat(64)])('set image %s answers the new object and stores nothing', async (image) => {
    const before = structuredClone(stored());
    expect(await kubectl.ok(['set', 'image', 'deploy/dry-web', `dry-web=${image}`, '--dry-run=server'])).toBe('deployment.apps/dry-web image updated (server dry run)\n');
    const answered = JSON.parse(await kubectl.ok(['set', 'image', 'deploy/dry-web', `dry-web=${image}`, '--dry-run=server', '-o', 'json'])) as Deployment;
    expect(answered.spec.template.spec.containers[0]?.image).toBe(image);
    expect(answered.metadata.uid).toBe(before?.metadata.uid);
    expect(answered.metadata.generation).toBe((before?.metadata.generation ?? 1) + 1);
    expect(stored()?.spec.template.spec.containers[0]?.image).toBe('nginx:1.27');
    // The controllers keep writing the Deployment's status; its generation moves only with its spec.
    expect(stored()?.metadata.generation).toBe(before?.metadata.generation);
  });

  it.each([0, 3, 7])('scale --replicas=%i through the scale subresource stores nothing', async (replicas) => {
    expect(await kubectl.ok(['scale', 'deploy/dry-web', `--replicas=${replicas}`, '--dry-run=server'])).toBe('deployment.apps/dry-web scaled (server dry run)\n');
    expect(stored()?.spec.replicas).toBe(2);
  });

  it('create, patch and delete of a ConfigMap store nothing', async () => {
    expect(await kubectl.ok(['create', 'configmap', 'dry-new', '--from-literal=k=v', '--dry-run=server'])).toBe('configmap/dry-new created (server dry run)\n');
    expect(kube.get('ConfigMap', 'default', 'dry-new')).toBeUndefined();
    const version = kube.get('ConfigMap', 'default', 'dry-kept')?.metadata.resourceVersion;
    const patched = JSON.parse(await kubectl.ok(['patch', 'configmap', 'dry-kept', '--type=merge', '-p', '{"data":{"a":"2"}}', '--dry-run=server', '-o', 'json'])) as { data: Record<string, string>; metadata: { resourceVersion: string } };
    expect(patched.data).toEqual({ a: '2' });
    expect(patched.metadata.resourceVersion).toBe(version);
    expect(kube.get('ConfigMap', 'default', 'dry-kept')?.metadata.resourceVersion).toBe(version);
    expect(await kubectl.ok(['delete', 'configmap', 'dry-kept', '--dry-run=server'])).toBe('configmap "dry-kept" deleted (server dry run)\n');
    expect(kube.get<KubeObject & { data?: Record<string, string> }>('ConfigMap', 'default', 'dry-kept')?.data).toEqual({ a: '1' });
  });

  it('an object the API server would refuse is refused by the dry run with the same words', async () => {
    const file = join(dir, 'bad.json');
    const bad = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'dry-bad' }, spec: { selector: { matchLabels: { app: 'one' } }, template: { metadata: { labels: { app: 'two' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } };
    await writeFile(file, JSON.stringify(bad));
    const dry = await kubectl(['create', '-f', file, '--dry-run=server']);
    const real = await kubectl(['create', '-f', file]);
    expect(dry.code).not.toBe(0);
    expect(dry.stderr).toContain('`selector` does not match template `labels`');
    expect(dry.stderr).toBe(real.stderr);
    expect(kube.get('Deployment', 'default', 'dry-bad')).toBeUndefined();
  });
});
