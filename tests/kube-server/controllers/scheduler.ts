// A scheduler stand-in with the default plugins' filters (NodeUnschedulable, TaintToleration,
// NodeAffinity, NodeResourcesFit, VolumeBinding) and the real FitError wording, e.g.
// "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {k: v}.
//  preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling."

import type { KubeContext } from '../context.ts';
import { setCondition } from '../model/conditions.ts';
import { parseQuantity } from '../model/quantity.ts';
import { matchesRequirements, type Requirement } from '../model/selectors.ts';
import type { Container, Node, PersistentVolumeClaim, Pod, Taint, Toleration } from '../model/types.ts';
import { isActive } from './replicaset-controller.ts';
import { splitKey, WorkQueue } from './work-queue.ts';

const SOURCE = { component: 'default-scheduler' };

interface FilterFailure {
  reasons: string[];
  /** Resource shortage may be solved by preemption; taints and affinity cannot. */
  resolvable: boolean;
}

export function podRequests(pod: Pod): Map<string, number> {
  const total = new Map<string, number>();
  const add = (container: Container, into: Map<string, number>): void => {
    for (const [resource, value] of Object.entries(container.resources?.requests ?? container.resources?.limits ?? {})) {
      into.set(resource, (into.get(resource) ?? 0) + parseQuantity(value));
    }
  };
  for (const container of pod.spec.containers) add(container, total);
  for (const container of pod.spec.initContainers ?? []) {
    const init = new Map<string, number>();
    add(container, init);
    for (const [resource, value] of init) total.set(resource, Math.max(total.get(resource) ?? 0, value));
  }
  return total;
}

function tolerates(tolerations: Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((toleration) => {
    if (toleration.effect && toleration.effect !== taint.effect) return false;
    if (!toleration.key) return toleration.operator === 'Exists';
    if (toleration.key !== taint.key) return false;
    return toleration.operator === 'Exists' || (toleration.value ?? '') === (taint.value ?? '');
  });
}

function matchesAffinity(pod: Pod, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [key, value] of Object.entries(pod.spec.nodeSelector ?? {})) if (labels[key] !== value) return false;
  const terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms || terms.length === 0) return true;
  return terms.some((term) => {
    const expressions = term.matchExpressions ?? [];
    const fields = term.matchFields ?? [];
    if (expressions.length === 0 && fields.length === 0) return false;
    const toRequirement = (expression: { key: string; operator: string; values?: string[] }): Requirement | undefined =>
      ['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(expression.operator) ? { key: expression.key, operator: expression.operator as Requirement['operator'], values: expression.values ?? [] } : undefined;
    const numeric = expressions.filter((expression) => expression.operator === 'Gt' || expression.operator === 'Lt');
    const numericOk = numeric.every((expression) => {
      const value = Number(labels[expression.key]);
      const bound = Number(expression.values?.[0]);
      return Number.isFinite(value) && (expression.operator === 'Gt' ? value > bound : value < bound);
    });
    const requirements = expressions.map(toRequirement).filter((requirement): requirement is Requirement => requirement !== undefined);
    const fieldsOk = fields.every((field) => field.key !== 'metadata.name' || (field.operator === 'In') === (field.values ?? []).includes(node.metadata.name ?? ''));
    return numericOk && fieldsOk && matchesRequirements(labels, requirements);
  });
}

export class Scheduler {
  private readonly context: KubeContext;
  readonly queue: WorkQueue;
  /** Requests per node, kept between scheduling decisions and dropped when pods come or go. */
  private usageCache: Map<string, Map<string, number>> | undefined;
  private binding = false;

  constructor(context: KubeContext) {
    this.context = context;
    this.queue = new WorkQueue('scheduler', context.timers, (key) => this.schedule(key));
    context.store.subscribe((change) => {
      if (change.typeKey === 'pods') {
        const pod = change.object as Pod;
        if (!this.binding && pod.spec.nodeName && (change.type !== 'MODIFIED' || !isActive(pod))) this.usageCache = undefined;
        if (change.type !== 'DELETED' && !pod.spec.nodeName) this.queue.add(`${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`);
        else if (change.type === 'DELETED' && pod.spec.nodeName) this.retryPending();
      }
      if (change.typeKey === 'nodes' || change.typeKey === 'persistentvolumeclaims') this.retryPending();
    });
  }

  private retryPending(): void {
    for (const pod of this.context.store.list<Pod>('pods')) {
      if (!pod.spec.nodeName && !pod.metadata.deletionTimestamp) this.queue.add(`${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`);
    }
  }

