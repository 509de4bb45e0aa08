import type { KubeconfigModel, NamedCluster, NamedContext, NamedUser } from './model.ts';

/**
 * Merges the files of a multi-file KUBECONFIG the way kubectl does: for clusters, users and
 * contexts the first file that defines a name wins and later definitions are ignored; the
 * first non-empty current-context wins. (client-node's own merge throws on duplicates.)
 */
export function mergeKubeconfigs(models: readonly KubeconfigModel[]): KubeconfigModel {
  return {
    source: models.map((m) => m.source).join(', ') || '(no kubeconfig files)',
    currentContext: models.find((m) => m.currentContext)?.currentContext,
    clusters: firstWins<NamedCluster>(models.map((m) => m.clusters)),
    users: firstWins<NamedUser>(models.map((m) => m.users)),
    contexts: firstWins<NamedContext>(models.map((m) => m.contexts)),
  };
}

function firstWins<T extends { name: string }>(lists: ReadonlyArray<readonly T[]>): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const list of lists) {
    for (const entry of list) {
      if (seen.has(entry.name)) continue;
      seen.add(entry.name);
      out.push(entry);
    }
  }
  return out;
}
