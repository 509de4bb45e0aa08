import type { AuditTrail } from '../../audit/audit-trail.ts';
import type { CallHandlers } from '../../ipc/router.ts';
import type { AppDatabase } from '../../storage/database.ts';
import { DeploymentActions } from '../deployments/deployment-actions.ts';
import { ImageHistory } from '../deployments/image-history.ts';
import { engineDeploymentHandlers } from './engine-deployment-handlers.ts';
import { ServiceTargets, type KubernetesTarget, type TabPorts } from './service-targets.ts';

type DeploymentCalls = Pick<CallHandlers, 'deployment.get' | 'deployment.setImage' | 'deployment.rollback' | 'deployment.restart' | 'containers.deployment' | 'containers.redeploy' | 'containers.rollback'>;

export interface DeploymentHandlersOptions extends TabPorts {
  readonly trail: Pick<AuditTrail, 'audited'>;
  /** The OS user at the keyboard, named in change-cause annotations and the image history. */
  readonly operator: string;
  /** Holds the Docker/Podman image history. */
  readonly db: AppDatabase;
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
    'deployment.setImage': async ({ serviceId, container, image }) => (await kube(serviceId)).setImage(container, image),
    'deployment.rollback': async ({ serviceId, toRevision }) => (await kube(serviceId)).rollback(toRevision),
    'deployment.restart': async ({ serviceId }) => (await kube(serviceId)).restart(),
    ...engineDeploymentHandlers({ targets, trail: options.trail, operator: options.operator, history: new ImageHistory(options.db) }),
  };
}
