// metrics.k8s.io/v1beta1 PodMetrics and NodeMetrics from the simulated usage, for running
// pods only (metrics-server reports nothing for pods that are not running).

import { formatCpu, formatMemory, parseQuantity } from '../model/quantity.ts';
import { timestamp } from '../model/time.ts';
import type { Node, Pod } from '../model/types.ts';
import type { KubeContext } from '../context.ts';
import { sendJson } from './http.ts';
import { objectMatcher } from './list.ts';
import type { ApiRequest } from './request.ts';
import { methodNotAllowed, notFound } from './status.ts';

function podMetrics(context: KubeContext, pod: Pod): unknown {
  return {
    kind: 'PodMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, creationTimestamp: timestamp(), labels: pod.metadata.labels ?? {} },
    timestamp: timestamp(),
    window: '15s',
    containers: context.metrics.containerUsage(pod).map((usage) => ({ name: usage.name, usage: { cpu: formatCpu(usage.cpuCores), memory: formatMemory(usage.memoryBytes) } })),
  };
}

function running(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && !pod.metadata.deletionTimestamp;
}

/** CPU cores and memory bytes a node uses: a system baseline plus its running pods. */
export function nodeUsage(context: KubeContext, node: Node): { cpu: number; memory: number } {
  let cpu = 0.1;
  let memory = 512 * 2 ** 20;
  for (const pod of context.store.list<Pod>('pods')) {
    if (pod.spec.nodeName !== node.metadata.name || !running(pod)) continue;
    for (const usage of context.metrics.containerUsage(pod)) {
      cpu += usage.cpuCores;
      memory += usage.memoryBytes;
    }
  }
  return { cpu, memory };
}

function nodeMetrics(context: KubeContext, node: Node): unknown {
  const usage = nodeUsage(context, node);
  const capacity = parseQuantity(node.status?.capacity?.memory ?? '0');
  return {
    kind: 'NodeMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: { name: node.metadata.name, creationTimestamp: timestamp(), labels: node.metadata.labels ?? {} },
    timestamp: timestamp(),
    window: '20s',
    usage: { cpu: formatCpu(usage.cpu), memory: formatMemory(capacity > 0 ? Math.min(usage.memory, capacity) : usage.memory) },
  };
}

export function handleMetrics(request: ApiRequest): void {
  const { route, context, query } = request;
  if (request.verb !== 'get' && request.verb !== 'list') throw methodNotAllowed();
  const matches = objectMatcher(query);
  if (route.type.kind === 'PodMetrics') {
    if (request.verb === 'get') {
      const pod = context.store.get<Pod>('pods', route.namespace, route.name);
      if (!pod || !running(pod)) throw notFound('metrics.k8s.io', 'pods', route.name);
      sendJson(request.response, 200, podMetrics(context, pod));
      return;
    }
    const pods = context.store.list<Pod>('pods', route.namespace || undefined).filter((pod) => running(pod) && matches(pod));
    sendJson(request.response, 200, { kind: 'PodMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items: pods.map((pod) => podMetrics(context, pod)) });
    return;
  }
  if (request.verb === 'get') {
    const node = context.store.get<Node>('nodes', '', route.name);
    if (!node) throw notFound('metrics.k8s.io', 'nodes', route.name);
    sendJson(request.response, 200, nodeMetrics(context, node));
    return;
  }
  const nodes = context.store.list<Node>('nodes').filter(matches);
  sendJson(request.response, 200, { kind: 'NodeMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items: nodes.map((node) => nodeMetrics(context, node)) });
}
