import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeTestServer, type KubeTestServer, type Pod } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { allowEverythingPolicy, startCommandsCore, type CommandsCore } from './execution-support.ts';

useTestEnvironment('keyring');

const run = promisify(execFile);
const goFalse = ['false', '0', 'f', 'F', 'False', 'FALSE', 'none'];
const clientDryRuns = ['true', '1', 't', 'T', 'True', 'TRUE', 'client'];

/** kubectl reads `--dry_run` as `--dry-run`; the flag may come before or after the objects. */
const spellings = (before: string, after: string, flag: string): string[] => [`${before} ${after} ${flag}`, `${before} ${flag} ${after}`, `${before} ${after} ${flag.replace('dry-run', 'dry_run')}`];

describe('Command policy through the contract, with the real kubectl and the Kubernetes test API server (classes 2 and 11)', () => {
  let kube: KubeTestServer;
  let app: CommandsCore;
  let prod = '';
  const live = (): Pod[] => kube.podsOf('dev', 'web').filter((pod) => !pod.metadata.deletionTimestamp);
  const podNames = (): string[] => live().map((pod) => pod.metadata.name ?? '').sort();

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20 } });
    kube.addNamespace('dev');
    kube.applyDeployment({ name: 'web', namespace: 'dev', replicas: 2, image: 'nginx:1.27' });
    await kube.waitFor(() => live().length === 2 && live().every((pod) => pod.status?.phase === 'Running'), 30_000, 'pods running');
    app = await startCommandsCore({ policyYaml: allowEverythingPolicy });
    const added = await app.client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml('developer', 'default') }, contexts: [kube.contextName('developer')], name: 'prod cluster', production: true });
    prod = `${added.environments[0]?.id ?? ''}:deployment:dev/web`;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await kube?.close();
  });

  it('--dry-run=false in every spelling kubectl reads as "no dry run": production asks first, nothing runs, no pod goes', async () => {
    const before = podNames();
    const pod = before[0] ?? '';
    const lines = goFalse.flatMap((value) => [
      ...spellings(`kubectl delete`, `pod ${pod}`, `--dry-run=${value}`),
      ...spellings(`kubectl scale`, 'deploy/web --replicas=0', `--dry-run=${value}`),
    ]);
    const spawned = app.spawned.length;
    for (const line of lines) {
      const result = await app.client.call('commands.run', { serviceId: prod, line });
      expect(result, line).toMatchObject({ decision: 'needs-confirmation' });
      expect(await app.newestAudit(), line).toMatchObject({ outcome: 'refused', details: { decision: 'needs-confirmation' } });
    }
    expect(app.spawned.length).toBe(spawned);
    expect(podNames()).toEqual(before);
  });

  it('a client dry run in any spelling runs without asking, and deletes nothing', async () => {
    const before = podNames();
    for (const value of clientDryRuns) {
      const line = `kubectl delete pod ${before[0] ?? ''} --dry-run=${value}`;
      const result = await app.client.call('commands.run', { serviceId: prod, line });
      expect(result, line).toMatchObject({ decision: 'ran', exitCode: 0 });
      if (result.decision === 'ran') expect(result.argvShown).toContain('--dry-run=client');
    }
    expect(podNames()).toEqual(before);
  });

  it('kubectl exec in production asks first unless the command only reads, wrappers included', async () => {
    const pod = podNames()[0] ?? '';
    const spawned = app.spawned.length;
    const wrappers = ['', 'env ', 'env A=1 ', 'nice -n 5 ', 'timeout 5 ', 'nohup ', 'busybox ', 'xargs '];
    for (const wrapper of wrappers) {
      for (const command of ['rm -rf /tmp/x', 'touch /x', 'kill 1', 'find / -delete', "sh -c 'id'"]) {
        const line = `kubectl exec ${pod} -- ${wrapper}${command}`;
        expect(await app.client.call('commands.run', { serviceId: prod, line }), line).toMatchObject({ decision: 'needs-confirmation' });
      }
    }
    expect(app.spawned.length).toBe(spawned);
  });

  it('a delete selected by negation, existence or sets only is refused as delete-all, named by its rule', async () => {
    const before = podNames();
    const selectors = ['app!=web', '!app', 'app', 'app notin (api)', 'app in (web)', '', 'tier!=db,!x'];
    for (const selector of selectors) {
      for (const line of [`kubectl delete pods -l '${selector}'`, `kubectl delete pods '--selector=${selector}'`, `kubectl delete po --selector '${selector}' --dry-run=none`]) {
        expect(await app.client.call('commands.run', { serviceId: prod, line }), line).toMatchObject({ decision: 'blocked', rule: 'delete-all' });
        expect(await app.newestAudit(), line).toMatchObject({ outcome: 'refused', details: { rule: 'delete-all' } });
      }
    }
    expect(podNames()).toEqual(before);
  });

  it('class 11: -n / --namespace naming the service’s own namespace runs; another namespace is refused', async () => {
    for (const flag of ['-n dev', '-ndev', '-n=dev', '--namespace=dev', '--namespace dev']) {
      for (const line of [`kubectl get pods ${flag}`, `kubectl ${flag} get pods`]) {
        const result = await app.client.call('commands.run', { serviceId: prod, line });
        expect(result, line).toMatchObject({ decision: 'ran', exitCode: 0, argvShown: ['kubectl', 'get', 'pods', '--namespace=dev', '--kubeconfig=<kubeconfig>'] });
        if (result.decision === 'ran') for (const pod of podNames()) expect(result.stdout).toContain(pod);
      }
    }
    for (const line of ['kubectl get pods -n default', 'kubectl -nkube-system get pods', 'kubectl get pods --namespace=default', 'kubectl get pods -n dev -n default']) {
      expect(await app.client.call('commands.run', { serviceId: prod, line }), line).toMatchObject({ decision: 'blocked', rule: 'namespace-override' });
    }
  });

  it('long-flag abbreviations: the real kubectl rejects them too, and the policy refuses them without running anything', async () => {
    const spawned = app.spawned.length;
    for (const flag of ['--dry', '--dry-r', '--namesp=dev', '--all-n', '--sel=app=web']) {
      const real = await run('/usr/bin/kubectl', ['delete', 'pod', 'x', flag, '--server=http://127.0.0.1:1'], { env: { PATH: '/usr/bin:/bin', HOME: '/nonexistent' } }).then(
        () => '',
        (error: { stderr?: string }) => error.stderr ?? '',
      );
      expect(real, flag).toContain('unknown flag');
      expect(await app.client.call('commands.run', { serviceId: prod, line: `kubectl delete pod x ${flag}` }), flag).toMatchObject({ decision: 'blocked', rule: 'flag-not-allowed' });
    }
    expect(app.spawned.length).toBe(spawned);
  });

  it('issue 14 part 5: kubectl scale of a Deployment an HPA controls is refused in any spelling, naming the HPA, audited; without the HPA it runs', async () => {
    const admin = await kube.kubeconfigPath('admin');
    const kubectl = (...args: string[]) => run('/usr/bin/kubectl', [`--kubeconfig=${admin}`, '--namespace=dev', ...args], { env: { PATH: '/usr/bin:/bin', HOME: '/nonexistent' } });
    await kubectl('autoscale', 'deployment', 'web', '--min=2', '--max=2', '--cpu-percent=80');
    const spellings = ['deploy/web', 'deployment/web', 'deployments/web', 'deployment.apps/web', 'deployments.v1.apps/web', 'deployment web', 'deploy web', 'deployment.apps web', 'deploy -l app=web'];
    const spawned = app.spawned.length;
    const starts = (await app.client.call('audit.list', { limit: 500, action: 'command.run', outcome: 'started' })).rows.length;
    try {
      for (const target of spellings) {
        for (const line of [`kubectl scale ${target} --replicas=3`, `kubectl scale --replicas=3 ${target}`, `kubectl scale ${target} --replicas 0 --dry-run=none`]) {
          const result = await app.client.call('commands.run', { serviceId: prod, line });
          expect(result, line).toMatchObject({ decision: 'blocked', rule: 'hpa-controls-replicas' });
          if (result.decision === 'blocked') expect(result.message + result.hint, line).toContain('"web"');
          expect(await app.newestAudit(), line).toMatchObject({ outcome: 'refused', details: { decision: 'blocked', rule: 'hpa-controls-replicas' } });
        }
      }
      expect(await app.client.call('commands.run', { serviceId: prod, line: 'kubectl scale -f web.yaml --replicas=3' })).toMatchObject({ decision: 'blocked', rule: 'local-files' });
      expect(app.spawned.length).toBe(spawned);
      expect((await app.client.call('audit.list', { limit: 500, action: 'command.run', outcome: 'started' })).rows.length).toBe(starts);
    } finally {
      await kubectl('delete', 'hpa', 'web');
    }
    // without the HPA a scale is an ordinary production change: typed again, then it runs
    const line = 'kubectl scale deployment.apps/web --replicas=2';
    expect(await app.client.call('commands.run', { serviceId: prod, line })).toMatchObject({ decision: 'needs-confirmation', confirmText: line });
    const unlocked = await app.client.call('commands.run', { serviceId: prod, line, confirmation: line });
    expect(unlocked).toMatchObject({ decision: 'ran', exitCode: 0 });
  });
});
