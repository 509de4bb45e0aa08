// Deployment → ReplicaSets, like kube-controller-manager's deployment controller: one
// ReplicaSet per template (named <deployment>-<pod-template-hash>), revision annotations that
// `kubectl rollout history/undo` read, rolling updates bounded by maxSurge/maxUnavailable,
// Recreate, revision history cleanup, and the status and conditions `kubectl rollout status`
// and `kubectl get deploy` read.

import type { KubeContext } from '../context.ts';
import { deleteObject } from '../lifecycle.ts';
import { setCondition } from '../model/conditions.ts';
import { deepClone, type Deployment, type ReplicaSet } from '../model/types.ts';
import { HASH_LABEL, podTemplateHash, templateWithoutHash } from './pod-template-hash.ts';
import { ownerKey, splitKey, WorkQueue } from './work-queue.ts';

const REVISION = 'deployment.kubernetes.io/revision';
const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
const CHANGE_CAUSE = 'kubernetes.io/change-cause';
const SOURCE = { component: 'deployment-controller' };

function revisionOf(rs: ReplicaSet): number {
  return Number(rs.metadata.annotations?.[REVISION] ?? '0') || 0;
}

function resolve(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const percent = Number(value.replace('%', ''));
  const raw = (percent * total) / 100;
  return roundUp ? Math.ceil(raw) : Math.floor(raw);
}

export function surgeAndUnavailable(deployment: Deployment): { maxSurge: number; maxUnavailable: number } {
  const replicas = deployment.spec.replicas ?? 1;
  if (deployment.spec.strategy?.type === 'Recreate') return { maxSurge: 0, maxUnavailable: replicas };
  const rolling = deployment.spec.strategy?.rollingUpdate;
  const maxSurge = resolve(rolling?.maxSurge ?? '25%', replicas, true);
  let maxUnavailable = resolve(rolling?.maxUnavailable ?? '25%', replicas, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable: Math.min(maxUnavailable, replicas) };
}

export class DeploymentController {
  private readonly context: KubeContext;
  readonly queue: WorkQueue;

  constructor(context: KubeContext) {
    this.context = context;
    this.queue = new WorkQueue('deployment-controller', context.timers, (key) => this.sync(key));
    context.store.subscribe((change) => {
      if (change.typeKey === 'deployments.apps') this.queue.add(`${change.object.metadata.namespace ?? ''}/${change.object.metadata.name ?? ''}`);
      if (change.typeKey === 'replicasets.apps') {
        const owner = ownerKey(change.object, 'Deployment');
        if (owner) this.queue.add(owner);
      }
    });
  }

  private ownedReplicaSets(deployment: Deployment): ReplicaSet[] {
    return this.context.store
      .list<ReplicaSet>('replicasets.apps', deployment.metadata.namespace)
      .filter((rs) => rs.metadata.ownerReferences?.some((reference) => reference.controller && reference.uid === deployment.metadata.uid));
  }

