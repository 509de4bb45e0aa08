// Outside production a typed command that changes data asks plainly first, as every button does
// (issue #15 §1): the window sends `askPlainly`, main decides with the same policy that guards
// production which commands change data, answers needs-confirmation with `plain`, audits it,
// runs nothing, and runs the line once the window sends it back. Read-only commands never ask.
// Generated variants: wrappers, `=` forms, dry-run spellings kubectl reads as "no dry run", the
// engine CLI's long and short forms, one-shot and streaming.
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeTestServer, type KubeTestServer, type Pod } from '../../kube-server/index.ts';
import { useTestEnvironment } from '../../support/test-environment.ts';
import { allowEverythingPolicy, Recorded, startCommandsCore, waitUntil, type CommandsCore } from './execution-support.ts';

const env = useTestEnvironment('keyring', 'docker');

describe('a data-changing command outside production asks plainly (commands.run / commands.stream with askPlainly)', () => {
  let kube: KubeTestServer;
  let app: CommandsCore;
  let docker: Docker;
  let staging = '';
  let prod = '';
  let engine = '';
  const project = `plainconfirm${Date.now().toString(36)}`;
  const container = `${project}-web-1`;
  const live = (): Pod[] => kube.podsOf('default', 'web').filter((pod) => !pod.metadata.deletionTimestamp);
  const podNames = (): string[] => live().map((pod) => pod.metadata.name ?? '').sort();

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: { kubeletStartDelayMs: 40, containerStopMs: 20 } });
    kube.applyDeployment({ name: 'web', replicas: 2, image: 'nginx:1.27' });
    await kube.waitFor(() => live().length === 2 && live().every((pod) => pod.status?.phase === 'Running'), 20_000, 'pods running');
    docker = new Docker({ socketPath: env.docker.socketPath });
    const created = await docker.createContainer({ name: container, Image: env.docker.images.version1.reference, Cmd: ['sleep', '600'], Labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': 'web' }, StopSignal: 'SIGKILL', HostConfig: { NetworkMode: 'none' } });
    await created.start();
    app = await startCommandsCore({ policyYaml: allowEverythingPolicy });
    // two users, so two environments (the same context imported twice is the same environment)
    const add = async (user: string, name: string, production: boolean) =>
      (await app.client.call('environments.addKubernetes', { source: { kind: 'text', text: kube.kubeconfigYaml(user, 'default') }, contexts: [kube.contextName(user)], name, production })).environments[0]?.id ?? '';
    staging = `${await add('developer', 'staging cluster', false)}:deployment:default/web`;
    prod = `${await add('admin', 'prod cluster', true)}:deployment:default/web`;
    expect(prod).not.toBe(staging);
    engine = `${(await app.client.call('environments.addEngine', { name: 'local docker', engine: 'docker', socketPath: env.docker.socketPath })).id}:compose:${project}`;
  }, 90_000);

  afterAll(async () => {
    await app?.close();
    await kube?.close();
    await docker?.getContainer(container).remove({ force: true }).catch(() => undefined);
  });

  /** Asks plainly, audits the question, runs nothing. */
  async function expectPlainAsk(serviceId: string, line: string): Promise<void> {
    const spawned = app.spawned.length;
    const result = await app.client.call('commands.run', { serviceId, line, askPlainly: true });
    expect(result, line).toEqual({ decision: 'needs-confirmation', plain: true, confirmText: line, message: `This command changes data. Run it? ${line}` });
    expect(await app.newestAudit(), line).toMatchObject({ outcome: 'refused', details: { decision: 'needs-confirmation' } });
    expect(app.spawned.length, line).toBe(spawned);
  }

  it('Kubernetes: every spelling of a data change asks plainly, and nothing runs', async () => {
    const before = podNames();
    const pod = before[0] ?? '';
    const lines = [
      `kubectl delete pod ${pod}`,
      `kubectl delete pod/${pod} --grace-period=0`,
      ...['false', 'none', 'FALSE', '0'].flatMap((value) => [`kubectl delete pod ${pod} --dry-run=${value}`, `kubectl scale deploy/web --dry_run=${value} --replicas=0`]),
      'kubectl scale deploy/web --replicas=0',
      'kubectl scale --replicas 0 deployment web',
      'kubectl rollout restart deploy/web',
      'kubectl annotate deploy web note=x',
      'kubectl label deploy web tier=x',
      ...['', 'env ', 'env A=1 ', 'nice -n 5 ', 'timeout 5 ', 'nohup '].map((wrapper) => `kubectl exec ${pod} -- ${wrapper}touch /x`),
    ];
    for (const line of lines) await expectPlainAsk(staging, line);
    expect(podNames()).toEqual(before);
  });

  it('Kubernetes: reads (and client dry runs) run at once without asking', async () => {
    const pod = podNames()[0] ?? '';
    for (const line of ['kubectl get pods', 'kubectl describe deploy web', `kubectl logs ${pod} --tail=1`, `kubectl delete pod ${pod} --dry-run=client`, `kubectl scale deploy/web --replicas=0 --dry-run=true`, `kubectl exec ${pod} -- cat /etc/hostname`]) {
      expect(await app.client.call('commands.run', { serviceId: staging, line, askPlainly: true }), line).toMatchObject({ decision: 'ran' });
    }
    expect(live()).toHaveLength(2);
  });

  it('the line sent back as its confirmation runs, audited as run; a changed line asks again', async () => {
    const line = 'kubectl scale deploy/web --replicas=1';
    await expectPlainAsk(staging, line);
    expect(await app.client.call('commands.run', { serviceId: staging, line: 'kubectl scale deploy/web --replicas=0', askPlainly: true, confirmation: line })).toMatchObject({ decision: 'needs-confirmation', plain: true });
    expect(await app.client.call('commands.run', { serviceId: staging, line, askPlainly: true, confirmation: line })).toMatchObject({ decision: 'ran', exitCode: 0 });
    expect(await app.newestAudit()).toMatchObject({ outcome: 'success', details: { decision: 'ran', argv: ['kubectl', 'scale', 'deployments/web', '--replicas=1', '--namespace=default', '--kubeconfig=<kubeconfig>'] } });
    await kube.waitFor(() => live().length === 1, 20_000, 'web scaled to 1');
  });

  it('in production askPlainly changes nothing: the line must still be typed again', async () => {
    const line = 'kubectl scale deploy/web --replicas=2';
    const result = await app.client.call('commands.run', { serviceId: prod, line, askPlainly: true });
    expect(result).toMatchObject({ decision: 'needs-confirmation', confirmText: line });
    expect(result).not.toHaveProperty('plain');
  });

  it('Docker: the engine CLI’s data changes ask plainly in every form, reads run', async () => {
    for (const line of [`docker restart ${container}`, `docker restart -t 1 ${container}`, `docker restart --time=1 ${container}`, `docker container restart ${container}`, `docker stop ${container}`, `docker exec ${container} touch /x`, `docker exec ${container} env A=1 rm -f /x`]) {
      await expectPlainAsk(engine, line);
    }
    expect((await docker.getContainer(container).inspect()).State.Running).toBe(true);
    for (const line of ['docker ps', `docker logs --tail 1 ${container}`, `docker exec ${container} cat /etc/hostname`]) {
      expect(await app.client.call('commands.run', { serviceId: engine, line, askPlainly: true }), line).toMatchObject({ decision: 'ran' });
    }
  });

  it('streaming asks plainly the same way, and the confirmed stream runs', async () => {
    const line = `kubectl delete pod ${podNames()[0] ?? ''}`;
    const asked = new Recorded(app.client, 'commands.stream', { serviceId: staging, line, askPlainly: true });
    await waitUntil(() => asked.ended !== null, 30_000, 'the stream to answer');
    expect(asked.events).toEqual([{ kind: 'needs-confirmation', plain: true, confirmText: line, message: `This command changes data. Run it? ${line}` }]);
    const confirmed = new Recorded(app.client, 'commands.stream', { serviceId: staging, line, askPlainly: true, confirmation: line });
    await waitUntil(() => confirmed.ended !== null, 60_000, 'the confirmed stream to end');
    expect(confirmed.events.find((event) => event.kind === 'ended')).toMatchObject({ endReason: 'exited', exitCode: 0 });
  });
});
