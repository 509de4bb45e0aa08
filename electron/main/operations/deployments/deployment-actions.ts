import { AppsV1Api, type V1Deployment } from '@kubernetes/client-node';
import { AppError } from '../../../../shared/errors.ts';
import type { AuditTrail } from '../../audit/audit-trail.ts';
import type { AuditDetails } from '../../audit/audit-row.ts';
import { dryRunPreview, type ChangePreview } from '../changes/change-preview.ts';
import { diffObjects, diffSummary } from '../changes/object-diff.ts';
import { doing, kubeRequest } from '../kubernetes/kube-errors.ts';
import { labelSelectorQuery, type KubernetesAccess, type KubernetesServiceRef, type PermissionGate } from '../kubernetes/kubernetes-access.ts';
import {
  changeCauseAnnotation,
  imagesText,
  restartedAtAnnotation,
  revisionOf,
  revisionsOf,
  rollbackTarget,
  rolloutStatusOf,
  templateForDeployment,
  type DeploymentRevision,
  type RolloutStatus,
} from './deployment-revisions.ts';
import type { NeedsConfirmation } from './production-confirmation.ts';

export interface DeploymentDetails {
  readonly name: string;
  readonly namespace: string;
  readonly production: boolean;
  readonly strategy: { readonly type: string; readonly maxSurge: string | null; readonly maxUnavailable: string | null };
  readonly replicas: { readonly desired: number; readonly updated: number; readonly ready: number; readonly available: number };
  readonly containers: readonly { readonly name: string; readonly image: string }[];
  readonly revisions: readonly Omit<DeploymentRevision, 'template'>[];
  readonly rollout: RolloutStatus;
}

export type DeploymentActionResult = { readonly status: 'done'; readonly message: string } | NeedsConfirmation;

export interface DeploymentActionsOptions {
  readonly access: KubernetesAccess;
  readonly service: KubernetesServiceRef;
  readonly audit: Pick<AuditTrail, 'audited'>;
  readonly permissions: PermissionGate;
  readonly production: boolean;
  /** Who is at the keyboard (the OS user), for change-cause annotations. */
  readonly operator: string;
  readonly now?: () => Date;
}

type DeploymentChange = (deployment: V1Deployment) => { details: AuditDetails; message: string } | Promise<{ details: AuditDetails; message: string }>;

/** One Deployment Management change: what it is called and what it does to the object. */
interface DeploymentPlan {
  readonly action: string;
  readonly details: AuditDetails;
  readonly change: DeploymentChange;
}

const quantity = (value: number | string | undefined): string | null => (value === undefined ? null : String(value));

/**
 * The Deployment Management tab's Kubernetes side, with kubectl's semantics: `set image`,
 * `rollout undo [--to-revision]`, `rollout restart`. Each mutation checks the management
 * permission, asks for the production confirmation, writes the whole Deployment back with its
 * resourceVersion (a concurrent change is a CONFLICT, never overwritten) and is audited.
 */
export class DeploymentActions {
  private readonly options: DeploymentActionsOptions;
  private readonly apps: AppsV1Api;

  constructor(options: DeploymentActionsOptions) {
    this.options = options;
    this.apps = options.access.kubeConfig.makeApiClient(AppsV1Api);
  }

  async details(): Promise<DeploymentDetails> {
    const deployment = await this.read();
    const revisions = await this.revisions(deployment);
    const rolling = deployment.spec?.strategy?.rollingUpdate;
    const type = deployment.spec?.strategy?.type ?? 'RollingUpdate';
    return {
      name: this.options.service.deployment,
      namespace: this.options.service.namespace,
      production: this.options.production,
      strategy: { type, maxSurge: type === 'Recreate' ? null : quantity(rolling?.maxSurge ?? '25%'), maxUnavailable: type === 'Recreate' ? null : quantity(rolling?.maxUnavailable ?? '25%') },
      replicas: {
        desired: deployment.spec?.replicas ?? 1,
        updated: deployment.status?.updatedReplicas ?? 0,
        ready: deployment.status?.readyReplicas ?? 0,
        available: deployment.status?.availableReplicas ?? 0,
      },
      containers: (deployment.spec?.template.spec?.containers ?? []).map((container) => ({ name: container.name, image: container.image ?? '' })),
      revisions: revisions.map(({ template: _template, ...entry }) => entry),
      rollout: rolloutStatusOf(deployment),
    };
  }