  private scale(rs: ReplicaSet, replicas: number, deployment: Deployment): void {
    const from = rs.spec.replicas ?? 0;
    if (from === replicas) return;
    this.context.store.mutate<ReplicaSet>('replicasets.apps', rs.metadata.namespace ?? '', rs.metadata.name ?? '', (copy) => {
      copy.spec.replicas = replicas;
      copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), 'deployment.kubernetes.io/desired-replicas': String(deployment.spec.replicas ?? 1), 'deployment.kubernetes.io/max-replicas': String((deployment.spec.replicas ?? 1) + surgeAndUnavailable(deployment).maxSurge) };
    });
    rs.spec.replicas = replicas;
    const direction = replicas > from ? 'up' : 'down';
    this.context.events.record(deployment, 'Normal', 'ScalingReplicaSet', `Scaled ${direction} replica set ${rs.metadata.name ?? ''} from ${from} to ${replicas}`, SOURCE);
  }

  private createReplicaSet(deployment: Deployment, revision: number, replicas: number): ReplicaSet {
    const hash = podTemplateHash(deployment.spec.template);
    const template = deepClone(deployment.spec.template);
    template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash } };
    const annotations: Record<string, string> = {
      'deployment.kubernetes.io/desired-replicas': String(deployment.spec.replicas ?? 1),
      'deployment.kubernetes.io/max-replicas': String((deployment.spec.replicas ?? 1) + surgeAndUnavailable(deployment).maxSurge),
      [REVISION]: String(revision),
    };
    const cause = deployment.metadata.annotations?.[CHANGE_CAUSE];
    if (cause) annotations[CHANGE_CAUSE] = cause;
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${deployment.metadata.name ?? ''}-${hash}`,
        namespace: deployment.metadata.namespace,
        labels: { ...(template.metadata.labels ?? {}) },
        annotations,
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name ?? '', uid: deployment.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
      },
      spec: {
        replicas,
        minReadySeconds: deployment.spec.minReadySeconds ?? 0,
        selector: { ...deployment.spec.selector, matchLabels: { ...(deployment.spec.selector.matchLabels ?? {}), [HASH_LABEL]: hash } },
        template,
      },
      status: { replicas: 0 },
    };
    const created = this.context.store.create('replicasets.apps', rs);
    if (replicas > 0) this.context.events.record(deployment, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${rs.metadata.name ?? ''} from 0 to ${replicas}`, SOURCE);
    return created;
  }

  sync(key: string): void {
    const [namespace, name] = splitKey(key);
    const stored = this.context.store.get<Deployment>('deployments.apps', namespace, name);
    if (!stored || stored.metadata.deletionTimestamp) return;
    const deployment = deepClone(stored);
    const all = this.ownedReplicaSets(deployment).map((rs) => deepClone(rs));
    const desiredTemplate = templateWithoutHash(deployment.spec.template);
    let newRs = all.find((rs) => templateWithoutHash(rs.spec.template) === desiredTemplate);
    const maxRevision = Math.max(0, ...all.map(revisionOf));
    const replicas = deployment.spec.replicas ?? 1;
    const { maxSurge, maxUnavailable } = surgeAndUnavailable(deployment);
    let progressing: { reason: string; message: string } | undefined;

    if (!deployment.spec.paused) {
      if (!newRs) {
        const current = all.reduce((sum, rs) => sum + (rs.spec.replicas ?? 0), 0);
        const hasOld = all.some((rs) => (rs.spec.replicas ?? 0) > 0);
        const initial = deployment.spec.strategy?.type === 'Recreate' && hasOld ? 0 : hasOld ? Math.max(0, Math.min(replicas, replicas + maxSurge - current)) : replicas;
        newRs = deepClone(this.createReplicaSet(deployment, maxRevision + 1, initial));
        progressing = { reason: 'NewReplicaSetCreated', message: `Created new replica set "${newRs.metadata.name ?? ''}"` };
      } else if (revisionOf(newRs) < maxRevision) {
        // Rollback (or a template that came back): the old ReplicaSet becomes the newest revision.
        const previous = revisionOf(newRs);
        const history = [newRs.metadata.annotations?.[REVISION_HISTORY], String(previous)].filter(Boolean).join(',');
        const updated = this.context.store.mutate<ReplicaSet>('replicasets.apps', namespace, newRs.metadata.name ?? '', (copy) => {
          copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), [REVISION]: String(maxRevision + 1), [REVISION_HISTORY]: history };
          const cause = deployment.metadata.annotations?.[CHANGE_CAUSE];
          if (cause) copy.metadata.annotations[CHANGE_CAUSE] = cause;
        });
        if (updated) newRs = deepClone(updated);
      }
      const old = all.filter((rs) => rs !== newRs && rs.metadata.uid !== newRs?.metadata.uid);
      this.rollout(deployment, newRs, old, replicas, maxSurge, maxUnavailable);
      this.cleanupHistory(deployment, old);
    }
    this.updateStatus(deployment, newRs, all, progressing);
  }

  private rollout(deployment: Deployment, newRs: ReplicaSet, old: ReplicaSet[], replicas: number, maxSurge: number, maxUnavailable: number): void {
    const activeOld = old.filter((rs) => (rs.spec.replicas ?? 0) > 0);
    if (deployment.spec.strategy?.type === 'Recreate') {
      for (const rs of activeOld) this.scale(rs, 0, deployment);
      const oldPods = old.reduce((sum, rs) => sum + (rs.status?.replicas ?? 0), 0);
      if (oldPods === 0) this.scale(newRs, replicas, deployment);
      return;
    }
    if (activeOld.length === 0) {
      this.scale(newRs, replicas, deployment);
      return;
    }
    const newReplicas = newRs.spec.replicas ?? 0;
    if (newReplicas > replicas) this.scale(newRs, replicas, deployment);
    else {
      const total = [newRs, ...old].reduce((sum, rs) => sum + (rs.spec.replicas ?? 0), 0);
      const room = replicas + maxSurge - total;
      if (room > 0) this.scale(newRs, newReplicas + Math.min(room, replicas - newReplicas), deployment);
    }
    // Scale old ReplicaSets down while keeping replicas - maxUnavailable pods available.
    const minAvailable = replicas - maxUnavailable;
    const total = [newRs, ...old].reduce((sum, rs) => sum + (rs.spec.replicas ?? 0), 0);
    const newUnavailable = (newRs.spec.replicas ?? 0) - (newRs.status?.availableReplicas ?? 0);
    let budget = total - minAvailable - newUnavailable;
    if (budget <= 0) return;
    const sorted = [...activeOld].sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
    for (const rs of sorted) {
      const unhealthy = (rs.spec.replicas ?? 0) - (rs.status?.availableReplicas ?? 0);
      if (unhealthy <= 0 || budget <= 0) continue;
      const down = Math.min(budget, unhealthy);
      this.scale(rs, (rs.spec.replicas ?? 0) - down, deployment);
      budget -= down;
    }
    const available = [newRs, ...old].reduce((sum, rs) => sum + Math.min(rs.status?.availableReplicas ?? 0, rs.spec.replicas ?? 0), 0);
    let scaleDown = Math.min(budget, available - minAvailable);
    for (const rs of sorted) {
      if (scaleDown <= 0) break;
      const current = rs.spec.replicas ?? 0;
      if (current === 0) continue;
      const down = Math.min(current, scaleDown);
      this.scale(rs, current - down, deployment);
      scaleDown -= down;
    }
  }

  private cleanupHistory(deployment: Deployment, old: ReplicaSet[]): void {
    const limit = deployment.spec.revisionHistoryLimit ?? 10;
    const idle = old.filter((rs) => (rs.spec.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0).sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
      deleteObject(this.context, 'replicasets.apps', rs.metadata.namespace ?? '', rs.metadata.name ?? '');
    }
  }

  private updateStatus(deployment: Deployment, newRs: ReplicaSet | undefined, all: ReplicaSet[], progressing: { reason: string; message: string } | undefined): void {
    const namespace = deployment.metadata.namespace ?? '';
    const current = this.ownedReplicaSets(deployment);
    const sum = (field: 'replicas' | 'readyReplicas' | 'availableReplicas'): number => current.reduce((total, rs) => total + (rs.status?.[field] ?? 0), 0);
    const replicas = deployment.spec.replicas ?? 1;
    const freshNew = newRs ? current.find((rs) => rs.metadata.uid === newRs.metadata.uid) : undefined;
    const updatedReplicas = freshNew?.status?.replicas ?? 0;
    const available = sum('availableReplicas');
    const total = sum('replicas');
    const { maxUnavailable } = surgeAndUnavailable(deployment);
    const complete = updatedReplicas === replicas && total === replicas && available >= replicas && (freshNew?.status?.availableReplicas ?? 0) === replicas;
    const rsName = freshNew?.metadata.name ?? newRs?.metadata.name ?? '';
    void all;
    this.context.store.mutate<Deployment>('deployments.apps', namespace, deployment.metadata.name ?? '', (copy) => {
      if (freshNew) {
        const revision = freshNew.metadata.annotations?.[REVISION];
        if (revision) copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), [REVISION]: revision };
      }
      const status = copy.status ?? {};
      status.observedGeneration = copy.metadata.generation;
      status.replicas = total;
      status.updatedReplicas = updatedReplicas;
      status.readyReplicas = sum('readyReplicas');
      status.availableReplicas = available;
      status.unavailableReplicas = Math.max(0, replicas - available);
      for (const field of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const) if (status[field] === 0) delete status[field];
      const minimum = available >= replicas - maxUnavailable;
      let conditions = setCondition(
        status.conditions,
        minimum
          ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
          : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
        { withUpdateTime: true },
      );
      const progress = copy.spec.paused
        ? { reason: 'DeploymentPaused', message: 'Deployment is paused' }
        : (progressing ?? (complete ? { reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rsName}" has successfully progressed.` } : { reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rsName}" is progressing.` }));
      conditions = setCondition(conditions, { type: 'Progressing', status: copy.spec.paused ? 'Unknown' : 'True', ...progress }, { withUpdateTime: true });
      // kubectl prints Progressing after Available, as the controller orders them.
      status.conditions = conditions.sort((a, b) => (a.type === 'Available' ? -1 : b.type === 'Available' ? 1 : 0));
      copy.status = status;
    });
  }
}
