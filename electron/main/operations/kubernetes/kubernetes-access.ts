import type { KubeConfig, V1LabelSelector } from '@kubernetes/client-node';

/**
 * What the operations services need to reach one environment's cluster. The environments /
 * connections side builds it (kubeconfig with proxy-url when tunnelled); nothing here looks
 * environments up.
 */
export interface KubernetesAccess {
  readonly kubeConfig: KubeConfig;
  /** Who the cluster sees acting (user and context): goes into audit rows as actorIdentity. */
  readonly identity: string;
  readonly environmentId: string;
}

/** One deployed Kubernetes service: a Deployment in a namespace. */
export interface KubernetesServiceRef {
  readonly namespace: string;
  readonly deployment: string;
}

export type OperationsCapability = 'management' | 'logs' | 'commands';

/**
 * Decides whether the app user may act on an environment. Throws AppError PERMISSION_DENIED
 * (with a readable message) when not; resolves otherwise. Built by the permissions side.
 */
export interface PermissionGate {
  require(environmentId: string, capability: OperationsCapability): Promise<void>;
}

/** `user "alice" in context "prod"` style identity for audit rows, from the kubeconfig in use. */
export function clusterIdentity(kubeConfig: KubeConfig): string {
  const context = kubeConfig.getCurrentContext();
  const user = kubeConfig.getCurrentUser()?.name ?? 'unknown-user';
  const identity = `${user}@${context || 'no-context'}`;
  return identity.length <= 200 ? identity : identity.slice(0, 200);
}

/**
 * A Deployment's label selector in the query syntax the API server takes (`app=web,tier in (a,b)`).
 * An empty selector would match every pod in the namespace, so it is refused.
 */
export function labelSelectorQuery(selector: V1LabelSelector | undefined): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) parts.push(`${key}=${value}`);
  for (const expression of selector?.matchExpressions ?? []) {
    const values = (expression.values ?? []).join(',');
    switch (expression.operator) {
      case 'In':
        parts.push(`${expression.key} in (${values})`);
        break;
      case 'NotIn':
        parts.push(`${expression.key} notin (${values})`);
        break;
      case 'Exists':
        parts.push(expression.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${expression.key}`);
        break;
      default:
        throw new Error(`unsupported label selector operator "${expression.operator}"`);
    }
  }
  if (parts.length === 0) throw new Error('the Deployment has an empty selector');
  return parts.join(',');
}

/** Whether a pod's labels satisfy a Deployment selector (used to refuse acting on pods of other services). */
export function selectorMatches(selector: V1LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  const own = labels ?? {};
  if (!selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0)) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (own[key] !== value) return false;
  return (selector.matchExpressions ?? []).every((expression) => {
    const has = Object.hasOwn(own, expression.key);
    const value = own[expression.key];
    switch (expression.operator) {
      case 'In':
        return has && (expression.values ?? []).includes(value ?? '');
      case 'NotIn':
        return !has || !(expression.values ?? []).includes(value ?? '');
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}

/** Kubernetes timestamps arrive as Date from typed API calls and as strings inside watch events. */
export function isoTime(value: unknown): string | null {
  // One form whether the object came typed (a Date) or as JSON (RFC 3339 text): a row read from a
  // list and the same row from a watch event must compare equal.
  const time = value instanceof Date ? value : typeof value === 'string' && value.length > 0 ? new Date(value) : null;
  return time === null || Number.isNaN(time.getTime()) ? null : time.toISOString();
}