  /** `kubectl set image deployment/<name> <container>=<image>`, with a change-cause naming the operator. */
  setImage(container: string, image: string): Promise<DeploymentActionResult> {
    return this.mutate(this.setImagePlan(container, image));
  }

  private setImagePlan(container: string, image: string): DeploymentPlan {
    const { deployment: name } = this.options.service;
    return this.plan('deployment.set-image', { container, imageTo: image }, (deployment) => {
      const target = deployment.spec?.template.spec?.containers.find((candidate) => candidate.name === container);
      if (!target) throw new AppError('INVALID_INPUT', `Deployment ${name} has no container "${container}".`, undefined, { key: 'operations.deployments.noContainer', params: { deployment: name, container } });
      if (target.image === image) throw new AppError('INVALID_INPUT', `Container "${container}" already runs ${image}; nothing to change.`, undefined, { key: 'operations.deployments.sameImage', params: { container, image } });
      const from = target.image ?? '';
      target.image = image;
      deployment.metadata = { ...deployment.metadata, annotations: { ...(deployment.metadata?.annotations ?? {}), [changeCauseAnnotation]: `image changed to ${image} by KIOPS (${this.options.operator})` } };
      return { details: { imageFrom: from }, message: `deployment.apps/${name} image updated: ${container} ${from} → ${image}` };
    });
  }

  /** `kubectl rollout undo deployment/<name> [--to-revision=N]`: the chosen ReplicaSet's template, minus pod-template-hash. */
  rollback(toRevision?: number): Promise<DeploymentActionResult> {
    return this.mutate(this.rollbackPlan(toRevision));
  }

  private rollbackPlan(toRevision?: number): DeploymentPlan {
    const { deployment: name } = this.options.service;
    return this.plan('deployment.rollback', toRevision === undefined ? {} : { toRevision }, async (deployment) => {
      const current = revisionOf(deployment);
      const target = rollbackTarget(await this.revisions(deployment), current, toRevision);
      if (!target) {
        throw new AppError(
          toRevision === undefined ? 'CONFLICT' : 'NOT_FOUND',
          toRevision === undefined ? `Deployment ${name} has no previous revision to roll back to.` : `Revision ${toRevision} of deployment ${name} was not found.`,
          undefined,
          toRevision === undefined ? { key: 'operations.deployments.noPreviousRevision', params: { deployment: name } } : { key: 'operations.deployments.revisionMissing', params: { deployment: name, revision: toRevision } },
        );
      }
      const fromImages = imagesText(deployment.spec?.template);
      if (target.current) throw new AppError('CONFLICT', `Skipped rollback: deployment ${name} already runs revision ${target.revision}.`, undefined, { key: 'operations.deployments.alreadyAtRevision', params: { deployment: name, revision: target.revision } });
      if (deployment.spec) deployment.spec.template = templateForDeployment(target.template);
      deployment.metadata = { ...deployment.metadata, annotations: { ...(deployment.metadata?.annotations ?? {}), [changeCauseAnnotation]: `rolled back to revision ${target.revision} by KIOPS (${this.options.operator})` } };
      return {
        details: { revisionFrom: current, revisionTo: target.revision, imageFrom: fromImages, imageTo: imagesText(target.template) },
        message: `deployment.apps/${name} rolled back to revision ${target.revision} (${imagesText(target.template)})`,
      };
    });
  }

