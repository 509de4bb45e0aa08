import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrganisationPolicyFile } from '../../../electron/main/permissions/organisation-policy.ts';
import { OperatorPermissionGate } from '../../../electron/main/permissions/permission-gate.ts';
import type { PermissionEnvironment, PermissionTarget } from '../../../electron/main/permissions/permission-types.ts';
import { RbacReviewer } from '../../../electron/main/permissions/rbac-reviewer.ts';
import { startKubeTestServer, type KubeTestServer } from '../../kube-server/index.ts';

describe('operator permissions against the kube test server', () => {
  let kube: KubeTestServer;
  let folder: string;
  let clock = 1_000_000;
  const now = () => clock;
  const staging: PermissionEnvironment = { id: 'env-staging', name: 'staging', kind: 'kubernetes', production: false };
  const production: PermissionEnvironment = { id: 'env-prod', name: 'payments-prod', kind: 'kubernetes', production: true };
  const configs = new Map<string, KubeConfig>();
  const kubeConfig = (user: string): KubeConfig => {
    const existing = configs.get(user);
    if (existing !== undefined) return existing;
    const config = new KubeConfig();
    config.loadFromString(kube.kubeconfigYaml(user));
    configs.set(user, config);
    return config;
  };
  const target = (user: string, environment = staging, namespace = 'default'): PermissionTarget => ({ environment, cluster: { kubeConfig: kubeConfig(user), namespace } });
  const gateWith = (policyPath: string, reviewer = new RbacReviewer({ now })) => new OperatorPermissionGate(new OrganisationPolicyFile(policyPath), reviewer);

  beforeAll(async () => {
    kube = await startKubeTestServer();
    folder = mkdtempSync(join(tmpdir(), 'kiops-policy-'));
  });
  afterAll(async () => {
    await kube?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('grants a developer everything in their namespace, and nothing where RBAC says no', async () => {
    const gate = gateWith(join(folder, 'absent.yaml'));
    expect(await gate.permissions(target('developer'))).toEqual({ logs: true, commands: true, management: true, reasons: [] });
    const elsewhere = await gate.permissions(target('developer', staging, 'kube-system'));
    expect(elsewhere).toMatchObject({ logs: false, commands: false, management: false });
    expect(elsewhere.reasons.every((reason) => reason.source === 'rbac')).toBe(true);
  });

  it('lets a viewer read logs but not exec or delete, and says which reviews denied', async () => {
    const gate = gateWith(join(folder, 'absent.yaml'));
    const set = await gate.permissions(target('viewer'));
    expect(set).toMatchObject({ logs: true, commands: false, management: false });
    const commands = set.reasons.find((reason) => reason.permission === 'commands');
    expect(commands?.source === 'rbac' && commands.denied.map((review) => [review.verb, review.resource, review.subresource])).toEqual([['create', 'pods', 'exec']]);
    const management = set.reasons.find((reason) => reason.permission === 'management');
    expect(management?.message).toContain('delete pods');
    expect(management?.message).toContain('update deployments.apps/scale');
    expect(management?.source === 'rbac' && management.denied).toHaveLength(10);
    await expect(gate.require(target('viewer'), 'commands')).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
      message: expect.stringMatching(/run commands in "staging".*create pods\/exec.*request permission from your organization manager/),
      // the window's other languages render it from the key
      text: { key: 'permissionDenied.commands', params: { environment: 'staging', whyKey: 'rbac', namespace: expect.any(String) } },
    });
    await expect(gate.require(target('viewer'), 'logs')).resolves.toBeUndefined();
  });

  it('gives nobody nothing', async () => {
    const set = await gateWith(join(folder, 'absent.yaml')).permissions(target('nobody'));
    expect(set).toMatchObject({ logs: false, commands: false, management: false });
    expect(set.reasons.map((reason) => `${reason.permission}:${reason.source}`)).toEqual(['logs:rbac', 'commands:rbac', 'management:rbac']);
  });

  it('caches review answers for 30 s, then asks the cluster again', async () => {
    const nobody = kube.users.find((user) => user.name === 'nobody');
    if (nobody === undefined) throw new Error('no nobody user');
    const reviewer = new RbacReviewer({ now });
    expect((await reviewer.review(kubeConfig('nobody'), 'dev')).granted.has('logs')).toBe(false);
    nobody.rules.push({ verbs: ['get'], apiGroups: [''], resources: ['pods/log'], namespaces: ['dev'] });
    try {
      clock += 29_000;
      expect((await reviewer.review(kubeConfig('nobody'), 'dev')).granted.has('logs')).toBe(false);
      clock += 2_000;
      const fresh = await reviewer.review(kubeConfig('nobody'), 'dev');
      expect([...fresh.granted]).toEqual(['logs']);
      expect(fresh.checkedAt).toBe(clock);
    } finally {
      nobody.rules.pop();
    }
  });

  it('reuses answers for a fresh KubeConfig of the same identity (the app builds one per request)', async () => {
    const reviewer = new RbacReviewer({ now });
    const fresh = (user: string) => {
      const config = new KubeConfig();
      config.loadFromString(kube.kubeconfigYaml(user));
      return config;
    };
    const first = await reviewer.review(fresh('viewer'), 'default');
    const again = await reviewer.review(fresh('viewer'), 'default');
    expect(again.checkedAt).toBe(first.checkedAt);
    expect(again).toBe(first);
    const otherUser = await reviewer.review(fresh('developer'), 'default');
    expect(otherUser.granted.has('commands')).toBe(true);
    expect(first.granted.has('commands')).toBe(false);
  });

  it('intersects the organisation policy with RBAC', async () => {
    const path = join(folder, 'policy.yaml');
    writeFileSync(path, ['version: 1', 'default: [logs, commands, management]', 'rules:', '  - match: { tag: production }', '    allow: [logs, commands]', ''].join('\n'));
    const gate = gateWith(path);
    // Policy allows commands in production, RBAC allows them to the developer: granted.
    // Policy withholds management in production although RBAC would allow it.
    const developer = await gate.permissions(target('developer', production));
    expect(developer).toMatchObject({ logs: true, commands: true, management: false });
    expect(developer.reasons).toEqual([expect.objectContaining({ permission: 'management', source: 'policy', message: expect.stringContaining('Rule 1') })]);
    // The viewer is stopped by both; both reasons are reported.
    const viewer = await gate.permissions(target('viewer', production));
    expect(viewer).toMatchObject({ logs: true, commands: false, management: false });
    expect(viewer.reasons.map((reason) => `${reason.permission}:${reason.source}`).sort()).toEqual(['commands:rbac', 'management:policy', 'management:rbac']);
    await expect(gate.require(target('developer', production), 'management')).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
      message: expect.stringContaining('organization manager'),
      text: { key: 'permissionDenied.management', params: { whyKey: 'policy' } },
    });
  });

  it('without a policy file production allows logs only, even for a developer RBAC allows everything', async () => {
    const gate = gateWith(join(folder, 'absent.yaml'));
    const set = await gate.permissions(target('developer', production));
    expect(set).toMatchObject({ logs: true, commands: false, management: false });
    await expect(gate.require(target('developer', production), 'commands')).rejects.toMatchObject({ code: 'PERMISSION_DENIED', text: { key: 'permissionDenied.commands', params: { whyKey: 'productionDefault' } } });
  });

  it('fails closed on a malformed policy, naming the line, and recovers when it is fixed', async () => {
    const path = join(folder, 'broken.yaml');
    writeFileSync(path, 'version: 1\nrules:\n  - match: { tag: production }\n    allow: [logs, exec]\n');
    const gate = gateWith(path);
    const broken = await gate.permissions(target('developer'));
    expect(broken).toMatchObject({ logs: false, commands: false, management: false });
    expect(broken.reasons[0]).toMatchObject({ source: 'policy-error', message: expect.stringContaining(`${path}, line 4`) });
    await expect(gate.require(target('developer'), 'logs')).rejects.toMatchObject({ code: 'PERMISSION_DENIED', message: expect.stringContaining('rules[0].allow[1]'), text: { key: 'permissionDenied.logs', params: { whyKey: 'policyError' } } });
    writeFileSync(path, 'version: 1\ndefault: [logs]\n');
    expect(await gate.permissions(target('developer'))).toMatchObject({ logs: true, commands: false, management: false });
  });

  it('Docker and Podman environments follow the policy alone', async () => {
    const gate = gateWith(join(folder, 'absent.yaml'));
    expect(await gate.permissions({ environment: { id: 'e', name: 'local docker', kind: 'docker', production: false } })).toEqual({ logs: true, commands: true, management: true, reasons: [] });
  });
});
