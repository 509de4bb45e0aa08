import type { V1Node, V1NodeSelectorRequirement, V1Pod, V1Taint, V1Toleration } from '@kubernetes/client-node';

// Whether a pod may land on a node by its own placement rules: taints and tolerations, node
// selector requirements, required node affinity. Pure; the Pending analysis judges nodes with it.

export function taintText(taint: Pick<V1Taint, 'key' | 'value' | 'effect'>): string {
  return `${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`;
}

export function tolerates(tolerations: readonly V1Toleration[] | undefined, taint: V1Taint): boolean {
  return (tolerations ?? []).some((toleration) => {
    if (toleration.effect && toleration.effect !== taint.effect) return false;
    if (!toleration.key) return toleration.operator === 'Exists';
    if (toleration.key !== taint.key) return false;
    return toleration.operator === 'Exists' || (toleration.value ?? '') === (taint.value ?? '');
  });
}

function requirementMatches(labels: Record<string, string>, requirement: V1NodeSelectorRequirement): boolean {
  const has = Object.hasOwn(labels, requirement.key);
  const value = labels[requirement.key] ?? '';
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return has && values.includes(value);
    case 'NotIn':
      return !has || !values.includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      const number = Number(value);
      const bound = Number(values[0]);
      return has && Number.isFinite(number) && (requirement.operator === 'Gt' ? number > bound : number < bound);
    }
    default:
      return false;
  }
}

export function requirementText(requirement: V1NodeSelectorRequirement): string {
  const values = requirement.values ?? [];
  return values.length > 0 ? `${requirement.key} ${requirement.operator} (${values.join(', ')})` : `${requirement.key} ${requirement.operator}`;
}

export function affinityMatches(pod: V1Pod, node: V1Node): boolean {
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  if (terms.length === 0) return true;
  const labels = node.metadata?.labels ?? {};
  return terms.some((term) => {
    const expressions = term.matchExpressions ?? [];
    const fields = term.matchFields ?? [];
    if (expressions.length === 0 && fields.length === 0) return false;
    return expressions.every((expression) => requirementMatches(labels, expression)) && fields.every((field) => requirementMatches({ 'metadata.name': node.metadata?.name ?? '' }, field));
  });
}
