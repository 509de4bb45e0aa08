import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeTestServer, type KubeTestServer, type Pod } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { allowEverythingPolicy, eventually, outputOf, Recorded, startCommandsCore, waitUntil, type CommandsCore } from './execution-support.ts';

useTestEnvironment('keyring');

describe('Command Execution in Kubernetes mode: the real kubectl against the Kubernetes test API server', () => {
  let kube: KubeTestServer;
  let app: CommandsCore;
  const ids = { developer: '', viewer: '', production: '' };
  const live = (namespace: string, deployment: string): Pod[] => kube.podsOf(namespace, deployment).filter((pod) => !pod.metadata.deletionTimestamp);
  const service = (env: keyof typeof ids, namespace = 'dev') => `${ids[env]}:deployment:${namespace}/web`;

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20 } });
    kube.addNamespace('dev');
    kube.applyDeployment({ name: 'web', namespace: 'dev', replicas: 2, image: 'nginx:1.27' });
    kube.applyDeployment({ name: 'other', namespace: 'default', replicas: 1, image: 'nginx:1.27' });
    await kube.waitFor(() => live('dev', 'web').every((pod) => pod.status?.phase === 'Running') && live('dev', 'web').length === 2 && live('default', 'other').length === 1, 30_000, 'pods running');
    // The policy file lets commands run in production too, so the confirmation step is what stands in the way.
    app = await startCommandsCore({ policyYaml: allowEverythingPolicy });
    for (const user of ['developer', 'viewer'] as const) {
      const added = await app.client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml(user, 'default') }, contexts: [kube.contextName(user)], name: `${user} cluster` });
      ids[user] = added.environments[0]?.id ?? '';
    }
    const prod = await app.client.call('environments.addKubernetes', {
      source: { kind: 'text', text: kube.kubeconfigYaml('developer', 'default') },
      contexts: [kube.contextName('developer')],
      name: 'prod cluster',
      production: true,
    });
    ids.production = prod.environments[0]?.id ?? '';
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await kube?.close();
  });

  it('commands.context: Kubernetes mode, the namespace, no container dropdown, the examples', async () => {
    const context = await app.client.call('commands.context', { serviceId: service('developer') });
    expect(context).toMatchObject({ mode: 'kubernetes', namespace: 'dev', containers: [], production: false, streamingAvailable: true, sessions: { running: 0, limit: 3 } });
    expect(context.examples).toContain('kubectl get pods');
  });

  it('kubectl get pods lists the real pods of the service namespace, with the app’s kubeconfig and namespace injected, and is audited', async () => {
    const result = await app.client.call('commands.run', { serviceId: service('developer'), line: 'kubectl get pods' });
    if (result.decision !== 'ran') throw new Error(`expected ran, got ${JSON.stringify(result)}`);
    expect(result).toMatchObject({ exitCode: 0, endReason: 'exited', truncated: false });
    for (const pod of live('dev', 'web')) expect(result.stdout).toContain(pod.metadata.name);
    expect(result.stdout).not.toContain(live('default', 'other')[0]?.metadata.name);
    expect(result.argvShown).toEqual(['kubectl', 'get', 'pods', '--namespace=dev', '--kubeconfig=<kubeconfig>']);
    // The spawned argv points at a private kubeconfig file that is gone afterwards.
    const spawned = app.spawned.at(-1) ?? [];
    expect(spawned[0]).toBe('/usr/bin/kubectl');
    const kubeconfigArg = spawned.find((arg) => arg.startsWith('--kubeconfig=')) ?? '';
    expect(kubeconfigArg).toMatch(/^--kubeconfig=\/.+kiops-kubectl-.+/);
    const { existsSync } = await import('node:fs');
    expect(existsSync(kubeconfigArg.slice('--kubeconfig='.length))).toBe(false);

    const row = await app.newestAudit();
    expect(row).toMatchObject({ outcome: 'success', target: 'developer cluster/namespace/dev', environmentId: ids.developer });
    expect(row?.details).toMatchObject({ mode: 'one-shot', decision: 'ran', runtime: 'kubernetes', namespace: 'dev', argv: result.argvShown, exitCode: 0, endReason: 'exited' });
    expect(row?.details['bytesOut']).toBe(Buffer.byteLength(result.stdout) + Buffer.byteLength(result.stderr));
    expect(JSON.stringify(row)).not.toContain('developer-token');
  });

  it('kubectl get pods -A is blocked by name and never spawned; the refusal is audited', async () => {
    const before = app.spawned.length;
    const result = await app.client.call('commands.run', { serviceId: service('developer'), line: 'kubectl get pods -A' });
    expect(result).toMatchObject({ decision: 'blocked', rule: 'all-namespaces' });
    if (result.decision === 'blocked') expect(result.hint.length).toBeGreaterThan(0);
    expect(app.spawned.length).toBe(before);
    expect(await app.newestAudit()).toMatchObject({ outcome: 'refused', details: { decision: 'blocked', rule: 'all-namespaces', argv: ['kubectl', 'get', 'pods', '-A'] } });
  });

  it('a failing kubectl reports its exit code and stderr and is audited as a failure', async () => {
    const result = await app.client.call('commands.run', { serviceId: service('developer'), line: 'kubectl get pod does-not-exist' });
    expect(result).toMatchObject({ decision: 'ran', exitCode: 1, endReason: 'exited' });
    if (result.decision === 'ran') expect(result.stderr).toContain('not found');
    expect(await app.newestAudit()).toMatchObject({ outcome: 'failure', details: { exitCode: 1, endReason: 'exited' } });
  });

  it('in production, kubectl delete pod needs the line typed again exactly; only then does it run', async () => {
    const target = live('dev', 'web')[0]?.metadata.name ?? '';
    const line = `kubectl delete pod ${target}`;
    const before = app.spawned.length;
    const first = await app.client.call('commands.run', { serviceId: service('production'), line });
    if (first.decision !== 'needs-confirmation') throw new Error(`expected needs-confirmation, got ${JSON.stringify(first)}`);
    expect(first.confirmText).toBe(line);
    expect(first.message).toContain(first.confirmText);
    expect(await app.newestAudit()).toMatchObject({ outcome: 'refused', details: { decision: 'needs-confirmation' } });
    // generated near misses, and the canonical argv the app used to ask for: none unlocks it
    for (const confirmation of [`kubectl delete pods/${target} --namespace=dev`, ` ${line}`, `${line} `, line.toUpperCase(), line.slice(0, -1), 'web']) {
      const wrong = await app.client.call('commands.run', { serviceId: service('production'), line, confirmation });
      expect(wrong, confirmation).toMatchObject({ decision: 'needs-confirmation', confirmText: line });
    }
    expect(app.spawned.length).toBe(before);
    expect(live('dev', 'web').map((pod) => pod.metadata.name)).toContain(target);

    const confirmed = await app.client.call('commands.run', { serviceId: service('production'), line, confirmation: first.confirmText });
    expect(confirmed).toMatchObject({ decision: 'ran', exitCode: 0 });
    if (confirmed.decision === 'ran') expect(confirmed.stdout).toContain(`pod "${target}" deleted`);
    expect(app.spawned.length).toBe(before + 1);
    await kube.waitFor(() => !live('dev', 'web').some((pod) => pod.metadata.name === target), 30_000, 'the pod gone');
    expect(await app.newestAudit()).toMatchObject({ outcome: 'success', target: 'prod cluster/namespace/dev', details: { decision: 'ran', argv: ['kubectl', 'delete', `pods/${target}`, '--namespace=dev', '--kubeconfig=<kubeconfig>'] } });
  });

  it('a viewer without pods/exec is refused the commands permission, and the refusal is audited', async () => {
    await expect(app.client.call('commands.run', { serviceId: service('viewer'), line: 'kubectl get pods' })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(await app.newestAudit()).toMatchObject({ outcome: 'refused', environmentId: ids.viewer, details: { decision: 'permission-denied', argv: ['kubectl', 'get', 'pods'] } });
  });

  it('streaming kubectl get pods -w sends output as it arrives; cancelling stops it and the row says stopped', async () => {
    const watch = new Recorded(app.client, 'commands.stream', { serviceId: service('developer'), line: 'kubectl get pods -w' });
    try {
      await waitUntil(() => watch.events.some((event) => event.kind === 'started'), 30_000, 'started');
      expect(watch.events[0]).toMatchObject({ kind: 'started', argvShown: ['kubectl', 'get', 'pods', '--watch', '--namespace=dev', '--kubeconfig=<kubeconfig>'], running: 1, limit: 3 });
      await waitUntil(() => live('dev', 'web').every((pod) => outputOf(watch.events).includes(pod.metadata.name ?? '?')), 30_000, 'the pods listed');
      // A new pod appears while the watch is open.
      kube.applyDeployment({ name: 'web', namespace: 'dev', replicas: 3, image: 'nginx:1.27' });
      await waitUntil(() => live('dev', 'web').length === 3 && live('dev', 'web').every((pod) => outputOf(watch.events).includes(pod.metadata.name ?? '?')), 30_000, 'the new pod streamed');
    } finally {
      watch.cancel();
    }
    const row = await eventually(async () => {
      const newest = await app.newestAudit();
      return newest?.details['mode'] === 'streaming' ? newest : undefined;
    }, 30_000, 'the streaming audit row');
    expect(row).toMatchObject({ outcome: 'success', details: { decision: 'ran', endReason: 'stopped', runtime: 'kubernetes' } });
  });
});
