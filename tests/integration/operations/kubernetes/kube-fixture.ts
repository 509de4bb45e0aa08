// Shared set-up for the Kubernetes operations tests: kubeconfigs per test user, a real audit
// trail and permission gates. Links a test breaks go through tests/support/link-relay.ts.
import { KubeConfig } from '@kubernetes/client-node';
import { AppError } from '../../../../shared/errors.ts';
import { clusterIdentity, type KubernetesAccess, type PermissionGate } from '../../../../electron/main/operations/kubernetes/kubernetes-access.ts';
import type { PodWatch, PodWatchState } from '../../../../electron/main/operations/kubernetes/pod-watch.ts';
import type { KubeTestServer } from '../../../kube-server/index.ts';

export function kubeConfigFor(kube: KubeTestServer, user = 'admin', server?: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  const yaml = kube.kubeconfigYaml(user);
  kubeConfig.loadFromString(server === undefined ? yaml : yaml.replace(kube.url, server));
  return kubeConfig;
}

export function accessFor(kube: KubeTestServer, user = 'admin', environmentId = 'test-cluster'): KubernetesAccess {
  const kubeConfig = kubeConfigFor(kube, user);
  return { kubeConfig, identity: clusterIdentity(kubeConfig), environmentId };
}

export const allowAll: PermissionGate = { require: async () => undefined };

export function denying(message: string): PermissionGate & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async require(environmentId, capability) {
      asked.push(`${environmentId}:${capability}`);
      throw new AppError('PERMISSION_DENIED', message);
    },
  };
}

/** A pod watch's table as its subscriber holds it, applied batch by batch as the renderer does, with every state it reported. */
export function watchedTable(watch: PodWatch): { rows: Map<string, string>; states: PodWatchState[] } {
  const rows = new Map<string, string>();
  const states: PodWatchState[] = [];
  watch.subscribe({
    onChanges: (changes) => {
      if (changes.reset) rows.clear();
      for (const row of changes.upserted) rows.set(row.uid, row.displayStatus);
      for (const uid of changes.removed) rows.delete(uid);
    },
    onState: (state) => states.push(state),
  });
  return { rows, states };
}

/** kubectl's truth: the uids of every pod of the Deployment the server has now, sorted. */
export function podTruth(kube: KubeTestServer, deployment: string, namespace = 'default'): string[] {
  return kube.podsOf(namespace, deployment).map((pod) => pod.metadata.uid ?? '').sort();
}

/** The watched table holds exactly the pods the server has. */
export function matchesTruth(kube: KubeTestServer, rows: Map<string, string>, deployment: string): boolean {
  return JSON.stringify([...rows.keys()].sort()) === JSON.stringify(podTruth(kube, deployment));
}

/** The Deployment's pods running and not being deleted, as the server has them now. */
export function runningPods(kube: KubeTestServer, deployment: string, namespace = 'default') {
  return kube.podsOf(namespace, deployment).filter((pod) => pod.status?.phase === 'Running' && !pod.metadata.deletionTimestamp);
}
