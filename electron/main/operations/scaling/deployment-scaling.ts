import { AppsV1Api, AutoscalingV2Api, type V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { AppError } from '../../../../shared/errors.ts';
import type { AuditDetails } from '../../audit/audit-row.ts';
import type { AuditTrail } from '../../audit/audit-trail.ts';
import { doing, kubeStatusCode, kubernetesError, kubeRequest } from '../kubernetes/kube-errors.ts';
import type { KubernetesAccess, KubernetesServiceRef, PermissionGate } from '../kubernetes/kubernetes-access.ts';
import { dryRunPreview, type ChangePreview } from '../changes/change-preview.ts';
import { hpaState, newHpa, targetsDeployment, updatedHpa, type HpaSettings, type HpaState } from './hpa-spec.ts';
import { MetricsServer, metricsServerMissing, type InstalledObject, type MetricsServerStatus } from './metrics-server.ts';

export interface ScalingStatus {
  readonly deployment: string;
  readonly namespace: string;
  readonly production: boolean;
  readonly replicas: { readonly desired: number; readonly ready: number };
  readonly hpa: HpaState | null;
  readonly manualLocked: boolean;
  readonly metricsServer: MetricsServerStatus;
  readonly hpaScalingDisabled: { readonly message: string; readonly resumeReplicas: number } | null;
}

export interface DeploymentScalingOptions {
  readonly access: KubernetesAccess;
  readonly service: KubernetesServiceRef;
  /** The environment is marked production: scaling to 0 needs the typed confirmation. */
  readonly production: boolean;
  readonly audit: Pick<AuditTrail, 'audited'>;
  readonly permissions: PermissionGate;
}

export const hpaLockedMessage = 'Manual scaling is locked while an HPA is active; delete the HPA first.';

/** Kubernetes disables an HPA whose target sits at 0 replicas; say so, with the fix. */
export function scalingDisabled(hpa: V2HorizontalPodAutoscaler, replicas: number, where: string): { message: string; resumeReplicas: number } | null {
  const disabled = hpa.status?.conditions?.some((condition) => condition.type === 'ScalingActive' && condition.status === 'False' && condition.reason === 'ScalingDisabled');
  if (replicas !== 0 && !disabled) return null;
  const min = hpa.spec?.minReplicas ?? 1;
  return {
    message: `HPA "${hpa.metadata?.name ?? ''}" does nothing: ${where} is at 0 replicas, and Kubernetes disables autoscaling for a target at zero (ScalingDisabled), even under load. Fix: scale it to at least 1 replica (the HPA then keeps it between ${min} and ${hpa.spec?.maxReplicas ?? min}), or delete the HPA if the service should stay stopped.`,
    resumeReplicas: min,
  };
}

/**
 * The HPA lock, the one guard for every manual scale (the Scaling panel and `kubectl scale` in
 * Command Execution): each Deployment of the namespace an HPA targets, with the HPA that locks
 * it (one named like the Deployment first, as `kubectl autoscale` names it).
 */
export async function hpaLocks(autoscaling: AutoscalingV2Api, namespace: string): Promise<Map<string, V2HorizontalPodAutoscaler>> {
  const list = await kubeRequest(doing('listHpasOf', { namespace }), () => autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace }));
  const locks = new Map<string, V2HorizontalPodAutoscaler>();
  for (const hpa of list.items) {
    const deployment = hpa.spec?.scaleTargetRef.name;
    if (deployment === undefined || !targetsDeployment(hpa, { namespace, deployment })) continue;
    if (!locks.has(deployment) || hpa.metadata?.name === deployment) locks.set(deployment, hpa);
  }
  return locks;
}

/**
 * Manual scale and the CPU HPA of one Deployment service, plus installing Metrics Server.
 * Each mutation is audited (refusals included) and checks the management permission first;
 * the HPA lock and the production confirmation are enforced here, not only in the panel.
 */
export class DeploymentScaling {
  private readonly options: DeploymentScalingOptions;
  private readonly apps: AppsV1Api;
  private readonly autoscaling: AutoscalingV2Api;
  private readonly metrics: MetricsServer;
  private readonly where: string;

