// Composition root: store, controllers, TLS listener and kubeconfigs of one test API server.

import { createServer } from 'node:https';
import type { OidcAuthentication } from './oidc.ts';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Duplex } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handleRequest } from './api/router.ts';
import { ClusterApi, type NodeShape } from './cluster.ts';
import { DEFAULT_TIMINGS, type AuditEvent, type KubeContext, type ServerTimings } from './context.ts';
import { ClusterHousekeeping } from './controllers/cluster-housekeeping.ts';
import { DeploymentController } from './controllers/deployment-controller.ts';
import { HpaController } from './controllers/hpa-controller.ts';
import { Kubelet } from './controllers/kubelet.ts';
import { ReplicaSetController } from './controllers/replicaset-controller.ts';
import { Scheduler } from './controllers/scheduler.ts';
import { EventRecorder } from './events.ts';
import { contextName, kubeconfigYaml } from './kubeconfig.ts';
import { ApiServiceController } from './controllers/api-service-controller.ts';
import { MetricsSource } from './metrics.ts';
import { PodLogStore } from './pod-logs.ts';
import { defaultUsers, type TestUser } from './rbac.ts';
import { runScenario, seedPods, type PodSeed, type ScenarioResult, type ScenarioShape } from './scenario.ts';
import { ObjectStore } from './store.ts';
import { Timers } from './timers.ts';
import { createTestPki } from './tls.ts';

export interface KubeTestServerOptions {
  /** Replace the default users (admin, developer, viewer, viewer-cert, nobody). */
  users?: TestUser[];
  /** Users added to the defaults. */
  extraUsers?: TestUser[];
  /** Nodes created at start: a count (node-1..node-N) or shapes. Default 3. */
  nodes?: number | NodeShape[];
  /** Install metrics-server at start (metrics.k8s.io served). Default false. */
  metricsServer?: boolean;
  timings?: Partial<ServerTimings>;
  /** Changes kept for watch resumption before 410 Gone. Default 50,000. */
  historyLimit?: number;
  /** Accept id-tokens of an OIDC issuer (tests/support/oidc-issuer.ts) for users with auth "oidc". */
  oidc?: OidcAuthentication;
}

export interface KubeTestServer extends ClusterApi {
  /** https://127.0.0.1:PORT */
  readonly url: string;
  readonly caPem: string;
  readonly users: readonly TestUser[];
  /** Path of a kubeconfig file for `user` (default "admin"), written on first use, removed on close. */
  kubeconfigPath(user?: string, namespace?: string): Promise<string>;
  kubeconfigYaml(user?: string, namespace?: string): string;
  /** The kubeconfig context name of a user: "<user>@kiops-test". */
  contextName(user?: string): string;
  scenario(shape: ScenarioShape): ScenarioResult;
  seedPods(seed: PodSeed): ReturnType<typeof seedPods>;
  readonly timings: ServerTimings;
  /**
   * Restarts the API server on the same address with the same CA and certificates: every
   * connection and watch is cut, `whileDown` runs while nothing listens (change the cluster
   * there: controllers keep running, as etcd and the nodes do), and the new process starts
   * with an empty watch cache, so watches from before the restart get 410 Gone.
   */
  restart(options?: { whileDown?: () => void | Promise<void> }): Promise<void>;
  /** The authorized API requests so far (the newest 10,000), oldest first: who asked what, with which verb. */
  auditEvents(): readonly AuditEvent[];
  /** How many watch and streaming requests (logs -f, exec) are open now. */
  openWatches(): number;
  /** TLS connections clients opened (handshakes completed) since the start, restarts included. */
  tlsConnections(): number;
  close(): Promise<void>;
}

