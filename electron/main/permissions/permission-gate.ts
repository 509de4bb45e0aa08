import { AppError } from '../../../shared/errors.ts';
import { policyGrants, type PolicyState } from './organisation-policy.ts';
import { operatorPermissions, type OperatorPermission, type PermissionGate, type PermissionReason, type PermissionSet, type PermissionTarget } from './permission-types.ts';
import { describeReview, type RbacReviewer } from './rbac-reviewer.ts';

export interface PolicySource {
  current(): Promise<PolicyState>;
}

const permissionWords: Record<OperatorPermission, string> = {
  logs: 'view logs',
  commands: 'run commands',
  management: 'manage (restart, scale, deploy, edit configuration)',
};

/**
 * The operator's permissions: what the organisation policy grants for the environment,
 * intersected, on Kubernetes, with what the cluster's RBAC lets the kubeconfig user do in the
 * service's namespace. Docker and Podman have no RBAC of their own: the policy alone decides.
 */
export class OperatorPermissionGate implements PermissionGate {
  private readonly policy: PolicySource;
  private readonly rbac: RbacReviewer;

  constructor(policy: PolicySource, rbac: RbacReviewer) {
    this.policy = policy;
    this.rbac = rbac;
  }

  async permissions(target: PermissionTarget): Promise<PermissionSet> {
    const state = await this.policy.current();
    const decision = policyGrants(state, target.environment);
    const reasons: PermissionReason[] = [...decision.reasons];
    const granted = new Set(decision.granted);
    // The cluster is asked even when the policy already refuses, so the operator sees every
    // obstacle at once instead of discovering RBAC after the policy is changed. A broken policy
    // is the exception: it refuses everything and is the one thing to fix.
    if (target.cluster !== undefined && state.kind !== 'invalid') {
      const report = await this.rbac.review(target.cluster.kubeConfig, target.cluster.namespace);
      for (const permission of operatorPermissions) {
        const denied = report.denied.get(permission);
        if (denied === undefined) continue;
        granted.delete(permission);
        reasons.push({
          permission,
          source: 'rbac',
          message: `The cluster does not let you ${denied.map(describeReview).join(', ')} in namespace "${target.cluster.namespace}".`,
          text: { key: 'withheld.rbac', params: { reviews: denied.map(describeReview).join(', '), namespace: target.cluster.namespace } },
          denied,
        });
      }
    }
    return { logs: granted.has('logs'), commands: granted.has('commands'), management: granted.has('management'), reasons };
  }

  async require(target: PermissionTarget, permission: OperatorPermission): Promise<void> {
    const set = await this.permissions(target);
    if (set[permission]) return;
    const withheld = set.reasons.filter((reason) => reason.permission === permission);
    const why = withheld.map((reason) => reason.message);
    throw new AppError(
      'PERMISSION_DENIED',
      `You do not have permission to ${permissionWords[permission]} in "${target.environment.name}". ${why.join(' ')} If you need it, request permission from your organization manager.`,
      { permission, environmentId: target.environment.id, reasons: withheld.map((reason) => reason.source) },
      { key: `permissionDenied.${permission}`, params: { environment: target.environment.name, ...(await this.whyParams(target, withheld[0])) } },
    );
  }

  /** The first reason as a key of `mainErrors.permissionWhy` and its parameters, for the window's language. */
  private async whyParams(target: PermissionTarget, reason: PermissionReason | undefined): Promise<Record<string, string>> {
    if (reason?.source === 'rbac') return { whyKey: 'rbac', namespace: target.cluster?.namespace ?? '' };
    if (reason?.source === 'policy-error') return { whyKey: 'policyError' };
    const state = await this.policy.current();
    return { whyKey: state.kind === 'absent' && target.environment.production ? 'productionDefault' : 'policy' };
  }
}
