// A Kubernetes test API server in a process of its own, for the benches that time the app against
// kubectl or a raw fetch. In the bench's own process the server's TLS and request handling would
// share one thread with the app's main (browser mode runs main in-process) while kubectl's side ran
// on the other core: the app would be charged for the server. A real cluster is elsewhere too.
// Run as a script it is the child: it builds what the parent asks for, waits until every pod runs,
// prints one JSON line of where it is, and serves until SIGTERM.

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startKubeTestServer } from '../tests/kube-server/index.ts';
import type { DeploymentShape } from '../tests/kube-server/cluster.ts';

export interface KubeServerSetup {
  readonly nodes: number;
  readonly namespaces?: readonly string[];
  readonly deployments: readonly DeploymentShape[];
}

interface UserAccess {
  readonly yaml: string;
  readonly path: string;
  readonly context: string;
}

interface Ready {
  readonly url: string;
  readonly caPem: string;
  readonly users: Readonly<Record<string, UserAccess>>;
}

/** The running server as the benches use it: where it is and each user's kubeconfig (namespace "default"). */
export interface KubeServerProcess {
  readonly url: string;
  readonly caPem: string;
  kubeconfigYaml(user: string): string;
  kubeconfigPath(user: string): string;
  contextName(user: string): string;
  close(): Promise<void>;
}

const benchUsers = ['admin', 'developer'];

export async function startKubeServerProcess(setup: KubeServerSetup): Promise<KubeServerProcess> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), JSON.stringify(setup)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<Ready>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => resolve(JSON.parse(line) as Ready));
    child.once('exit', (code) => reject(new Error(`the test API server process ended before it was ready (exit ${code})`)));
  });
  const user = (name: string): UserAccess => {
    const access = ready.users[name];
    if (access === undefined) throw new Error(`the bench server has no user ${name}`);
    return access;
  };
  return {
    url: ready.url,
    caPem: ready.caPem,
    kubeconfigYaml: (name) => user(name).yaml,
    kubeconfigPath: (name) => user(name).path,
    contextName: (name) => user(name).context,
    async close() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function serve(setup: KubeServerSetup): Promise<void> {
  const kube = await startKubeTestServer({ nodes: setup.nodes, timings: { kubeletStartDelayMs: 0, containerStopMs: 0 } });
  for (const namespace of setup.namespaces ?? []) kube.addNamespace(namespace);
  for (const deployment of setup.deployments) kube.applyDeployment(deployment);
  const running = (deployment: DeploymentShape): boolean =>
    kube.podsOf(deployment.namespace ?? 'default', deployment.name).filter((pod) => pod.status?.phase === 'Running').length === (deployment.replicas ?? 1);
  await kube.waitFor(() => setup.deployments.every(running), 600_000, 'every pod running');
  const users: Record<string, UserAccess> = {};
  for (const name of benchUsers) users[name] = { yaml: kube.kubeconfigYaml(name, 'default'), path: await kube.kubeconfigPath(name, 'default'), context: kube.contextName(name) };
  process.stdout.write(`${JSON.stringify({ url: kube.url, caPem: kube.caPem, users } satisfies Ready)}\n`);
  process.once('SIGTERM', () => void kube.close().then(() => process.exit(0)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await serve(JSON.parse(process.argv[2] ?? '{}') as KubeServerSetup);
