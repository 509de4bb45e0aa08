/**
 * Kubernetes test API server for KIOPS Desktop tests — a fixture, not product code.
 *
 * An HTTPS server that the real `kubectl` (v1.32) and `@kubernetes/client-node` accept, with
 * in-memory storage, RBAC per test user and controllers that behave like Kubernetes
 * (Deployment → ReplicaSet → Pods, scheduler, kubelet, HPA, garbage collection, endpoints).
 *
 * Start it in-process:
 *
 *   const kube = await startKubeTestServer({ nodes: 3, metricsServer: true, timings: { kubeletStartDelayMs: 50 } });
 *   const kubeconfig = await kube.kubeconfigPath('developer');      // file with CA + credentials
 *   kube.applyDeployment({ name: 'web', replicas: 3, image: 'nginx:1.27', requests: { cpu: '100m' } });
 *   await kube.waitFor(() => kube.podsOf('default', 'web').every((p) => p.status?.phase === 'Running'));
 *   ...
 *   await kube.close();                                             // stops every timer, watch and socket
 *
 * or standalone: `npm run kube:test-server [-- --metrics] [-- --empty]` prints the admin kubeconfig path.
 *
 * Give every kubectl run a private discovery cache (`--cache-dir` or HOME): metrics.k8s.io comes
 * and goes with metrics-server, and servers differ per test.
 *
 * ## Public API (stable)
 * startKubeTestServer(options?: KubeTestServerOptions) → Promise<KubeTestServer>
 *   options.users / extraUsers   TestUser[] — { name, groups, auth: 'token' | 'certificate', token?, rules: PolicyRule[] }
 *                                 PolicyRule = { verbs, resources ('pods', 'pods/log', '*'), apiGroups?, namespaces?, resourceNames? }
 *   options.nodes                number | NodeShape[] (default 3 nodes node-1..3, 4 CPU / 8Gi / 110 pods)
 *   options.metricsServer        boolean (default false)
 *   options.timings              Partial<ServerTimings> (kubeletStartDelayMs 100, containerStopMs 50, containerRunMs 150,
 *                                 backoffBaseMs 400, backoffMaxMs 5000, hpaSyncMs 300, bookmarkIntervalMs 1000)
 *   options.historyLimit         watch history length before 410 Gone (default 50,000)
 *   options.oidc                 { issuerUrl, clientId, publicKeyPem, usernameClaim? } — accept RS256 id-tokens of that
 *                                 issuer (iss, aud, exp, nbf checked) for users with auth 'oidc' (tests/support/oidc-issuer.ts)
 * KubeTestServer
 *   url, caPem, users, timings
 *   kubeconfigPath(user = 'admin', namespace = 'default') → Promise<string>; kubeconfigYaml(user, namespace) → string
 *   contextName(user) → "<user>@kiops-test"
 *   apply(object) → stored object (create, or replace spec/data keeping status); get(kind, ns, name); list(kind, ns?)
 *   addNamespace(name, labels?), addNode(NodeShape), removeNode(name)
 *   applyDeployment(DeploymentShape | Deployment), podsOf(ns, deployment)
 *   setPodMetrics(ns, pod, { cpu?, memory? }), setPodMetricsBySelector(ns, 'app=web', usage)
 *   installMetricsServer(), await metricsServerAvailable(), uninstallMetricsServer()
 *     (metrics.k8s.io serves while the v1beta1.metrics.k8s.io APIService is Available: its
 *     Service has a ready endpoint; RBAC kinds and APIService are stored as a real server would)
 *   setPodPhase(ns, pod, 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown', reason?, message?)  (kubelet stops driving it)
 *   appendPodLog(ns, pod, container, text)
 *   compactHistory()  — watches from older resourceVersions now get 410 Gone
 *   restart({ whileDown? }) — same address, CA and certificates; connections and watches cut; the watch
 *                     cache starts empty (older resourceVersions get 410 Gone). A watch from a resourceVersion
 *                     the server has not reached waits 3 s, then gets 504 "Too large resource version".
 *   scenario({ nodes?, namespaces?, deployments?: DeploymentShape[], pods?: PodSeed[], metricsServer? })
 *   seedPods({ namespace, prefix?, labels?, image?, counts: { running, pending, crashLoop, imagePullBackOff, completed, error, containerCreating } })
 *     — pods written directly in a final state (events off): 5,000 pods take well under a second
 *   waitFor(check, timeoutMs = 30000, what?) → first truthy value of check()
 *   auditEvents() → the authorized requests so far (newest 10,000), oldest first, as kube-apiserver's audit log
 *                     names them: { user, verb (get/list/watch/create/…), resource, subresource, namespace, name, query,
 *                     connection (the TLS connection it came over, numbered as accepted) }
 *   openWatches() → how many watch and streaming requests (logs -f, exec) are open now
 *   tlsConnections() → TLS connections accepted (handshakes done) since the start, restarts included
 *   close()
 *
 * ## Default users
 *   admin        client certificate (CN=admin, O=system:masters), everything
 *   developer    token "developer-token", everything in namespaces default and dev; read namespaces/nodes; metrics
 *   viewer       token "viewer-token", get/list/watch on workloads, pods/log, events, config maps (not secrets) everywhere
 *   viewer-cert  client certificate, get/list/watch pods, deployments, replicasets
 *   nobody       token "nobody-token", no permissions beyond discovery and self reviews
 *
 * ## Image conventions (what the simulated kubelet does; see controllers/image-conventions.ts)
 *   …pull-error… / …imagepull… / …notfound… / …nonexistent…  ErrImagePull ↔ ImagePullBackOff
 *   …crash… / …error… / …fail…                             exit 1: CrashLoopBackOff (restartPolicy Always) or Error
 *   …oom…                                                  exit 137, reason OOMKilled, then CrashLoopBackOff
 *   …complete… / …succeed… / …job…                         exit 0: Completed
 *   …unready… / …notready…                                 Running but never Ready
 *   …slow-stop… / …ignore-sigterm…                         stays Terminating for the whole grace period
 *   anything else                                          Running and Ready after kubeletStartDelayMs
 * Other deletions: pods that honour SIGTERM stop after containerStopMs; `--grace-period=0 --force` removes at once.
 *
 * ## Scheduler
 * Filters NodeUnschedulable, TaintToleration, NodeAffinity (nodeSelector + required affinity), NodeResourcesFit
 * (requests vs allocatable, pod count) and PVC existence/binding (claims of storage class "manual" or
 * "no-provisioner" stay Pending). Unschedulable pods get PodScheduled=False and FailedScheduling events worded
 * like kube-scheduler 1.32.
 */

export { startKubeTestServer } from './server.ts';
export type { KubeTestServer, KubeTestServerOptions } from './server.ts';
export type { TestUser, PolicyRule } from './rbac.ts';
export type { OidcAuthentication } from './oidc.ts';
export { defaultUsers } from './rbac.ts';
export type { NodeShape, DeploymentShape } from './cluster.ts';
export type { ScenarioShape, PodSeed, SeededPodState, ScenarioResult } from './scenario.ts';
export type { AuditEvent, ServerTimings } from './context.ts';
export type { Usage } from './metrics.ts';
export type { KubeObject, Pod, Deployment, ReplicaSet, Node, HorizontalPodAutoscaler, CoreEvent } from './model/types.ts';
