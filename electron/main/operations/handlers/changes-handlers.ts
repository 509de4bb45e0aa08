import { AppError } from '../../../../shared/errors.ts';
import type { AuditTrail } from '../../audit/audit-trail.ts';
import type { CallHandlers } from '../../ipc/router.ts';
import type { AppDatabase } from '../../storage/database.ts';
import type { ChangePreview } from '../changes/change-preview.ts';
import { recreatePreview } from '../changes/recreate-plan.ts';
import { ConfigService } from '../config/config-service.ts';
import { containerName } from '../containers/engine.ts';
import { DeploymentActions } from '../deployments/deployment-actions.ts';
import { DomainService } from '../domains/domain-service.ts';
import { composeServiceOf, ImageHistory } from '../deployments/image-history.ts';
import { DeploymentScaling } from '../scaling/deployment-scaling.ts';
import { engineDomainsFor, type EngineDomainPorts } from './engine-domain-handlers.ts';
import { serviceContainers } from './engine-deployment-handlers.ts';
import { ServiceTargets, type EngineTarget, type KubernetesTarget, type TabPorts } from './service-targets.ts';
import type { PreviewedChange } from '../../../../shared/contract/changes.ts';

export interface ChangeHandlersOptions extends TabPorts {
  readonly trail: Pick<AuditTrail, 'audited'>;
  readonly operator: string;
  readonly db: AppDatabase;
  /** Where Docker/Podman domain previews find Caddy (as engineDomainHandlers is given them). */
  readonly domains?: EngineDomainPorts;
}

const copy = ({ errorTexts, ...preview }: ChangePreview) => ({
  ...preview,
  lines: preview.lines.map((line) => ({ ...line })),
  errors: [...preview.errors],
  ...(errorTexts === undefined ? {} : { errorTexts: [...errorTexts] }),
  plans: preview.plans.map((plan) => ({ ...plan, carriedOver: [...plan.carriedOver] })),
});

/**
 * `changes.preview`: the mutation's own request builders run in dry-run mode (Kubernetes) or as
 * a recreate plan (Docker/Podman), so the preview is of the exact change the apply sends. A
 * preview shows the service's objects, so it asks the management permission like the tabs do.
 */
export function changeHandlers(options: ChangeHandlersOptions): Pick<CallHandlers, 'changes.preview'> {
  const targets = new ServiceTargets(options);
  const history = new ImageHistory(options.db);
  const domains = engineDomainsFor({ trail: options.trail, sshSocksUrl: () => Promise.resolve(null), ...options.domains });

  async function kubernetes(target: KubernetesTarget, change: PreviewedChange): Promise<ChangePreview> {
    const production = target.service.environment.production;
    const common = { access: target.access, service: target.ref, audit: options.trail, permissions: target.gate, production };
    switch (change.action) {
      case 'deployment.setImage':
        return new DeploymentActions({ ...common, operator: options.operator }).preview({ action: 'setImage', container: change.container, image: change.image });
      case 'deployment.rollback':
        return new DeploymentActions({ ...common, operator: options.operator }).preview({ action: 'rollback', ...(change.toRevision === undefined ? {} : { toRevision: change.toRevision }) });
      case 'deployment.restart':
        return new DeploymentActions({ ...common, operator: options.operator }).preview({ action: 'restart' });
      case 'scaling.setReplicas':
        return new DeploymentScaling(common).preview({ action: 'scale', replicas: change.replicas });
      case 'scaling.deleteHpa':
        return new DeploymentScaling(common).preview({ action: 'deleteHpa' });
      case 'scaling.setHpa':
        return new DeploymentScaling(common).preview({ action: 'hpa', minReplicas: change.minReplicas, maxReplicas: change.maxReplicas, targetCpu: change.targetCpu });
      case 'config.setKey':
        return new ConfigService(common).preview({ ...change, action: 'setKey' });
      case 'config.deleteKey':
        return new ConfigService(common).preview({ ...change, action: 'deleteKey' });
      case 'domains.add':
        return new DomainService(common).preview({ ...change, action: 'add' });
      case 'domains.remove':
        return new DomainService(common).preview({ action: 'remove', host: change.host, path: change.path });
      default:
        throw new AppError('INVALID_INPUT', `"${change.action}" is a Docker/Podman change; this service runs on Kubernetes.`, undefined, { key: 'operations.changes.engineChangeOnKubernetes', params: { action: change.action } });
    }
  }

  async function engine(target: EngineTarget, change: PreviewedChange): Promise<ChangePreview> {
    const infos = await serviceContainers(target);
    const { docker, kind } = target.engine;
    if (change.action === 'containers.redeploy') {
      const info = infos.find((candidate) => candidate.Id.startsWith(change.containerId));
      if (!info) throw new AppError('NOT_FOUND', `Container ${change.containerId.slice(0, 12)} is not part of "${target.service.name}"; refresh the list.`, undefined, { key: 'operations.containers.notInService', params: { container: change.containerId.slice(0, 12), service: target.service.name } });
      // A Compose service's containers are recreated together, as the redeploy does.
      const group = composeServiceOf(info.Config.Labels);
      const siblings = group === null ? [info] : infos.filter((candidate) => composeServiceOf(candidate.Config.Labels) === group);
      return recreatePreview(docker, `${kind}/container/${group ?? containerName(info.Name)}`, siblings, (each) => change.image ?? each.Config.Image);
    }
    if (change.action === 'engineDomains.add') return domains.preview(target, infos, { action: 'add', host: change.host, path: change.path, port: change.port, tls: change.tls });
    if (change.action === 'engineDomains.remove') return domains.preview(target, infos, { action: 'remove', host: change.host, path: change.path });
    if (change.action === 'containers.rollback') {
      const entry = history.get(target.service.id, change.historyId);
      if (!entry) throw new AppError('NOT_FOUND', `"${target.service.name}" has no image history entry ${change.historyId}; refresh the list.`, undefined, { key: 'operations.changes.historyEntryMissing', params: { service: target.service.name, historyId: change.historyId } });
      const group = entry.composeService === null ? infos.filter((info) => containerName(info.Name) === entry.containerName) : infos.filter((info) => composeServiceOf(info.Config.Labels) === entry.composeService);
      if (group.length === 0) throw new AppError('NOT_FOUND', `"${entry.composeService ?? entry.containerName}" has no container in "${target.service.name}" any more; nothing to roll back.`, undefined, { key: 'operations.changes.nothingToRollBack', params: { label: entry.composeService ?? entry.containerName, service: target.service.name } });
      return recreatePreview(docker, `${kind}/container/${entry.composeService ?? entry.containerName}`, group, () => entry.imageId);
    }
    throw new AppError('INVALID_INPUT', `"${change.action}" is a Kubernetes change; this service runs on ${kind === 'podman' ? 'Podman' : 'Docker'}.`, undefined, { key: 'operations.changes.kubernetesChangeOnEngine', params: { action: change.action, engine: kind === 'podman' ? 'Podman' : 'Docker' } });
  }

  return {
    'changes.preview': async ({ serviceId, change }) => {
      if (change.action.startsWith('containers.') || change.action.startsWith('engineDomains.')) {
        const target = await targets.engine(serviceId);
        await target.gate.require(target.permissionTarget, 'management');
        return copy(await engine(target, change));
      }
      const target = await targets.kubernetes(serviceId);
      await target.gate.require(target.access.environmentId, 'management');
      return copy(await kubernetes(target, change));
    },
  };
}
