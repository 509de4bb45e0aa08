import { dump } from 'js-yaml';
import type { KubeconfigModel } from './model.ts';

/** kubeconfig YAML as kubectl and client-node's `loadFromString` read it. */
export function toKubeconfigYaml(model: KubeconfigModel): string {
  return dump(
    {
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': model.currentContext ?? '',
      clusters: model.clusters,
      users: model.users,
      contexts: model.contexts,
    },
    { lineWidth: -1, noRefs: true },
  );
}
