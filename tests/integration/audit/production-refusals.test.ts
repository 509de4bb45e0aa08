import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallInput, CallName } from '../../../shared/contract/index.ts';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { startTabsCore, type TabsCore } from '../operations/tabs-support.ts';

// Class 3 of issue 10, refusals: in a production environment each action that needs the typed
// confirmation, called without it (or with a wrong one, in generated spellings), changes
// nothing and leaves a "refused" row naming the action.

useTestEnvironment('keyring');

// management allowed in production too: the confirmation is the only thing between the call and the change
const policy = ['version: 1', 'rules:', '  - match: { tag: production }', '    allow: [logs, commands, management]', ''].join('\n');


describe('production confirmation missing: refused and audited, nothing changed', () => {
  let kube: KubeTestServer;
  let app: TabsCore;
  let production = '';
  const service = () => `${production}:deployment:default/web`;

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20 } });
    kube.applyDeployment({ name: 'web', replicas: 2, image: 'nginx:1.27' });
    kube.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP' }] } });
    app = await startTabsCore({ organisationPolicy: policy });
    const added = await app.client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('admin', 'default') }, contexts: [kube.contextName('admin')], name: 'production cluster', production: true });
    production = added.environments[0]?.id ?? '';
    await app.client.call('domains.add', { serviceId: service(), host: 'shop.example.com', servicePort: 80 });
    await app.client.call('config.create', { serviceId: service(), kind: 'configmap', name: 'settings' });
    const listed = await app.client.call('config.list', { serviceId: service() });
    const version = listed.objects.find((object) => object.name === 'settings')?.resourceVersion ?? '';
    await app.client.call('config.setKey', { serviceId: service(), kind: 'configmap', name: 'settings', key: 'MODE', value: 'live', resourceVersion: version });
  });

  afterAll(async () => {
    await app?.close();
    await kube?.close();
  });

  const configVersion = async () => (await app.client.call('config.list', { serviceId: service() })).objects.find((object) => object.name === 'settings')?.resourceVersion ?? '';
  // generated wrong confirmations: missing, empty, other case, padded, a prefix
  const wrong = (right: string): (string | undefined)[] => [undefined, '', right.toUpperCase() === right ? right.toLowerCase() : right.toUpperCase(), ` ${right}`, right.slice(0, -1)];

  const cases: { call: CallName; action: string; right: string; input: (confirmation: string | undefined) => Promise<unknown> | unknown }[] = [
    { call: 'scaling.setReplicas', action: 'deployment.scale', right: 'web', input: (confirmation) => ({ serviceId: service(), replicas: 0, ...(confirmation === undefined ? {} : { confirmation }) }) },
    { call: 'deployment.restart', action: 'deployment.restart', right: 'web', input: (confirmation) => ({ serviceId: service(), ...(confirmation === undefined ? {} : { confirmation }) }) },
    { call: 'deployment.setImage', action: 'deployment.set-image', right: 'web', input: (confirmation) => ({ serviceId: service(), container: 'web', image: 'nginx:9.9', ...(confirmation === undefined ? {} : { confirmation }) }) },
    { call: 'domains.remove', action: 'domain.remove', right: 'shop.example.com', input: (confirmation) => ({ serviceId: service(), host: 'shop.example.com', path: '/', ...(confirmation === undefined ? {} : { confirmation }) }) },
    {
      call: 'config.deleteKey',
      action: 'configmap.delete-key',
      right: 'MODE',
      input: async (confirmation) => ({ serviceId: service(), kind: 'configmap', name: 'settings', key: 'MODE', resourceVersion: await configVersion(), ...(confirmation === undefined ? {} : { confirmation }) }),
    },
  ];

  for (const entry of cases) {
    it(`${entry.call} without the right confirmation`, async () => {
      const deploymentBefore = JSON.stringify(kube.get('Deployment', 'default', 'web')?.spec);
      for (const confirmation of wrong(entry.right)) {
        const before = (await app.client.call('audit.list', { limit: 1 })).rows[0]?.seq ?? 0;
        const input = (await entry.input(confirmation)) as CallInput<CallName>;
        let answer: unknown;
        try {
          answer = await (app.client.call as (name: CallName, input: CallInput<CallName>) => Promise<unknown>)(entry.call, input);
        } catch (error) {
          answer = error;
        }
        // either an error or a needs-confirmation answer: never done
        expect(JSON.stringify(answer)).not.toMatch(/"status":"done"|"to":0/);
        const row = (await app.client.call('audit.list', { limit: 1 })).rows[0];
        expect(row?.seq).toBeGreaterThan(before);
        expect(row).toMatchObject({ action: entry.action, outcome: 'refused', environmentId: production });
        expect(row?.error ?? '').toMatch(/confirm/i);
      }
      expect(JSON.stringify(kube.get('Deployment', 'default', 'web')?.spec)).toBe(deploymentBefore);
    });
  }
});
