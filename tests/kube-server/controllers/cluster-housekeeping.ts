// The smaller kube-controller-manager loops: garbage collection of owned objects, namespace
// deletion, Endpoints for Services, and binding of PersistentVolumeClaims.

import type { KubeContext } from '../context.ts';
import { deleteObject } from '../lifecycle.ts';
import { RESOURCE_TYPES, typeKey } from '../api/resources.ts';
import { conditionStatus } from '../model/conditions.ts';
import type { KubeObject, PersistentVolumeClaim, Pod, Service } from '../model/types.ts';
import { WorkQueue, splitKey } from './work-queue.ts';

/** Storage classes whose claims stay Pending (no provisioner), to test unbound-PVC scheduling. */
const UNPROVISIONED_CLASSES = new Set(['manual', 'no-provisioner']);

export class ClusterHousekeeping {
  private readonly context: KubeContext;
  private readonly endpoints: WorkQueue;
  private readonly namespaces: WorkQueue;

  constructor(context: KubeContext) {
    this.context = context;
    this.endpoints = new WorkQueue('endpoints-controller', context.timers, (key) => this.syncEndpoints(key));
    this.namespaces = new WorkQueue('namespace-controller', context.timers, (key) => this.syncNamespace(key));
    context.store.subscribe((change) => {
      const object = change.object;
      const namespace = object.metadata.namespace ?? '';
      if (change.type === 'DELETED') this.collectDependents(object);
      if (change.typeKey === 'namespaces' && object.metadata.deletionTimestamp) this.namespaces.add(`/${object.metadata.name ?? ''}`);
      else if (namespace && change.type === 'DELETED' && context.store.get('namespaces', '', namespace)?.metadata.deletionTimestamp) this.namespaces.add(`/${namespace}`);
      if (change.typeKey === 'services') this.endpoints.add(`${namespace}/${object.metadata.name ?? ''}`);
      if (change.typeKey === 'pods') {
        for (const service of context.store.list<Service>('services', namespace)) if (service.spec.selector) this.endpoints.add(`${namespace}/${service.metadata.name ?? ''}`);
      }
      if (change.typeKey === 'persistentvolumeclaims' && change.type === 'ADDED') this.bindClaim(object as PersistentVolumeClaim);
    });
  }

  private collectDependents(owner: KubeObject): void {
    const uid = owner.metadata.uid;
    if (!uid || (owner.kind !== 'Deployment' && owner.kind !== 'ReplicaSet')) return;
    const dependentType = owner.kind === 'Deployment' ? 'replicasets.apps' : 'pods';
    for (const dependent of this.context.store.list(dependentType, owner.metadata.namespace)) {
      if (!dependent.metadata.ownerReferences?.some((reference) => reference.uid === uid)) continue;
      this.context.timers.after(0, () => {
        if (this.context.store.get(dependentType, dependent.metadata.namespace ?? '', dependent.metadata.name ?? '')) {
          deleteObject(this.context, dependentType, dependent.metadata.namespace ?? '', dependent.metadata.name ?? '', { propagationPolicy: 'Background' });
        }
      });
    }
  }

  private syncNamespace(key: string): void {
    const [, name] = splitKey(key);
    const namespace = this.context.store.get('namespaces', '', name);
    if (!namespace?.metadata.deletionTimestamp) return;
    let remaining = 0;
    for (const type of RESOURCE_TYPES) {
      if (!type.namespaced || type.optional || type.group === 'authorization.k8s.io') continue;
      const key = typeKey(type);
      for (const object of this.context.store.list(key, name)) {
        remaining++;
        if (!object.metadata.deletionTimestamp) deleteObject(this.context, key, name, object.metadata.name ?? '');
      }
    }
    if (remaining === 0) this.context.store.remove('namespaces', '', name);
    else this.namespaces.add(key, 50);
  }

  private syncEndpoints(key: string): void {
    const [namespace, name] = splitKey(key);
    const service = this.context.store.get<Service>('services', namespace, name);
    if (!service) {
      if (this.context.store.get('endpoints', namespace, name)) this.context.store.remove('endpoints', namespace, name);
      return;
    }
    const selector = service.spec.selector;
    if (!selector || Object.keys(selector).length === 0) return;
    const pods = this.context.store
      .list<Pod>('pods', namespace)
      .filter((pod) => pod.status?.podIP && !pod.metadata.deletionTimestamp && Object.entries(selector).every(([label, value]) => pod.metadata.labels?.[label] === value));
    const address = (pod: Pod): unknown => ({ ip: pod.status?.podIP, nodeName: pod.spec.nodeName, targetRef: { kind: 'Pod', namespace, name: pod.metadata.name, uid: pod.metadata.uid } });
    const ready = pods.filter((pod) => conditionStatus(pod.status?.conditions, 'Ready') === 'True');
    const notReady = pods.filter((pod) => conditionStatus(pod.status?.conditions, 'Ready') !== 'True');
    const ports = (service.spec.ports ?? []).map((port) => ({ ...(port.name ? { name: port.name } : {}), port: typeof port.targetPort === 'number' ? port.targetPort : port.port, protocol: port.protocol ?? 'TCP' }));
    const subsets = pods.length === 0 ? [] : [{ ...(ready.length ? { addresses: ready.map(address) } : {}), ...(notReady.length ? { notReadyAddresses: notReady.map(address) } : {}), ports }];
    const existing = this.context.store.get('endpoints', namespace, name);
    const labels = { ...(service.metadata.labels ?? {}) };
    if (existing) this.context.store.mutate('endpoints', namespace, name, (copy) => {
      copy.subsets = subsets;
    });
    else this.context.store.create('endpoints', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, labels }, subsets });
  }

  private bindClaim(claim: PersistentVolumeClaim): void {
    if (UNPROVISIONED_CLASSES.has(claim.spec.storageClassName ?? '')) return;
    this.context.timers.after(0, () => {
      this.context.store.mutate<PersistentVolumeClaim>('persistentvolumeclaims', claim.metadata.namespace ?? '', claim.metadata.name ?? '', (copy) => {
        copy.spec.volumeName = `pvc-${copy.metadata.uid ?? ''}`;
        copy.spec.storageClassName ??= 'standard';
        copy.status = { phase: 'Bound', accessModes: copy.spec.accessModes ?? ['ReadWriteOnce'], capacity: { storage: copy.spec.resources?.requests?.storage ?? '1Gi' } };
      });
    });
  }
}
