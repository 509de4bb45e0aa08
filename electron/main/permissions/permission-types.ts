import type { KubeConfig } from '@kubernetes/client-node';

export { operatorPermissions, type OperatorPermission } from '../../../shared/contract/policy.ts';
import type { OperatorPermission } from '../../../shared/contract/policy.ts';
import type { MessageText } from '../../../shared/errors.ts';

/** What the policy needs to know about an environment (metadata only, no connection). */
export interface PermissionEnvironment {
  readonly id: string;
  readonly name: string;
  readonly kind: 'kubernetes' | 'docker' | 'podman';
  /** Marked production when it was registered; matched by the tag `production`. */
  readonly production: boolean;
  readonly tags?: readonly string[];
}

/**
 * Where the operator is about to work. For Kubernetes the cluster's RBAC is asked too, in the
 * service's namespace, as the kubeconfig's user.
 */
export interface PermissionTarget {
  readonly environment: PermissionEnvironment;
  readonly cluster?: { readonly kubeConfig: KubeConfig; readonly namespace: string };
}

/** One access review that came back "no" (or could not be asked). */
export interface DeniedReview {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource: string | null;
  readonly namespace: string;
  /** The server's reason, or why the review itself failed. */
  readonly reason: string | null;
}

/** Why a permission is withheld; shown next to "request permission from your organization manager". */
/** `text`: the message as a key of the window's `mainErrors.withheld` messages. */
export type PermissionReason =
  | { readonly permission: OperatorPermission; readonly source: 'policy'; readonly message: string; readonly text?: MessageText }
  | { readonly permission: OperatorPermission; readonly source: 'policy-error'; readonly message: string; readonly text?: MessageText }
  | { readonly permission: OperatorPermission; readonly source: 'rbac'; readonly message: string; readonly text?: MessageText; readonly denied: readonly DeniedReview[] };

export interface PermissionSet {
  readonly logs: boolean;
  readonly commands: boolean;
  readonly management: boolean;
  /** One entry per withheld permission and source; empty when everything is granted. */
  readonly reasons: readonly PermissionReason[];
}

/** Asked before a tab is shown and before every action that needs a permission. */
export interface PermissionGate {
  permissions(target: PermissionTarget): Promise<PermissionSet>;
  /** Resolves when granted; throws AppError PERMISSION_DENIED with a readable message otherwise. */
  require(target: PermissionTarget, permission: OperatorPermission): Promise<void>;
}
