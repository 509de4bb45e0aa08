// Deletion as the apiserver does it: pods on a node get a graceful deletion (deletionTimestamp
// set, the kubelet stops them, then they go), namespaces go Terminating until emptied, the
// rest are removed at once. Dependents are left to the garbage collector unless orphaned.

import type { KubeContext } from './context.ts';
import { typeByKey } from './api/resources.ts';
import { conflict, notFound, ApiError } from './api/status.ts';
import { timestamp } from './model/time.ts';
import { deepClone, type KubeObject, type Pod } from './model/types.ts';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  dryRun?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface DeleteResult {
  object: KubeObject;
  /** True when the object is gone; false when it is now terminating. */
  removed: boolean;
}

function removeNow(context: KubeContext, typeKey: string, object: KubeObject, options: DeleteOptions): DeleteResult {
  if (options.dryRun) return { object, removed: true };
  if (options.propagationPolicy === 'Orphan') orphanDependents(context, object);
  const removed = context.store.remove(typeKey, object.metadata.namespace ?? '', object.metadata.name ?? '');
  return { object: removed ?? object, removed: true };
}

function orphanDependents(context: KubeContext, owner: KubeObject): void {
  for (const typeKey of ['replicasets.apps', 'pods']) {
    for (const dependent of context.store.list(typeKey, owner.metadata.namespace)) {
      if (!dependent.metadata.ownerReferences?.some((reference) => reference.uid === owner.metadata.uid)) continue;
      context.store.mutate(typeKey, dependent.metadata.namespace ?? '', dependent.metadata.name ?? '', (copy) => {
        copy.metadata.ownerReferences = copy.metadata.ownerReferences?.filter((reference) => reference.uid !== owner.metadata.uid);
        if (copy.metadata.ownerReferences?.length === 0) delete copy.metadata.ownerReferences;
      });
    }
  }
}

export function deleteObject(context: KubeContext, typeKey: string, namespace: string, name: string, options: DeleteOptions = {}): DeleteResult {
  const type = typeByKey(typeKey);
  const current = context.store.get(typeKey, namespace, name);
  if (!current) throw notFound(type.group, type.plural, name);
  const preconditions = options.preconditions;
  if (preconditions?.uid && preconditions.uid !== current.metadata.uid) {
    throw new ApiError(409, 'Conflict', `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${current.metadata.uid ?? ''}`);
  }
  if (preconditions?.resourceVersion && preconditions.resourceVersion !== current.metadata.resourceVersion) throw conflict(type.group, type.plural, name);

  if (typeKey === 'namespaces') {
    if (options.dryRun) return { object: current, removed: false };
    const updated = context.store.mutate(typeKey, namespace, name, (copy) => {
      copy.metadata.deletionTimestamp ??= timestamp();
      copy.status = { phase: 'Terminating' };
    });
    return { object: updated ?? current, removed: false };
  }

  if (typeKey === 'pods') {
    const pod = current as Pod;
    const phase = pod.status?.phase;
    let grace = options.gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
    if (!pod.spec.nodeName || phase === 'Succeeded' || phase === 'Failed') grace = 0;
    if (grace <= 0) return removeNow(context, typeKey, current, options);
    const deadline = new Date(Date.now() + grace * 1000);
    if (pod.metadata.deletionTimestamp && Date.parse(pod.metadata.deletionTimestamp) <= deadline.getTime()) return { object: current, removed: false };
    if (options.dryRun) {
      const preview = deepClone(pod);
      preview.metadata.deletionTimestamp = timestamp(deadline);
      preview.metadata.deletionGracePeriodSeconds = grace;
      return { object: preview, removed: false };
    }
    const updated = context.store.mutate<Pod>(typeKey, namespace, name, (copy) => {
      copy.metadata.deletionTimestamp = timestamp(deadline);
      copy.metadata.deletionGracePeriodSeconds = grace;
    });
    return { object: updated ?? current, removed: false };
  }
  return removeNow(context, typeKey, current, options);
}
