import type Docker from 'dockerode';
import { AppError } from '../../../../shared/errors.ts';
import type { AuditTrail } from '../../audit/audit-trail.ts';
import type { CallHandlers } from '../../ipc/router.ts';
import { belongsTo, engineFilters } from '../containers/service-discovery.ts';
import { containerName } from '../containers/engine.ts';
import { localTagsOf } from '../deployments/container-images.ts';
import { ContainerRedeploy } from '../deployments/container-redeploy.ts';
import { DeploymentActions } from '../deployments/deployment-actions.ts';
import { ServiceTargets, type EngineTarget, type KubernetesTarget, type TabPorts } from './service-targets.ts';

type DeploymentCalls = Pick<CallHandlers, 'deployment.get' | 'deployment.setImage' | 'deployment.rollback' | 'deployment.restart' | 'containers.deployment' | 'containers.redeploy'>;

export interface DeploymentHandlersOptions extends TabPorts {
  readonly trail: Pick<AuditTrail, 'audited'>;
  /** The OS user at the keyboard, named in change-cause annotations. */
  readonly operator: string;
}

/**
 * The Deployment Management tab's calls. Mutations check the management permission in main,
 * ask for the production confirmation and are audited (DeploymentActions, ContainerRedeploy).
 */
export function deploymentHandlers(options: DeploymentHandlersOptions): DeploymentCalls {
  const targets = new ServiceTargets(options);
  const actions = (target: KubernetesTarget) =>
    new DeploymentActions({ access: target.access, service: target.ref, audit: options.trail, permissions: target.gate, production: target.service.environment.production, operator: options.operator });
  const kube = async (serviceId: string) => actions(await targets.kubernetes(serviceId));
  return {
    'deployment.get': async ({ serviceId }) => {
      const details = await (await kube(serviceId)).details();
      return {
        ...details,
        containers: details.containers.map((container) => ({ ...container })),
        revisions: details.revisions.map((revision) => ({ ...revision, images: revision.images.map((image) => ({ ...image })) })),
      };
    },
    'deployment.setImage': async ({ serviceId, container, image, confirmation }) => (await kube(serviceId)).setImage(container, image, confirmation),
    'deployment.rollback': async ({ serviceId, toRevision, confirmation }) => (await kube(serviceId)).rollback(toRevision, confirmation),
    'deployment.restart': async ({ serviceId, confirmation }) => (await kube(serviceId)).restart(confirmation),
    'containers.deployment': async ({ serviceId }) => {
      const target = await targets.engine(serviceId);
      const listed = await Promise.all(target.selectors.map((selector) => target.engine.docker.listContainers({ all: true, filters: engineFilters(selector) })));
      const rows = listed
        .flat()
        .filter((row, index, all) => all.findIndex((other) => other.Id === row.Id) === index)
        .filter((row) => target.selectors.some((selector) => belongsTo(selector, containerName(row.Names), row.Labels ?? {})));
      const containers = await Promise.all(
        rows.map(async (row) => {
          const info = await target.engine.docker.getContainer(row.Id).inspect();
          return { id: row.Id, name: containerName(row.Names), image: info.Config.Image, state: row.State, localTags: await localTagsOf(target.engine.docker, info.Config.Image).catch(() => []) };
        }),
      );
      return { production: target.service.environment.production, containers: containers.sort((a, b) => a.name.localeCompare(b.name)) };
    },
    'containers.redeploy': async ({ serviceId, containerId, image, stopTimeoutSeconds, confirmation }) => {
      const target = await targets.engine(serviceId);
      const info = await containerOfService(target, containerId);
      const redeploy = new ContainerRedeploy({ engine: target.engine, trail: options.trail, gate: target.gate, target: target.permissionTarget });
      return redeploy.redeploy(info, { ...(image === undefined ? {} : { image }), ...(stopTimeoutSeconds === undefined ? {} : { stopTimeoutSeconds }), ...(confirmation === undefined ? {} : { confirmation }) });
    },
  };
}

/** Only containers of this service: the id comes from the renderer. */
async function containerOfService(target: EngineTarget, containerId: string): Promise<Docker.ContainerInspectInfo> {
  const info = await target.engine.docker.getContainer(containerId).inspect().catch(() => null);
  if (info === null || !target.selectors.some((selector) => belongsTo(selector, containerName(info.Name), info.Config.Labels ?? {}))) {
    throw new AppError('NOT_FOUND', `Container ${containerId.slice(0, 12)} is not part of "${target.service.name}"; refresh the list.`);
  }
  return info;
}
