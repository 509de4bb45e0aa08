import { createHash } from 'node:crypto';
import { AuthorizationV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { DeniedReview, OperatorPermission } from './permission-types.ts';

export interface AccessCheck {
  readonly permission: OperatorPermission;
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
}

/**
 * What each permission needs from the cluster. Management is every mutation the modal offers:
 * restart (delete pods), image change/rollback (patch and update deployments), manual scale,
 * HPA create/edit/remove, ConfigMap/Secret edits and domain (Ingress) changes.
 */
export const accessChecks: readonly AccessCheck[] = [
  { permission: 'logs', verb: 'get', group: '', resource: 'pods', subresource: 'log' },
  { permission: 'commands', verb: 'create', group: '', resource: 'pods', subresource: 'exec' },
  { permission: 'management', verb: 'delete', group: '', resource: 'pods' },
  { permission: 'management', verb: 'patch', group: 'apps', resource: 'deployments' },
  { permission: 'management', verb: 'update', group: 'apps', resource: 'deployments' },
  { permission: 'management', verb: 'update', group: 'apps', resource: 'deployments', subresource: 'scale' },
  { permission: 'management', verb: 'create', group: 'autoscaling', resource: 'horizontalpodautoscalers' },
  { permission: 'management', verb: 'update', group: 'autoscaling', resource: 'horizontalpodautoscalers' },
  { permission: 'management', verb: 'delete', group: 'autoscaling', resource: 'horizontalpodautoscalers' },
  { permission: 'management', verb: 'update', group: '', resource: 'configmaps' },
  { permission: 'management', verb: 'update', group: '', resource: 'secrets' },
  { permission: 'management', verb: 'update', group: 'networking.k8s.io', resource: 'ingresses' },
];

export interface ReviewOutcome {
  readonly check: AccessCheck;
  readonly allowed: boolean;
  readonly reason: string | null;
}

export interface RbacReport {
  readonly namespace: string;
  readonly granted: ReadonlySet<OperatorPermission>;
  readonly denied: ReadonlyMap<OperatorPermission, readonly DeniedReview[]>;
  readonly outcomes: readonly ReviewOutcome[];
  /** ms since epoch, from the reviewer's clock. */
  readonly checkedAt: number;
}

export interface RbacReviewerOptions {
  /** How long an answer is reused; RBAC changes rarely, but should not need an app restart. */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

/**
 * Asks the cluster, as the kubeconfig's user, what that user may do in a namespace: one
 * SelfSubjectAccessReview per check, all in parallel, answers reused for a short while. A review
 * that cannot be asked counts as denied (fail closed) and is not cached, so the next look retries.
 */
export class RbacReviewer {
  private readonly ttlMs: number;
  private readonly now: () => number;
  // Keyed by what the kubeconfig says (server, user, credentials), not by the object: callers
  // build a fresh KubeConfig for every request, and the answers are about the identity.
  private readonly cache = new Map<string, Map<string, Promise<RbacReport>>>();

  constructor(options: RbacReviewerOptions = {}) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  async review(kubeConfig: KubeConfig, namespace: string): Promise<RbacReport> {
    const identity = identityKey(kubeConfig);
    const byNamespace = this.cache.get(identity) ?? new Map<string, Promise<RbacReport>>();
    this.cache.set(identity, byNamespace);
    const cached = byNamespace.get(namespace);
    if (cached !== undefined) {
      const report = await cached;
      if (this.now() - report.checkedAt < this.ttlMs) return report;
      if (byNamespace.get(namespace) === cached) byNamespace.delete(namespace);
      return this.review(kubeConfig, namespace);
    }
    const pending = this.ask(kubeConfig, namespace);
    byNamespace.set(namespace, pending);
    const report = await pending;
    if (report.outcomes.some((outcome) => outcome.reason?.startsWith('the review could not be made') === true) && byNamespace.get(namespace) === pending) {
      byNamespace.delete(namespace);
    }
    return report;
  }

  /** Drops cached answers, e.g. after the operator says their access was just changed. */
  forget(kubeConfig: KubeConfig): void {
    this.cache.delete(identityKey(kubeConfig));
  }

  private async ask(kubeConfig: KubeConfig, namespace: string): Promise<RbacReport> {
    const api = kubeConfig.makeApiClient(AuthorizationV1Api);
    const checkedAt = this.now();
    const outcomes = await Promise.all(
      accessChecks.map(async (check): Promise<ReviewOutcome> => {
        try {
          const answer = await api.createSelfSubjectAccessReview({
            body: { spec: { resourceAttributes: { namespace, verb: check.verb, group: check.group, resource: check.resource, subresource: check.subresource } } },
          });
          const allowed = answer.status?.allowed === true && answer.status.denied !== true;
          return { check, allowed, reason: answer.status?.reason ?? null };
        } catch (error) {
          return { check, allowed: false, reason: `the review could not be made: ${reviewError(error)}` };
        }
      }),
    );
    const denied = new Map<OperatorPermission, DeniedReview[]>();
    for (const outcome of outcomes) {
      if (outcome.allowed) continue;
      const list = denied.get(outcome.check.permission) ?? [];
      list.push({ verb: outcome.check.verb, group: outcome.check.group, resource: outcome.check.resource, subresource: outcome.check.subresource ?? null, namespace, reason: outcome.reason });
      denied.set(outcome.check.permission, list);
    }
    const granted = new Set(accessChecks.map((check) => check.permission).filter((permission) => !denied.has(permission)));
    return { namespace, granted, denied, outcomes, checkedAt };
  }
}

/** `delete pods`, `create pods/exec`, `update deployments.apps/scale`: kubectl auth can-i spelling. */
export function describeReview(review: Pick<DeniedReview, 'verb' | 'group' | 'resource' | 'subresource'>): string {
  const resource = review.group === '' ? review.resource : `${review.resource}.${review.group}`;
  return `${review.verb} ${resource}${review.subresource === null ? '' : `/${review.subresource}`}`;
}

function reviewError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number') return `HTTP ${code}`;
  return error instanceof Error ? error.message.split('\n')[0] ?? 'unknown error' : String(error);
}

/** A digest of the whole kubeconfig, so no credential is kept as a map key in memory. */
function identityKey(kubeConfig: KubeConfig): string {
  return createHash('sha256').update(kubeConfig.exportConfig()).digest('hex');
}