  /** `kubectl rollout restart deployment/<name>`: a restartedAt annotation on the pod template, so every pod is replaced. */
  restart(): Promise<DeploymentActionResult> {
    return this.mutate(this.restartPlan());
  }

  private restartPlan(): DeploymentPlan {
    const { deployment: name } = this.options.service;
    return this.plan('deployment.restart', {}, (deployment) => {
      const template = deployment.spec?.template;
      if (!template) throw new AppError('CONFLICT', `Deployment ${name} has no pod template.`, undefined, { key: 'operations.deployments.noPodTemplate', params: { deployment: name } });
      const restartedAt = (this.options.now?.() ?? new Date()).toISOString();
      template.metadata = { ...(template.metadata ?? {}), annotations: { ...(template.metadata?.annotations ?? {}), [restartedAtAnnotation]: restartedAt } };
      return { details: { restartedAt }, message: `deployment.apps/${name} restarted` };
    });
  }

  /**
   * The exact replace the change would send, with dryRun=All: the API server validates and
   * admits it and answers with the object as it would be, storing nothing.
   */
  preview(change: { action: 'setImage'; container: string; image: string } | { action: 'rollback'; toRevision?: number } | { action: 'restart' }): Promise<ChangePreview> {
    const plan = change.action === 'setImage' ? this.setImagePlan(change.container, change.image) : change.action === 'rollback' ? this.rollbackPlan(change.toRevision) : this.restartPlan();
    const { namespace, deployment: name } = this.options.service;
    return dryRunPreview(`${namespace}/deployment/${name}`, () => this.read(), async (deployment) => {
      await plan.change(deployment);
      return kubeRequest(doing('previewDeploymentChange', { deployment: `${namespace}/${name}` }), () => this.apps.replaceNamespacedDeployment({ name, namespace, body: deployment, dryRun: 'All' }));
    });
  }

  private plan(action: string, details: AuditDetails, change: DeploymentChange): DeploymentPlan {
    return { action, details, change };
  }

  private mutate({ action, details, change }: DeploymentPlan): Promise<DeploymentActionResult> {
    const { namespace, deployment: name } = this.options.service;
    const { access } = this.options;
    return this.options.audit
      .audited(
        { action, target: `${namespace}/deployment/${name}`, actorIdentity: access.identity, environmentId: access.environmentId, details: { namespace, deployment: name, ...details } },
        async () => {
          await this.options.permissions.require(access.environmentId, 'management');
          const deployment = await this.read();
          const before = revisionOf(deployment);
          const snapshot: unknown = structuredClone(deployment);
          const outcome = await change(deployment);
          const saved = await kubeRequest(doing('updateDeployment', { deployment: `${namespace}/${name}` }), () => this.apps.replaceNamespacedDeployment({ name, namespace, body: deployment }));
          // The same diff the preview showed, from what the server stored.
          return { status: 'done' as const, message: outcome.message, auditDetails: { revisionFrom: before, ...outcome.details, diff: diffSummary(diffObjects(snapshot, saved)) } };
        },
        { detailsFromResult: (result) => result.auditDetails },
      )
      .then((result) => ({ status: 'done', message: result.message }));
  }

  private read(): Promise<V1Deployment> {
    const { namespace, deployment: name } = this.options.service;
    return kubeRequest(doing('readDeployment', { deployment: `${namespace}/${name}` }), () => this.apps.readNamespacedDeployment({ name, namespace }));
  }

  private async revisions(deployment: V1Deployment): Promise<DeploymentRevision[]> {
    const { namespace } = this.options.service;
    const labelSelector = labelSelectorQuery(deployment.spec?.selector);
    const list = await kubeRequest(doing('listReplicaSetsOf', { deployment: `${namespace}/${this.options.service.deployment}` }), () => this.apps.listNamespacedReplicaSet({ namespace, labelSelector }));
    return revisionsOf(deployment, list.items);
  }

}