  private filterNode(pod: Pod, node: Node, usage: Map<string, Map<string, number>>, requests: Map<string, number>): FilterFailure | undefined {
    if (node.spec.unschedulable && !tolerates(pod.spec.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) {
      return { reasons: ['node(s) were unschedulable'], resolvable: false };
    }
    const taint = (node.spec.taints ?? []).find((candidate) => (candidate.effect === 'NoSchedule' || candidate.effect === 'NoExecute') && !tolerates(pod.spec.tolerations, candidate));
    if (taint) return { reasons: [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`], resolvable: false };
    if (!matchesAffinity(pod, node)) return { reasons: ["node(s) didn't match Pod's node affinity/selector"], resolvable: false };
    const allocatable = node.status?.allocatable ?? node.status?.capacity ?? {};
    const used = usage.get(node.metadata.name ?? '') ?? new Map<string, number>();
    const reasons: string[] = [];
    if ((used.get('pods') ?? 0) + 1 > parseQuantity(allocatable.pods ?? '110')) reasons.push('Too many pods');
    for (const [resource, amount] of requests) {
      if (amount <= 0) continue;
      const capacity = allocatable[resource] === undefined ? 0 : parseQuantity(allocatable[resource]);
      if ((used.get(resource) ?? 0) + amount > capacity + 1e-9) reasons.push(`Insufficient ${resource}`);
    }
    return reasons.length > 0 ? { reasons, resolvable: true } : undefined;
  }

  private nodeUsage(): Map<string, Map<string, number>> {
    this.usageCache ??= this.computeUsage();
    return this.usageCache;
  }

  private computeUsage(): Map<string, Map<string, number>> {
    const usage = new Map<string, Map<string, number>>();
    for (const pod of this.context.store.list<Pod>('pods')) {
      if (!pod.spec.nodeName || !isActive(pod)) continue;
      let node = usage.get(pod.spec.nodeName);
      if (!node) {
        node = new Map();
        usage.set(pod.spec.nodeName, node);
      }
      node.set('pods', (node.get('pods') ?? 0) + 1);
      for (const [resource, amount] of podRequests(pod)) node.set(resource, (node.get(resource) ?? 0) + amount);
    }
    return usage;
  }

  private volumeProblem(pod: Pod): string | undefined {
    for (const volume of pod.spec.volumes ?? []) {
      const claim = volume.persistentVolumeClaim?.claimName;
      if (!claim) continue;
      const pvc = this.context.store.get<PersistentVolumeClaim>('persistentvolumeclaims', pod.metadata.namespace ?? '', claim);
      if (!pvc) return `persistentvolumeclaim "${claim}" not found`;
      if (pvc.status?.phase !== 'Bound') return 'pod has unbound immediate PersistentVolumeClaims';
    }
    return undefined;
  }

  schedule(key: string): void {
    const [namespace, name] = splitKey(key);
    const pod = this.context.store.get<Pod>('pods', namespace, name);
    if (!pod || pod.spec.nodeName || pod.metadata.deletionTimestamp) return;
    if ((pod.spec.schedulerName ?? 'default-scheduler') !== 'default-scheduler') return;
    const nodes = this.context.store.list<Node>('nodes');
    const count = nodes.length;
    if (count === 0) return this.fail(pod, 'no nodes available to schedule pods');
    const volumeProblem = this.volumeProblem(pod);
    if (volumeProblem) {
      return this.fail(pod, `0/${count} nodes are available: ${volumeProblem}. preemption: 0/${count} nodes are available: ${count} Preemption is not helpful for scheduling.`);
    }
    const usage = this.nodeUsage();
    const requests = podRequests(pod);
    const reasons = new Map<string, number>();
    const preemption = new Map<string, number>();
    const feasible: Node[] = [];
    for (const node of nodes) {
      const failure = this.filterNode(pod, node, usage, requests);
      if (!failure) {
        feasible.push(node);
        continue;
      }
      for (const reason of failure.reasons) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      const verdict = failure.resolvable ? 'No preemption victims found for incoming pod' : 'Preemption is not helpful for scheduling';
      preemption.set(verdict, (preemption.get(verdict) ?? 0) + 1);
    }
    if (feasible.length === 0) {
      const histogram = (map: Map<string, number>): string => [...map].map(([reason, times]) => `${times} ${reason}`).sort().join(', ');
      return this.fail(pod, `0/${count} nodes are available: ${histogram(reasons)}. preemption: 0/${count} nodes are available: ${histogram(preemption)}.`);
    }
    // LeastAllocated scoring, with the scheduler's non-zero defaults for pods without requests.
    const score = (node: Node): number => {
      const used = usage.get(node.metadata.name ?? '');
      const allocatable = node.status?.allocatable ?? {};
      const cpu = ((used?.get('cpu') ?? 0) + (used?.get('pods') ?? 0) * 0.1) / (parseQuantity(allocatable.cpu ?? '1') || 1);
      const memory = ((used?.get('memory') ?? 0) + (used?.get('pods') ?? 0) * 200 * 2 ** 20) / (parseQuantity(allocatable.memory ?? '1Gi') || 1);
      return cpu + memory;
    };
    const chosen = feasible.reduce((best, node) => (score(node) < score(best) ? node : best));
    this.bind(pod, chosen);
  }

  private bind(pod: Pod, node: Node): void {
    const nodeName = node.metadata.name ?? '';
    const usage = this.usageCache?.get(nodeName) ?? new Map<string, number>();
    this.usageCache?.set(nodeName, usage);
    usage.set('pods', (usage.get('pods') ?? 0) + 1);
    for (const [resource, amount] of podRequests(pod)) usage.set(resource, (usage.get(resource) ?? 0) + amount);
    this.binding = true;
    const bound = this.context.store.mutate<Pod>('pods', pod.metadata.namespace ?? '', pod.metadata.name ?? '', (copy) => {
      copy.spec.nodeName = nodeName;
      copy.status = { ...(copy.status ?? {}), conditions: setCondition(copy.status?.conditions, { type: 'PodScheduled', status: 'True' }, { withProbeTime: true }) };
    });
    this.binding = false;
    if (bound) this.context.events.record(bound, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''} to ${nodeName}`, SOURCE);
  }

  private fail(pod: Pod, message: string): void {
    const previous = pod.status?.conditions?.find((condition) => condition.type === 'PodScheduled');
    if (previous?.status === 'False' && previous.message === message) return;
    const updated = this.context.store.mutate<Pod>('pods', pod.metadata.namespace ?? '', pod.metadata.name ?? '', (copy) => {
      copy.status = { ...(copy.status ?? {}), phase: 'Pending', conditions: setCondition(copy.status?.conditions, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }, { withProbeTime: true }) };
    });
    if (updated) this.context.events.record(updated, 'Warning', 'FailedScheduling', message, SOURCE);
  }
}
