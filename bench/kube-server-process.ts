// A Kubernetes test API server in a process of its own, for the benches that time the app against
// kubectl or a raw fetch. In the bench's own process the server's TLS and request handling would
// share one thread with the app's main (browser mode runs main in-process) while kubectl's side ran
// on the other core: the app would be charged for the server. A real cluster is elsewhere too.
// Run as a script it is the child: it builds what the parent asks for, waits until every pod runs,
// prints one JSON line of where it is, and serves until SIGTERM (or until its stdin ends). Changes
// the parent asks for while it serves (`KubeServerProcess.command`) are JSON lines on its stdin,
// each answered with a JSON line on its stdout once applied, so the work of applying them (the
// store, the controllers, the kubelet) stays in this process too.

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { toPodRow, type PodRow } from '../electron/main/operations/kubernetes/pod-rows.ts';
import type { V1Pod } from '@kubernetes/client-node';
import { startKubeTestServer, type KubeTestServer } from '../tests/kube-server/index.ts';
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

type Phase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

/** What the parent can ask the server process to change while it serves. */
export type KubeServerCommand =
  /** One pod's phase, as KubeTestServer.setPodPhase (the kubelet stops driving it). */
  | { readonly op: 'setPodPhase'; readonly namespace: string; readonly pod: string; readonly phase: Phase; readonly reason?: string }
  /**
   * `changes` phase changes over a Deployment's running pods, as fast as the server takes them:
   * change i sets pod i (mod their count) to Pending (even i) or Unknown (odd i) with reason
   * `Burst<i>`, yielding to the event loop every 50 changes so watches stream meanwhile.
   */
  | { readonly op: 'burst'; readonly namespace: string; readonly deployment: string; readonly changes: number }
  /** Nothing: answered as soon as the server's event loop gets to it, so its round trip says whether the server is busy. */
  | { readonly op: 'ping' };

/**
 * The answer, once the command is applied: for a burst, each changed pod's status as the Pod List
 * shows it (`podStatusText`), as the server now holds the pod. Names and short texts keep the
 * answer within one pipe buffer: a large answer reached the parent only as fast as it read it.
 */
export interface KubeServerAnswer {
  readonly statuses?: Readonly<Record<string, string>>;
  readonly error?: string;
}

/** What a status change changes in a Pod List row (the server's raw dates and the client's parsed ones print differently). */
export const podStatusText = (row: Pick<PodRow, 'phase' | 'displayStatus' | 'statusTone' | 'ready'>): string => `${row.phase} ${row.displayStatus} ${row.statusTone} ${row.ready}`;

/** The running server as the benches use it: where it is and each user's kubeconfig (namespace "default"). */
export interface KubeServerProcess {
  readonly url: string;
  readonly caPem: string;
  kubeconfigYaml(user: string): string;
  kubeconfigPath(user: string): string;
  contextName(user: string): string;
  /** Sends a change to the server process; resolves once it is applied there (commands run one at a time, in order). */
  command(command: KubeServerCommand): Promise<KubeServerAnswer>;
  /** Resolves once the server answers a ping within 5 ms (nothing left over occupies it), or after 200 pings that took longer. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const benchUsers = ['admin', 'developer'];

export async function startKubeServerProcess(setup: KubeServerSetup): Promise<KubeServerProcess> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), JSON.stringify(setup)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  // the first line says where the server is; each later one answers the oldest command not answered yet
  const answers: ((answer: KubeServerAnswer) => void)[] = [];
  const ready = await new Promise<Ready>((resolve, reject) => {
    lines.once('line', (line) => {
      resolve(JSON.parse(line) as Ready);
      lines.on('line', (answer) => answers.shift()?.(JSON.parse(answer) as KubeServerAnswer));
    });
    child.once('exit', (code) => reject(new Error(`the test API server process ended before it was ready (exit ${code})`)));
  });
  child.once('exit', () => {
    for (const answer of answers.splice(0)) answer({ error: 'the test API server process ended' });
  });
  const user = (name: string): UserAccess => {
    const access = ready.users[name];
    if (access === undefined) throw new Error(`the bench server has no user ${name}`);
    return access;
  };
  const command = async (command: KubeServerCommand): Promise<KubeServerAnswer> => {
    const answer = await new Promise<KubeServerAnswer>((resolve) => {
      answers.push(resolve);
      child.stdin.write(`${JSON.stringify(command)}\n`);
    });
    if (answer.error !== undefined) throw new Error(`the test API server process could not apply ${command.op}: ${answer.error}`);
    return answer;
  };
  return {
    url: ready.url,
    caPem: ready.caPem,
    kubeconfigYaml: (name) => user(name).yaml,
    kubeconfigPath: (name) => user(name).path,
    contextName: (name) => user(name).context,
    command,
    async idle() {
      // a busy server (collecting garbage after serving a large list, controllers catching up) takes a
      // command only when its event loop is free: a measured command must not wait on that
      for (let tries = 0; tries < 200; tries++) {
        const asked = performance.now();
        await command({ op: 'ping' });
        if (performance.now() - asked < 5) return;
      }
    },
    async close() {
      child.stdin.end();
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
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void kube.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  // one command at a time, in order, each answered once applied
  let queue = Promise.resolve();
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    queue = queue.then(async () => {
      let answer: KubeServerAnswer;
      try {
        answer = await apply(kube, JSON.parse(line) as KubeServerCommand);
      } catch (error) {
        answer = { error: error instanceof Error ? error.message : String(error) };
      }
      process.stdout.write(`${JSON.stringify(answer)}\n`);
    });
  });
  // the parent is gone (or closed it): stop serving
  lines.once('close', stop);
}

async function apply(kube: KubeTestServer, command: KubeServerCommand): Promise<KubeServerAnswer> {
  if (command.op === 'ping') return {};
  if (command.op === 'setPodPhase') {
    kube.setPodPhase(command.namespace, command.pod, command.phase, command.reason);
    return {};
  }
  const names = kube
    .podsOf(command.namespace, command.deployment)
    .filter((pod) => !pod.metadata.deletionTimestamp && pod.status?.phase === 'Running')
    .map((pod) => pod.metadata.name ?? '');
  if (names.length === 0) throw new Error(`no running pods of ${command.namespace}/${command.deployment}`);
  for (let change = 0; change < command.changes; change++) {
    kube.setPodPhase(command.namespace, names[change % names.length] ?? '', change % 2 === 0 ? 'Pending' : 'Unknown', `Burst${change}`);
    if (change % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
  }
  // the server's final status of each pod changed: the kubelet no longer drives them
  const changed = new Set(names.slice(0, command.changes));
  const statuses: Record<string, string> = {};
  for (const pod of kube.podsOf(command.namespace, command.deployment)) {
    const name = pod.metadata.name ?? '';
    if (changed.has(name)) statuses[name] = podStatusText(toPodRow(pod as V1Pod));
  }
  return { statuses };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await serve(JSON.parse(process.argv[2] ?? '{}') as KubeServerSetup);
