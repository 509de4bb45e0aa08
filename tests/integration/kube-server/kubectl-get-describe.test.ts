import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeTestServer, type KubeTestServer, type Pod } from '../../kube-server/index.ts';
import { kubectlFor, parseTable, type Kubectl } from './kubectl.ts';

const FAST = { kubeletStartDelayMs: 50, containerRunMs: 80, backoffBaseMs: 300, containerStopMs: 30 };

describe('kubectl get / describe / logs / delete against the kube test server', () => {
  let kube: KubeTestServer;
  let kubectl: Kubectl;

  beforeAll(async () => {
    kube = await startKubeTestServer({ timings: FAST, metricsServer: true });
    kubectl = await kubectlFor(kube);
    kube.addNamespace('shop');
    kube.scenario({
      deployments: [
        { name: 'web', namespace: 'shop', image: 'nginx:1.27', replicas: 3, requests: { cpu: '100m', memory: '64Mi' } },
        { name: 'api', namespace: 'shop', image: 'example/api:crash', replicas: 1 },
        { name: 'worker', namespace: 'shop', image: 'example/worker-imagepull:1.0', replicas: 1 },
      ],
    });
    kube.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'migrate', namespace: 'shop' }, spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image: 'example/migrate-job:1' }] } });
    kube.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'broken-job', namespace: 'shop' }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'example/task-error:1' }] } });
    kube.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { a: '1', b: '2' } });
    kube.apply({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } });
    kube.apply({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { ingressClassName: 'nginx', rules: [{ host: 'shop.example.test', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    });
    await kube.waitFor(() => {
      const pods = kube.list<Pod>('Pod', 'shop');
      const reasons = pods.flatMap((pod) => pod.status?.containerStatuses?.map((status) => status.state.waiting?.reason ?? status.state.terminated?.reason ?? (status.state.running ? 'Running' : '')) ?? []);
      return reasons.includes('CrashLoopBackOff') && reasons.includes('ImagePullBackOff') && reasons.includes('Completed') && reasons.includes('Error') && reasons.filter((reason) => reason === 'Running').length === 3;
    }, 30_000, 'every pod state');
  });

  afterAll(async () => {
    await kube?.close();
    await kubectl?.cleanup();
  });

  it('lists pods with the status column kubectl users read', async () => {
    const rows = parseTable(await kubectl.ok(['get', 'pods', '-n', 'shop']));
    expect(Object.keys(rows[0] ?? {})).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    const statusOf = (prefix: string): string[] => rows.filter((row) => row.NAME?.startsWith(prefix)).map((row) => row.STATUS ?? '');
    expect(statusOf('web-')).toEqual(['Running', 'Running', 'Running']);
    expect(statusOf('worker-')[0]).toMatch(/^(ImagePullBackOff|ErrImagePull)$/);
    expect(statusOf('api-')[0]).toMatch(/^(CrashLoopBackOff|Error|Running)$/);
    expect(statusOf('migrate')).toEqual(['Completed']);
    expect(statusOf('broken-job')).toEqual(['Error']);
    expect(rows.find((row) => row.NAME?.startsWith('web-'))?.READY).toBe('1/1');
  });

  it('shows node and IP with -o wide and full objects with -o json', async () => {
    const rows = parseTable(await kubectl.ok(['get', 'pods', '-n', 'shop', '-o', 'wide', '-l', 'app=web']));
    expect(Object.keys(rows[0] ?? {})).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    for (const row of rows) {
      expect(row.NODE).toMatch(/^node-[123]$/);
      expect(row.IP).toMatch(/^10\.244\.\d+\.\d+$/);
    }
    const list = JSON.parse(await kubectl.ok(['get', 'pods', '-n', 'shop', '-o', 'json', '-l', 'app=web'])) as { kind: string; items: Pod[] };
    expect(list.kind).toBe('List');
    expect(list.items).toHaveLength(3);
    expect(list.items[0]?.metadata.ownerReferences?.[0]?.kind).toBe('ReplicaSet');
    expect(list.items[0]?.status?.phase).toBe('Running');
  });

  it('prints deployments, replicasets, config maps, secrets and ingresses with their columns', async () => {
    const deployments = parseTable(await kubectl.ok(['get', 'deploy', '-n', 'shop']));
    expect(deployments.find((row) => row.NAME === 'web')).toMatchObject({ READY: '3/3', 'UP-TO-DATE': '3', AVAILABLE: '3' });
    expect(deployments.find((row) => row.NAME === 'worker')).toMatchObject({ READY: '0/1', AVAILABLE: '0' });
    const wide = parseTable(await kubectl.ok(['get', 'deploy', 'web', '-n', 'shop', '-o', 'wide']));
    expect(wide[0]).toMatchObject({ CONTAINERS: 'web', IMAGES: 'nginx:1.27', SELECTOR: 'app=web' });
    const replicaSets = parseTable(await kubectl.ok(['get', 'rs', '-n', 'shop']));
    expect(replicaSets.find((row) => row.NAME?.startsWith('web-'))).toMatchObject({ DESIRED: '3', CURRENT: '3', READY: '3' });
    await kubectl.ok(['create', 'secret', 'generic', 'db', '-n', 'shop', '--from-literal=password=s3cret']);
    expect(parseTable(await kubectl.ok(['get', 'cm', '-n', 'shop']))).toContainEqual(expect.objectContaining({ NAME: 'settings', DATA: '2' }));
    expect(parseTable(await kubectl.ok(['get', 'secret', '-n', 'shop']))).toContainEqual(expect.objectContaining({ NAME: 'db', TYPE: 'Opaque', DATA: '1' }));
    const secret = JSON.parse(await kubectl.ok(['get', 'secret', 'db', '-n', 'shop', '-o', 'json'])) as { data: Record<string, string> };
    expect(Buffer.from(secret.data.password ?? '', 'base64').toString()).toBe('s3cret');
    expect(parseTable(await kubectl.ok(['get', 'ingress', '-n', 'shop']))[0]).toMatchObject({ NAME: 'web', CLASS: 'nginx', HOSTS: 'shop.example.test', PORTS: '80' });
  });

  it('creates config maps the way kubectl create does', async () => {
    expect(await kubectl.ok(['create', 'configmap', 'flags', '-n', 'shop', '--from-literal=beta=true'])).toBe('configmap/flags created\n');
    const again = await kubectl(['create', 'configmap', 'flags', '-n', 'shop', '--from-literal=beta=true']);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('error: failed to create configmap: configmaps "flags" already exists\n');
    expect(kube.get('ConfigMap', 'shop', 'flags')?.data).toEqual({ beta: 'true' });
  });

  it('lists events and describes a pod with its events', async () => {
    const events = parseTable(await kubectl.ok(['get', 'events', '-n', 'shop']));
    expect(Object.keys(events[0] ?? {})).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(events).toContainEqual(expect.objectContaining({ REASON: 'ScalingReplicaSet', OBJECT: 'deployment/web' }));
    expect(events.some((row) => row.REASON === 'BackOff' && row.TYPE === 'Warning' && row.MESSAGE?.startsWith('Back-off restarting failed container api in pod api-'))).toBe(true);
    const pod = kube.podsOf('shop', 'worker')[0]?.metadata.name ?? '';
    const description = await kubectl.ok(['describe', 'pod', pod, '-n', 'shop']);
    expect(description).toMatch(/Status:\s+Pending/);
    expect(description).toMatch(/Reason:\s+(ImagePullBackOff|ErrImagePull)/);
    expect(description).toMatch(/Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned shop\/worker-\S+ to node-\d/);
    expect(description).toMatch(/Warning\s+Failed\s+\S+.*kubelet\s+Failed to pull image "example\/worker-imagepull:1.0"/);
    const web = kube.podsOf('shop', 'web')[0]?.metadata.name ?? '';
    const running = await kubectl.ok(['describe', 'pod', web, '-n', 'shop']);
    expect(running).toMatch(/Controlled By:\s+ReplicaSet\/web-/);
    expect(running).toMatch(/State:\s+Running/);
    expect(running).toMatch(/Requests:\s+cpu:\s+100m\s+memory:\s+64Mi/);
  });

  it('prints container logs with --tail, --previous and --timestamps', async () => {
    const web = kube.podsOf('shop', 'web')[0]?.metadata.name ?? '';
    const all = await kubectl.ok(['logs', web, '-n', 'shop']);
    expect(all.split('\n').filter(Boolean)).toHaveLength(10);
    expect(all).toContain('Listening on 0.0.0.0:8080');
    const tail = await kubectl.ok(['logs', web, '-n', 'shop', '--tail=2']);
    expect(tail).toBe('GET /healthz 200 6ms (request 6)\nGET /healthz 200 7ms (request 7)\n');
    const stamped = await kubectl.ok(['logs', web, '-n', 'shop', '--tail=1', '--timestamps']);
    expect(stamped).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z GET \/healthz 200 7ms \(request 7\)\n$/);
    const limited = await kubectl.ok(['logs', web, '-n', 'shop', '--limit-bytes=8']);
    expect(limited).toBe('Starting');
    const api = kube.podsOf('shop', 'api')[0]?.metadata.name ?? '';
    await kube.waitFor(() => (kube.get<Pod>('Pod', 'shop', api)?.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1, 30_000, 'a restart');
    expect(await kubectl.ok(['logs', api, '-n', 'shop', '--previous', '--tail=1'])).toBe('Exiting with status 1\n');
    const worker = kube.podsOf('shop', 'worker')[0]?.metadata.name ?? '';
    const waiting = await kubectl(['logs', worker, '-n', 'shop']);
    expect(waiting.stderr).toContain(`Error from server (BadRequest): container "worker" in pod "${worker}" is waiting to start: trying and failing to pull image`);
  });

  it('deletes a pod gracefully and the replicaset replaces it', async () => {
    const [victim] = kube.podsOf('shop', 'web');
    const name = victim?.metadata.name ?? '';
    expect(await kubectl.ok(['delete', 'pod', name, '-n', 'shop'])).toBe(`pod "${name}" deleted\n`);
    expect(kube.get('Pod', 'shop', name)).toBeUndefined();
    await kube.waitFor(() => kube.podsOf('shop', 'web').filter((pod) => pod.status?.phase === 'Running').length === 3, 30_000, 'a replacement pod');
    const events = await kubectl.ok(['get', 'events', '-n', 'shop', '--field-selector', `involvedObject.name=${name}`]);
    expect(events).toMatch(/Normal\s+Killing\s+pod\/\S+\s+Stopping container web/);
  });

  it('keeps a pod that ignores SIGTERM Terminating until forced', async () => {
    kube.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stubborn', namespace: 'shop' }, spec: { terminationGracePeriodSeconds: 30, containers: [{ name: 'main', image: 'example/ignore-sigterm:1' }] } });
    await kube.waitFor(() => kube.get<Pod>('Pod', 'shop', 'stubborn')?.status?.phase === 'Running', 30_000, 'stubborn running');
    expect(await kubectl.ok(['delete', 'pod', 'stubborn', '-n', 'shop', '--wait=false'])).toBe('pod "stubborn" deleted\n');
    const rows = parseTable(await kubectl.ok(['get', 'pod', 'stubborn', '-n', 'shop']));
    expect(rows[0]?.STATUS).toBe('Terminating');
    const forced = await kubectl(['delete', 'pod', 'stubborn', '-n', 'shop', '--grace-period=0', '--force']);
    expect(forced.stdout).toBe('pod "stubborn" force deleted\n');
    expect(forced.stderr).toContain('Immediate deletion does not wait for confirmation');
    expect(kube.get('Pod', 'shop', 'stubborn')).toBeUndefined();
    const missing = await kubectl(['get', 'pod', 'stubborn', '-n', 'shop']);
    expect(missing.stderr).toBe('Error from server (NotFound): pods "stubborn" not found\n');
  });
});
