// ReplicaSet → Pods: create or delete pods until the owned, active count matches spec.replicas,
// and report replicas/ready/available in status.

import type { KubeContext } from '../context.ts';
import { admit } from '../api/admission.ts';
import { typeByKey } from '../api/resources.ts';
import { randomSuffix } from '../api/rest.ts';
import { deleteObject } from '../lifecycle.ts';
import { conditionStatus } from '../model/conditions.ts';
import { deepClone, type Pod, type ReplicaSet } from '../model/types.ts';
import { ownerKey, splitKey, WorkQueue } from './work-queue.ts';

const SOURCE = { component: 'replicaset-controller' };
const BURST = 500;

export function isActive(pod: Pod): boolean {
  return !pod.metadata.deletionTimestamp && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
}

export function isReady(pod: Pod): boolean {
  return conditionStatus(pod.status?.conditions, 'Ready') === 'True';
}

/** Pods to remove first when scaling down: unscheduled, then pending, then not ready, then newest. */
function deletionRank(pod: Pod): number {
  if (!pod.spec.nodeName) return 0;
  if (pod.status?.phase === 'Pending') return 1;
  if (!isReady(pod)) return 2;
  return 3;
}

export class ReplicaSetController {
  private readonly context: KubeContext;
  readonly queue: WorkQueue;

  constructor(context: KubeContext) {
    this.context = context;
    this.queue = new WorkQueue('replicaset-controller', context.timers, (key) => this.sync(key));
    context.store.subscribe((change) => {
      if (change.typeKey === 'replicasets.apps') this.queue.add(`${change.object.metadata.namespace ?? ''}/${change.object.metadata.name ?? ''}`);
      if (change.typeKey === 'pods') {
        const owner = ownerKey(change.object, 'ReplicaSet');
        if (owner) this.queue.add(owner);
      }
    });
  }

  private ownedPods(rs: ReplicaSet): Pod[] {
    return this.context.store.controlledBy<Pod>('pods', rs.metadata.namespace ?? '', rs.metadata.uid ?? '');
  }

  private createPod(rs: ReplicaSet): void {
    const template = deepClone(rs.spec.template);
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${rs.metadata.name ?? ''}-${randomSuffix()}`,
        generateName: `${rs.metadata.name ?? ''}-`,
        namespace: rs.metadata.namespace,
        labels: { ...(template.metadata?.labels ?? {}) },
        ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name ?? '', uid: rs.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
      },
      spec: template.spec,
    };
    admit(typeByKey('pods'), pod, true);
    this.context.store.create('pods', pod);
    this.context.events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name ?? ''}`, SOURCE);
  }

  sync(key: string): void {
    const [namespace, name] = splitKey(key);
    const rs = this.context.store.get<ReplicaSet>('replicasets.apps', namespace, name);
    if (!rs || rs.metadata.deletionTimestamp) return;
    const pods = this.ownedPods(rs);
    const active = pods.filter(isActive);
    const desired = rs.spec.replicas ?? 1;
    if (active.length < desired) {
      const missing = Math.min(desired - active.length, BURST);
      for (let index = 0; index < missing; index++) this.createPod(rs);
      if (desired - active.length > BURST) this.queue.add(key);
    } else if (active.length > desired) {
      const victims = [...active]
        .sort((a, b) => deletionRank(a) - deletionRank(b) || (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''))
        .slice(0, active.length - desired);
      for (const pod of victims) {
        deleteObject(this.context, 'pods', namespace, pod.metadata.name ?? '');
        this.context.events.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name ?? ''}`, SOURCE);
      }
    }
    // the same pods unless this sync created or deleted some: a status change costs one pass, not two
    const now = active.length === desired ? active : this.ownedPods(rs).filter(isActive);
    const ready = now.filter(isReady).length;
    this.context.store.mutate<ReplicaSet>('replicasets.apps', namespace, name, (copy) => {
      const status = copy.status ?? {};
      status.replicas = now.length;
      status.fullyLabeledReplicas = now.length;
      status.readyReplicas = ready;
      status.availableReplicas = ready;
      status.observedGeneration = copy.metadata.generation;
      for (const field of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'] as const) if (status[field] === 0) delete status[field];
      copy.status = status;
    });
  }
}
