import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRowView } from '../../../shared/contract/audit.ts';
import { contract, type CallInput, type CallName } from '../../../shared/contract/index.ts';
import { productionConfirmationReason } from '../../../shared/contract/confirmation.ts';
import { mutatingCalls } from '../../../electron/main/audit/audited-calls.ts';
import { notConfirmedInProduction, productionConfirmedCalls } from '../../../electron/main/permissions/production-confirmation.ts';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { startTabsCore, type TabsCore } from '../operations/tabs-support.ts';

// Issue 15 part 1 as a table: in a production environment every mutating call on a service is
// refused, and audited, unless it carries `confirmation` = the service name; with it, the call
// reaches its handler. The list comes from the contract (mutating calls whose input names a
// service, minus the few notConfirmedInProduction with a reason), so a new call without a case
// here fails the first test. Outside production no typed confirmation is needed.

const env = useTestEnvironment('keyring', 'docker');

// management allowed in production too: the confirmation is the only thing between the call and its handler
const policy = ['version: 1', 'rules:', '  - match: { tag: production }', '    allow: [logs, commands, management]', '  - match: { tag: non-production }', '    allow: [logs, commands, management]', ''].join('\n');

type Services = { kube: string; engine: string };
/** A call's input on one service; `n` makes names unique per attempt. */
type Input = (serviceId: string, n: number) => Record<string, unknown>;

const absentContainer = 'c'.repeat(64);
// inputs that pass the contract and reach the handler, which then acts or answers in its own words
const cases: Record<string, { on: keyof Services; input: Input }> = {
  'pods.restart': { on: 'kube', input: (serviceId) => ({ serviceId, pod: 'no-such-pod-1' }) },
  'pods.forceDelete': { on: 'kube', input: (serviceId) => ({ serviceId, pod: 'no-such-pod-2' }) },
  'pods.deletePending': { on: 'kube', input: (serviceId) => ({ serviceId, expectedPods: ['no-such-pod-3'] }) },
  'scaling.setReplicas': { on: 'kube', input: (serviceId) => ({ serviceId, replicas: 2 }) },
  'scaling.setHpa': { on: 'kube', input: (serviceId) => ({ serviceId, minReplicas: 2, maxReplicas: 4, targetCpu: 70 }) },
  'scaling.deleteHpa': { on: 'kube', input: (serviceId) => ({ serviceId }) },
  'scaling.resumeHpa': { on: 'kube', input: (serviceId) => ({ serviceId }) },
  'metricsServer.install': { on: 'kube', input: (serviceId) => ({ serviceId }) },
  'diagnostics.imageCacheCleanup': { on: 'kube', input: (serviceId) => ({ serviceId, expectedPods: ['no-such-pod-4'] }) },
  'containers.restart': { on: 'engine', input: (serviceId) => ({ serviceId, containerId: absentContainer }) },
  'deployment.setImage': { on: 'kube', input: (serviceId) => ({ serviceId, container: 'no-such-container', image: 'nginx:9.9' }) },
  'deployment.rollback': { on: 'kube', input: (serviceId) => ({ serviceId, toRevision: 999 }) },
  'deployment.restart': { on: 'kube', input: (serviceId) => ({ serviceId }) },
  'containers.redeploy': { on: 'engine', input: (serviceId) => ({ serviceId, containerId: absentContainer }) },
  'containers.rollback': { on: 'engine', input: (serviceId) => ({ serviceId, historyId: 2 ** 40 }) },
  'config.setKey': { on: 'kube', input: (serviceId) => ({ serviceId, kind: 'configmap', name: 'no-such-settings', key: 'MODE', value: 'live', resourceVersion: '1' }) },
  'config.deleteKey': { on: 'kube', input: (serviceId) => ({ serviceId, kind: 'configmap', name: 'no-such-settings', key: 'MODE', resourceVersion: '1' }) },
  'config.create': { on: 'kube', input: (serviceId, n) => ({ serviceId, kind: 'configmap', name: `prod-settings-${n}` }) },
  'engineDomains.add': { on: 'engine', input: (serviceId) => ({ serviceId, host: 'prod.example.test', port: 1 }) },
  'engineDomains.remove': { on: 'engine', input: (serviceId) => ({ serviceId, host: 'prod.example.test' }) },
  'domains.add': { on: 'kube', input: (serviceId, n) => ({ serviceId, host: `shop${n}.example.com`, servicePort: 80 }) },
  'domains.remove': { on: 'kube', input: (serviceId) => ({ serviceId, host: 'nowhere.example.com', path: '/' }) },
};

// generated wrong confirmations: missing, empty, other case, padded, a prefix, the old texts (a key, a command)
const wrong = (right: string): (string | undefined)[] => [undefined, '', right.toUpperCase() === right ? right.toLowerCase() : right.toUpperCase(), ` ${right}`, `${right} `, right.slice(0, -1), 'MODE', `kubectl rollout restart deployment/${right}`];

type Answer = { value?: unknown; error?: unknown };
const confirmationAsked = (answer: Answer): string | undefined => {
  const error = answer.error as { code?: string; details?: { reason?: string; confirmText?: string } } | undefined;
  if (error?.details?.reason === productionConfirmationReason) return error.details.confirmText;
  const value = answer.value as { status?: string; confirmText?: string } | undefined;
  return value?.status === 'needs-confirmation' ? value.confirmText : undefined;
};

