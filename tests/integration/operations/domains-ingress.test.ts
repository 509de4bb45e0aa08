import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostnameProblem } from '../../../shared/contract/domains.ts';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { kubectlFor, type Kubectl } from '../kube-server/kubectl.ts';
import { startTabsCore, type TabsCore } from './tabs-support.ts';

useTestEnvironment('keyring');

interface IngressJson {
  spec: { ingressClassName?: string; rules?: { host?: string; http: { paths: { path: string; pathType: string; backend: { service: { name: string; port: { number: number } } } }[] } }[]; tls?: { hosts: string[]; secretName: string }[] };
}

describe('Domain Settings (Ingress) through the contract, against the Kubernetes test API server', () => {
  let kube: KubeTestServer;
  let kubectl: Kubectl;
  let app: TabsCore;
  const ids = { developer: '', viewer: '' };
  const service = (user: 'developer' | 'viewer', deployment = 'shop') => `${ids[user]}:deployment:default/${deployment}`;
  const ingress = async (name: string) => JSON.parse(await kubectl.ok(['get', 'ingress', name, '-n', 'default', '-o', 'json'])) as IngressJson;
  const newestAudit = async (action: string) => (await app.client.call('audit.list', { limit: 1, action })).rows[0];
  const backend = (name: string, port: number) => ({ service: { name, port: { number: port } } });

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20 } });
    kubectl = await kubectlFor(kube);
    kube.applyDeployment({ name: 'shop', replicas: 1 });
    kube.applyDeployment({ name: 'other', replicas: 1 });
    kube.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'shop', namespace: 'default' }, spec: { selector: { app: 'shop' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] } });
    kube.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'other', namespace: 'default' }, spec: { selector: { app: 'other' }, ports: [{ port: 80, protocol: 'TCP' }] } });
    kube.apply({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }, spec: { controller: 'k8s.io/ingress-nginx' } });
    kube.apply({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'legacy', namespace: 'default' },
      spec: {
        ingressClassName: 'nginx',
        tls: [{ hosts: ['legacy.example.com'], secretName: 'legacy-tls' }],
        rules: [
          { host: 'legacy.example.com', http: { paths: [{ path: '/shop', pathType: 'Prefix', backend: backend('shop', 80) }, { path: '/other', pathType: 'Prefix', backend: backend('other', 80) }] } },
        ],
      },
    });
    app = await startTabsCore();
    for (const user of ['developer', 'viewer'] as const) {
      const added = await app.client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml(user, 'default') }, contexts: [kube.contextName(user)], name: `${user} cluster` });
      ids[user] = added.environments[0]?.id ?? '';
    }
  });

  afterAll(async () => {
    await app?.close();
    await kubectl?.cleanup();
    await kube?.close();
  });

  it('domains.list shows only the rules routing to this service and its Services; unreadable ingress classes are a limitation', async () => {
    const listed = await app.client.call('domains.list', { serviceId: service('developer') });
    expect(listed.rules).toEqual([{ ingress: 'legacy', host: 'legacy.example.com', path: '/shop', pathType: 'Prefix', service: 'shop', port: '80', tlsSecret: 'legacy-tls', ingressClass: 'nginx' }]);
    expect(listed.services).toEqual([{ name: 'shop', type: 'ClusterIP', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }]);
    // IngressClasses are cluster-scoped and the developer may only read namespaces default and dev.
    expect((await kubectl(['get', 'ingressclasses'], { user: 'developer' })).code).not.toBe(0);
    expect(listed.ingressClasses).toEqual([]);
    expect(listed.limitations).toEqual([expect.stringContaining('Ingress classes could not be listed')]);
  });

  it('domains.add creates the Ingress named after the Deployment, then extends it; kubectl sees both', async () => {
    const first = await app.client.call('domains.add', { serviceId: service('developer'), host: 'shop.example.com', servicePort: 80, tlsSecret: 'shop-tls', ingressClass: 'nginx' });
    expect(first).toEqual({ ingress: 'shop', created: true });
    const second = await app.client.call('domains.add', { serviceId: service('developer'), host: 'shop.example.com', path: '/api', pathType: 'Exact', servicePort: 80 });
    expect(second).toEqual({ ingress: 'shop', created: false });
    await app.client.call('domains.add', { serviceId: service('developer'), host: '*.shop.example.com', servicePort: 80 });
    const stored = await ingress('shop');
    expect(stored.spec.ingressClassName).toBe('nginx');
    expect(stored.spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'shop-tls' }]);
    expect(stored.spec.rules?.map((rule) => [rule.host, rule.http.paths.map((path) => `${path.path} ${path.pathType} ${path.backend.service.name}:${path.backend.service.port.number}`)])).toEqual([
      ['shop.example.com', ['/ Prefix shop:80', '/api Exact shop:80']],
      ['*.shop.example.com', ['/ Prefix shop:80']],
    ]);
    expect(await newestAudit('domain.add')).toMatchObject({ outcome: 'success', details: { host: '*.shop.example.com', path: '/' } });
  });

  it('refuses a taken host + path (CONFLICT), a port the Service lacks, and bad host names', async () => {
    await expect(app.client.call('domains.add', { serviceId: service('developer'), host: 'legacy.example.com', path: '/shop', servicePort: 80 })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('legacy') });
    await expect(app.client.call('domains.add', { serviceId: service('developer'), host: 'x.example.com', servicePort: 81 })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('no port 81') });
    await expect(app.client.call('domains.add', { serviceId: service('developer'), host: 'x.example.com', service: 'other', servicePort: 80 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    for (const host of ['Shop.example.com', 'a.*.example.com', 'foo*.example.com', '-a.example.com', 'a_b.example.com', '*', '10.0.0.1']) {
      expect(hostnameProblem(host), host).not.toBeNull();
      await expect(app.client.call('domains.add', { serviceId: service('developer'), host, servicePort: 80 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    expect(hostnameProblem('*.example.com')).toBeNull();
  });

  it('the viewer is refused in main and the refusal is audited; listing still works', async () => {
    expect((await app.client.call('domains.list', { serviceId: service('viewer') })).rules.length).toBeGreaterThan(0);
    await expect(app.client.call('domains.add', { serviceId: service('viewer'), host: 'viewer.example.com', servicePort: 80 })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(await newestAudit('domain.add')).toMatchObject({ outcome: 'refused', environmentId: ids.viewer, details: { host: 'viewer.example.com' } });
    await expect(app.client.call('domains.remove', { serviceId: service('viewer'), host: 'shop.example.com', path: '/' })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });

  it('domains.remove takes out one path, leaves other services alone, and deletes an Ingress left empty', async () => {
    expect(await app.client.call('domains.remove', { serviceId: service('developer'), host: 'legacy.example.com', path: '/shop' })).toEqual({ ingress: 'legacy', deletedIngress: false });
    expect((await ingress('legacy')).spec.rules?.[0]?.http.paths.map((path) => path.path)).toEqual(['/other']);
    await expect(app.client.call('domains.remove', { serviceId: service('developer'), host: 'legacy.example.com', path: '/other' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await app.client.call('domains.remove', { serviceId: service('developer'), host: 'shop.example.com', path: '/api' });
    await app.client.call('domains.remove', { serviceId: service('developer'), host: 'shop.example.com', path: '/' });
    expect((await ingress('shop')).spec.tls ?? []).toEqual([]);
    expect(await app.client.call('domains.remove', { serviceId: service('developer'), host: '*.shop.example.com', path: '/' })).toEqual({ ingress: 'shop', deletedIngress: true });
    expect((await kubectl(['get', 'ingress', 'shop', '-n', 'default'])).code).not.toBe(0);
    expect(await newestAudit('domain.remove')).toMatchObject({ outcome: 'success', details: { host: '*.shop.example.com', path: '/' } });
    expect(await app.client.call('audit.verify', {})).toMatchObject({ ok: true });
  });
});