  constructor(options: DeploymentScalingOptions) {
    this.options = options;
    this.apps = options.access.kubeConfig.makeApiClient(AppsV1Api);
    this.autoscaling = options.access.kubeConfig.makeApiClient(AutoscalingV2Api);
    this.metrics = new MetricsServer(options.access.kubeConfig);
    this.where = `${options.service.namespace}/${options.service.deployment}`;
  }

  async status(): Promise<ScalingStatus> {
    const { namespace, deployment: name } = this.options.service;
    const [deployment, hpa, metricsServer] = await Promise.all([
      kubeRequest(doing('readDeployment', { deployment: this.where }), () => this.apps.readNamespacedDeployment({ name, namespace })),
      this.findHpa(),
      this.metrics.status(namespace),
    ]);
    return {
      deployment: name,
      namespace,
      production: this.options.production,
      replicas: { desired: deployment.spec?.replicas ?? 1, ready: deployment.status?.readyReplicas ?? 0 },
      hpa: hpa ? hpaState(hpa) : null,
      manualLocked: hpa !== undefined,
      metricsServer,
      hpaScalingDisabled: hpa ? scalingDisabled(hpa, deployment.spec?.replicas ?? 1, this.where) : null,
    };
  }

  /**
   * The fix for an HPA that cannot act because its Deployment is at 0 replicas: scale to
   * `replicas` (default the HPA's min), so the controller takes over. Refused in any other state,
   * where the manual-scaling lock applies as usual.
   */
  resumeHpa(replicas: number | undefined): Promise<{ from: number; to: number; hpa: string }> {
    const { namespace, deployment: name } = this.options.service;
    return this.audited('deployment.scale', { reason: 'hpa-scaling-disabled', ...(replicas === undefined ? {} : { replicas }) }, async () => {
      const hpa = await this.findHpa();
      if (!hpa) throw new AppError('CONFLICT', `No HPA targets ${this.where}; use Apply Pod Count instead.`, undefined, { key: 'operations.scaling.noHpa', params: { deployment: this.where } });
      const hpaName = hpa.metadata?.name ?? '';
      const min = hpa.spec?.minReplicas ?? 1;
      const max = hpa.spec?.maxReplicas ?? min;
      const to = replicas ?? min;
      if (to < min || to > max) throw new AppError('INVALID_INPUT', `HPA "${hpaName}" keeps ${this.where} between ${min} and ${max} replicas; choose a count in that range.`, undefined, { key: 'operations.scaling.outsideHpaRange', params: { hpa: hpaName, deployment: this.where, min, max } });
      const scale = await kubeRequest(doing('readScaleOf', { deployment: this.where }), () => this.apps.readNamespacedDeploymentScale({ name, namespace }));
      const from = scale.spec?.replicas ?? 0;
      if (from !== 0) throw new AppError('CONFLICT', `${hpaLockedMessage} (HPA "${hpaName}" scales ${this.where}, which runs ${from} replica(s): it is not at 0, so there is nothing to resume.)`, { hpa: hpaName }, { key: 'hpaLocked', params: { hpa: hpaName } });
      await kubeRequest(doing('scaleTo', { deployment: this.where, replicas: to }), () =>
        this.apps.replaceNamespacedDeploymentScale({ name, namespace, body: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name, namespace, resourceVersion: scale.metadata?.resourceVersion }, spec: { replicas: to } } }),
      );
      return { from, to, hpa: hpaName };
    }, (result) => ({ from: result.from, to: result.to, hpa: result.hpa }));
  }

  /** `kubectl scale --replicas`, through the scale subresource with a resourceVersion precondition. */
  setReplicas(replicas: number): Promise<{ from: number; to: number }> {
    const { namespace, deployment: name } = this.options.service;
    return this.audited('deployment.scale', { replicas, production: this.options.production }, async () => {
      const hpa = await this.findHpa();
      if (hpa) throw new AppError('CONFLICT', `${hpaLockedMessage} (HPA "${hpa.metadata?.name ?? ''}" scales ${this.where}.)`, { hpa: hpa.metadata?.name ?? '' }, { key: 'hpaLocked', params: { hpa: hpa.metadata?.name ?? '' } });
      const scale = await kubeRequest(doing('readScaleOf', { deployment: this.where }), () => this.apps.readNamespacedDeploymentScale({ name, namespace }));
      const from = scale.spec?.replicas ?? 0;
      await kubeRequest(doing('scaleTo', { deployment: this.where, replicas }), () =>
        this.apps.replaceNamespacedDeploymentScale({ name, namespace, body: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name, namespace, resourceVersion: scale.metadata?.resourceVersion }, spec: { replicas } } }),
      );
      return { from, to: replicas };
    }, (result) => ({ from: result.from, to: result.to, diff: `spec.replicas: ${result.from} → ${result.to}` }));
  }

  /** `kubectl autoscale deployment/<name> --min --max --cpu-percent`, or an update of the existing HPA. */
  setHpa(settings: HpaSettings): Promise<{ created: boolean; hpa: HpaState }> {
    const { namespace, deployment: name } = this.options.service;
    const details = { minReplicas: settings.minReplicas, maxReplicas: settings.maxReplicas, targetCpu: settings.targetCpu };
    return this.audited('hpa.set', details, async () => {
      if (settings.minReplicas > settings.maxReplicas) throw new AppError('INVALID_INPUT', `minReplicas (${settings.minReplicas}) must not be greater than maxReplicas (${settings.maxReplicas}).`, undefined, { key: 'operations.scaling.minAboveMax', params: { min: settings.minReplicas, max: settings.maxReplicas } });
      const metricsServer = await this.metrics.status(namespace);
      if (!metricsServer.installed) throw new AppError('CONFLICT', metricsServerMissing, undefined, { key: 'operations.scaling.metricsServerMissing' });
      // The HPA controller rewrites the object's status all the time, so a replace can meet a
      // newer resourceVersion: read again and retry, as client-go's RetryOnConflict does.
      for (let attempt = 1; ; attempt++) {
        const existing = await this.findHpa();
        if (!existing) {
          const saved = await kubeRequest(doing('createHpa', { hpa: `${namespace}/${name}` }), () => this.autoscaling.createNamespacedHorizontalPodAutoscaler({ namespace, body: newHpa(this.options.service, settings) }));
          return { created: true, hpa: hpaState(saved) };
        }
        const hpaName = existing.metadata?.name ?? name;
        try {
          const saved = await kubeRequest(doing('updateHpa', { hpa: `${namespace}/${hpaName}` }), () => this.autoscaling.replaceNamespacedHorizontalPodAutoscaler({ name: hpaName, namespace, body: updatedHpa(existing, settings) }));
          return { created: false, hpa: hpaState(saved) };
        } catch (error) {
          if (attempt < 5 && error instanceof AppError && error.code === 'CONFLICT') continue;
          throw error;
        }
      }
    }, (result) => ({ hpa: result.hpa.name, created: result.created }));
  }

  /** Deletes the HPA(s) scaling this Deployment; manual scaling is unlocked afterwards. */
  deleteHpa(): Promise<{ deleted: boolean }> {
    const { namespace } = this.options.service;
    return this.audited('hpa.delete', {}, async () => {
      const hpa = await this.findHpa();
      if (!hpa) return { deleted: false };
      const hpaName = hpa.metadata?.name ?? '';
      try {
        await this.autoscaling.deleteNamespacedHorizontalPodAutoscaler({ name: hpaName, namespace });
      } catch (error) {
        if (kubeStatusCode(error) === 404) return { deleted: false };
        throw kubernetesError(error, doing('deleteHpa', { hpa: `${namespace}/${hpaName}` }));
      }
      return { deleted: true };
    }, (result) => ({ deleted: result.deleted }));
  }

  installMetricsServer(reinstall: boolean): Promise<{ applied: InstalledObject[]; metricsServer: MetricsServerStatus }> {
    return this.audited('metrics-server.install', { reinstall }, async () => {
      const applied = await this.metrics.install(reinstall);
      return { applied, metricsServer: await this.metrics.status(this.options.service.namespace) };
    }, (result) => ({ applied: result.applied.map((object) => `${object.kind}/${object.name}: ${object.result}`) }));
  }

  /**
   * The exact scale or HPA request, sent with dryRun=All: the API server validates and admits it
   * and stores nothing. The HPA lock and a missing Metrics Server are reported as the mutation
   * would report them; HPA bounds are left to the server's validation, so its words are shown.
   */
  async preview(change: { action: 'scale'; replicas: number } | { action: 'deleteHpa' } | ({ action: 'hpa' } & HpaSettings)): Promise<ChangePreview> {
    const { namespace, deployment: name } = this.options.service;
    if (change.action === 'deleteHpa') {
      // The delete the mutation sends, with dryRun=All: the HPA as it is, then nothing.
      const hpa = await this.findHpa();
      const hpaName = hpa?.metadata?.name ?? name;
      return dryRunPreview(`${namespace}/hpa/${hpaName}`, () => Promise.resolve(hpa ?? {}), async () => {
        if (!hpa) return {};
        await kubeRequest(doing('previewHpaDeletion', { hpa: `${namespace}/${hpaName}` }), () => this.autoscaling.deleteNamespacedHorizontalPodAutoscaler({ name: hpaName, namespace, dryRun: 'All' }));
        return {};
      });
    }
    if (change.action === 'scale') {
      return dryRunPreview(this.where, () => kubeRequest(doing('readScaleOf', { deployment: this.where }), () => this.apps.readNamespacedDeploymentScale({ name, namespace })), async (scale) => {
        const hpa = await this.findHpa();
        if (hpa) throw new AppError('CONFLICT', `${hpaLockedMessage} (HPA "${hpa.metadata?.name ?? ''}" scales ${this.where}.)`, undefined, { key: 'hpaLocked', params: { hpa: hpa.metadata?.name ?? '' } });
        return kubeRequest(doing('previewScaleTo', { deployment: this.where, replicas: change.replicas }), () =>
          this.apps.replaceNamespacedDeploymentScale({ name, namespace, dryRun: 'All', body: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name, namespace, resourceVersion: scale.metadata?.resourceVersion }, spec: { replicas: change.replicas } } }),
        );
      });
    }
    const settings = { minReplicas: change.minReplicas, maxReplicas: change.maxReplicas, targetCpu: change.targetCpu };
    const existing = await this.findHpa();
    return dryRunPreview(`${namespace}/hpa/${existing?.metadata?.name ?? name}`, () => Promise.resolve(existing ?? {}), async () => {
      if (!(await this.metrics.status(namespace)).installed) throw new AppError('CONFLICT', metricsServerMissing, undefined, { key: 'operations.scaling.metricsServerMissing' });
      if (!existing) return kubeRequest(doing('previewHpa', { hpa: `${namespace}/${name}` }), () => this.autoscaling.createNamespacedHorizontalPodAutoscaler({ namespace, body: newHpa(this.options.service, settings), dryRun: 'All' }));
      const hpaName = existing.metadata?.name ?? name;
      return kubeRequest(doing('previewHpa', { hpa: `${namespace}/${hpaName}` }), () => this.autoscaling.replaceNamespacedHorizontalPodAutoscaler({ name: hpaName, namespace, body: updatedHpa(existing, settings), dryRun: 'All' }));
    });
  }

  private async audited<T>(action: string, details: AuditDetails, run: () => Promise<T>, after?: (result: T) => AuditDetails): Promise<T> {
    const { access, service, permissions } = this.options;
    return this.options.audit.audited(
      { action, target: this.where, actorIdentity: access.identity, environmentId: access.environmentId, details: { namespace: service.namespace, deployment: service.deployment, ...details } },
      async () => {
        await permissions.require(access.environmentId, 'management');
        return run();
      },
      after ? { detailsFromResult: after } : {},
    );
  }

  /** The HPA scaling this Deployment (named like it first, as KIOPS creates it; any other otherwise). */
  private async findHpa(): Promise<V2HorizontalPodAutoscaler | undefined> {
    return (await hpaLocks(this.autoscaling, this.options.service.namespace)).get(this.options.service.deployment);
  }

}