describe('production: every mutating call on a service needs the typed service name, enforced and audited in main', () => {
  let kube: KubeTestServer;
  let app: TabsCore;
  const production: Services = { kube: '', engine: '' };
  const staging: Services = { kube: '', engine: '' };
  /** Per service: its id and the name the operator sees (and types). */
  const services: { label: string; production: boolean; on: keyof Services; id: () => string; name: () => string }[] = [];
  let manualId = '';
  const project = `prodconfirm${Date.now().toString(36)}`;
  let counter = 0;

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20 } });
    kube.applyDeployment({ name: 'web', replicas: 2, image: 'nginx:1.27', requests: { cpu: '100m' } });
    kube.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP' }] } });
    app = await startTabsCore({ organisationPolicy: policy });
    const addKube = async (name: string, isProduction: boolean) =>
      (await app.client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('admin', 'default') }, contexts: [kube.contextName('admin')], name, production: isProduction })).environments[0]?.id ?? '';
    const addEngine = async (name: string, isProduction: boolean) => (await app.client.call('environments.addEngine', { name, engine: 'docker', socketPath: env.docker.socketPath, production: isProduction })).id;
    production.kube = await addKube('production cluster', true);
    staging.kube = await addKube('staging cluster', false);
    production.engine = await addEngine('production docker', true);
    staging.engine = await addEngine('staging docker', false);
    // a hand-registered service whose name is not its Deployment's: the name shown is the one typed
    manualId = (await app.client.call('catalog.register', { name: 'Shop Front', environmentId: production.kube, target: { kind: 'deployment', namespace: 'default', deployment: 'web' } })).id;
    services.push(
      { label: 'discovered Deployment', production: true, on: 'kube', id: () => `${production.kube}:deployment:default/web`, name: () => 'web' },
      { label: 'registered service', production: true, on: 'kube', id: () => manualId, name: () => 'Shop Front' },
      { label: 'Compose project', production: true, on: 'engine', id: () => `${production.engine}:compose:${project}`, name: () => project },
    );
  });

  afterAll(async () => {
    await app?.close();
    await kube?.close();
  });

  const attempt = async (name: CallName, input: unknown): Promise<Answer> => {
    try {
      return { value: await (app.client.call as (name: CallName, input: CallInput<CallName>) => Promise<unknown>)(name, input as CallInput<CallName>) };
    } catch (error) {
      return { error };
    }
  };
  const newest = async (): Promise<AuditRowView> => {
    const row = (await app.client.call('audit.list', { limit: 1 })).rows[0];
    if (row === undefined) throw new Error('no audit row at all');
    return row;
  };
  const deploymentSpec = () => JSON.stringify(kube.get('Deployment', 'default', 'web')?.spec);

  it('has one case for every mutating call on a service in the contract, and each of those takes a confirmation', () => {
    expect(Object.keys(cases).sort()).toEqual(productionConfirmedCalls().sort());
    for (const name of productionConfirmedCalls()) expect(Object.keys((contract[name].input as unknown as { shape: object }).shape), name).toContain('confirmation');
    // a read never takes one: the window's guard (renderer/src/api/production-guard.ts) asks for every call that does
    for (const name of Object.keys(contract) as CallName[]) {
      if (contract[name].kind === 'call' && !mutatingCalls().includes(name)) expect(Object.keys((contract[name].input as unknown as { shape?: object }).shape ?? {}), name).not.toContain('confirmation');
    }
    // what the rule leaves out is either not about a service, or listed with its reason
    for (const name of mutatingCalls()) {
      const namesService = 'serviceId' in ((contract[name].input as unknown as { shape?: object }).shape ?? {});
      if (namesService && !productionConfirmedCalls().includes(name)) expect(notConfirmedInProduction[name], name).toMatch(/\w/);
    }
  });

  for (const name of Object.keys(cases) as CallName[]) {
    const entry = cases[name];
    if (entry === undefined) continue;

    it(`${name}: in production, refused and audited without the service name; reaches its handler with it`, async () => {
      for (const service of services.filter((candidate) => candidate.on === entry.on)) {
        const specBefore = deploymentSpec();
        for (const confirmation of wrong(service.name())) {
          const before = (await newest()).seq;
          const input = { ...entry.input(service.id(), ++counter), ...(confirmation === undefined ? {} : { confirmation }) };
          const answer = await attempt(name, input);
          expect(confirmationAsked(answer), `${service.label}, confirmation ${JSON.stringify(confirmation)}: ${JSON.stringify(answer)}`).toBe(service.name());
          const row = await newest();
          expect(row.seq).toBeGreaterThan(before);
          expect(row).toMatchObject({ outcome: 'refused', target: service.name(), environmentId: production[entry.on], details: { call: name, reason: productionConfirmationReason } });
          expect(row.error ?? '').toContain(service.name());
        }
        // nothing changed on the cluster while the confirmations were wrong
        expect(deploymentSpec()).toBe(specBefore);

        const before = (await newest()).seq;
        const answer = await attempt(name, { ...entry.input(service.id(), ++counter), confirmation: service.name() });
        expect(confirmationAsked(answer), `${service.label}: ${JSON.stringify(answer)}`).toBeUndefined();
        const rows = (await app.client.call('audit.list', { limit: 20 })).rows.filter((row) => row.seq > before);
        expect(rows.filter((row) => row.details.reason === productionConfirmationReason)).toEqual([]);
      }
    });

    it(`${name}: outside production, no typed confirmation is asked`, async () => {
      const serviceId = entry.on === 'kube' ? `${staging.kube}:deployment:default/web` : `${staging.engine}:compose:${project}`;
      const before = (await newest()).seq;
      const answer = await attempt(name, entry.input(serviceId, ++counter));
      expect(confirmationAsked(answer), JSON.stringify(answer)).toBeUndefined();
      const rows = (await app.client.call('audit.list', { limit: 20 })).rows.filter((row) => row.seq > before);
      expect(rows.filter((row) => row.details.reason === productionConfirmationReason)).toEqual([]);
    });
  }
});