export async function startKubeTestServer(options: KubeTestServerOptions = {}): Promise<KubeTestServer> {
  const users = [...(options.users ?? defaultUsers()), ...(options.extraUsers ?? [])];
  const pki = await createTestPki(users.filter((user) => user.auth === 'certificate').map((user) => ({ name: user.name, groups: user.groups })));
  const store = new ObjectStore({ historyLimit: options.historyLimit });
  const timers = new Timers();
  const timings = { ...DEFAULT_TIMINGS, ...(options.timings ?? {}) };
  const context: KubeContext = {
    store,
    events: new EventRecorder(store),
    timers,
    users,
    ...(options.oidc ? { oidc: options.oidc } : {}),
    timings,
    metrics: new MetricsSource(),
    logs: new PodLogStore(),
    watches: new Set(),
    audit: [],
    serverAddress: '127.0.0.1:0',
    connections: new WeakMap(),
  };
  const kubelet = new Kubelet(context);
  new Scheduler(context);
  new ReplicaSetController(context);
  new DeploymentController(context);
  new HpaController(context);
  new ClusterHousekeeping(context);
  new ApiServiceController(context);
  const cluster = new ClusterApi(context, kubelet);

  for (const namespace of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) cluster.addNamespace(namespace);
  cluster.apply({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ name: 'https', port: 443, targetPort: 6443, protocol: 'TCP' }] },
  });
  runScenario(context, cluster, { nodes: options.nodes ?? 3, metricsServer: options.metricsServer ?? false });
  if (options.metricsServer) await cluster.metricsServerAvailable();

  const sockets = new Set<Duplex>();
  const server = createServer({ key: pki.server.keyPem, cert: pki.server.certPem, ca: pki.caPem, requestCert: true, rejectUnauthorized: false }, (request, response) => {
    void handleRequest(context, request, response);
  });
  // A real API server, and the load balancer in front of it, keep an idle connection open for a
  // minute or more, not Node's 5 s: a client that reuses connections must be the one to close them.
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  let handshakes = 0;
  server.on('secureConnection', (socket) => {
    handshakes += 1;
    context.connections.set(socket, handshakes);
  });
  const listen = (wantedPort: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(wantedPort, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const goDown = (): Promise<void> => {
    for (const watch of [...context.watches]) watch.end();
    const done = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    return done;
  };
  await listen(0);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  context.serverAddress = `127.0.0.1:${port}`;
  const url = `https://127.0.0.1:${port}`;
  const kubeconfigDir = await mkdtemp(join(tmpdir(), 'kiops-kubeconfig-'));

  const findUser = (name: string): TestUser => {
    const user = users.find((candidate) => candidate.name === name);
    if (!user) throw new Error(`no test user "${name}"; users are ${users.map((candidate) => candidate.name).join(', ')}`);
    return user;
  };
  const yamlFor = (user = 'admin', namespace = 'default'): string => kubeconfigYaml(url, pki, findUser(user), namespace);

  let closed = false;
  const api = Object.assign(cluster, {
    url,
    caPem: pki.caPem,
    users,
    timings,
    kubeconfigYaml: yamlFor,
    async kubeconfigPath(user = 'admin', namespace = 'default'): Promise<string> {
      const path = join(kubeconfigDir, `${user}-${namespace}.kubeconfig`);
      await writeFile(path, yamlFor(user, namespace), { mode: 0o600 });
      return path;
    },
    contextName: (user = 'admin') => contextName(user),
    scenario: (shape: ScenarioShape) => runScenario(context, cluster, shape),
    seedPods: (seed: PodSeed) => seedPods(context, cluster, seed),
    async restart(restartOptions: { whileDown?: () => void | Promise<void> } = {}): Promise<void> {
      if (closed) throw new Error('the test API server is closed');
      await goDown();
      await restartOptions.whileDown?.();
      store.compact();
      await listen(port);
    },
    auditEvents: () => [...context.audit],
    openWatches: () => context.watches.size,
    tlsConnections: () => handshakes,
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      timers.close();
      kubelet.close();
      await goDown();
      await rm(kubeconfigDir, { recursive: true, force: true });
    },
  });
  return api;
}
