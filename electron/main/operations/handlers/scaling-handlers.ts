import type { AuditTrail } from '../../audit/audit-trail.ts';
import type { CallHandlers } from '../../ipc/router.ts';
import { DeploymentScaling } from '../scaling/deployment-scaling.ts';
import { cleanUpImagePulls } from '../scaling/image-cache-cleanup.ts';
import { ServiceTargets, type KubernetesTarget, type TabPorts } from './service-targets.ts';

type ScalingCalls = Pick<CallHandlers, 'scaling.get' | 'scaling.setReplicas' | 'scaling.setHpa' | 'scaling.deleteHpa' | 'scaling.resumeHpa' | 'metricsServer.install' | 'diagnostics.imageCacheCleanup'>;

export interface ScalingHandlersOptions extends TabPorts {
  readonly trail: Pick<AuditTrail, 'audited'>;
}

/**
 * The Pod List tab's Scaling panel: manual scale, HPA, Metrics Server and Image Cache Cleanup.
 * The service id resolves through the catalog like every tab; the management permission is
 * asked inside each audited action, so refusals are recorded too.
 */
export function scalingHandlers(options: ScalingHandlersOptions): ScalingCalls {
  const targets = new ServiceTargets(options);
  const scaling = (target: KubernetesTarget) =>
    new DeploymentScaling({ access: target.access, service: target.ref, production: target.service.environment.production, audit: options.trail, permissions: target.gate });
  const of = async (serviceId: string) => scaling(await targets.kubernetes(serviceId));
  return {
    'scaling.get': async ({ serviceId }) => {
      const status = await (await of(serviceId)).status();
      return { ...status, replicas: { ...status.replicas }, hpa: status.hpa && { ...status.hpa, otherMetrics: [...status.hpa.otherMetrics], conditions: [...status.hpa.conditions] } };
    },
    'scaling.setReplicas': async ({ serviceId, replicas }) => (await of(serviceId)).setReplicas(replicas),
    'scaling.setHpa': async ({ serviceId, minReplicas, maxReplicas, targetCpu }) => {
      const result = await (await of(serviceId)).setHpa({ minReplicas, maxReplicas, targetCpu });
      return { created: result.created, hpa: { ...result.hpa, otherMetrics: [...result.hpa.otherMetrics], conditions: [...result.hpa.conditions] } };
    },
    'scaling.deleteHpa': async ({ serviceId }) => (await of(serviceId)).deleteHpa(),
    'scaling.resumeHpa': async ({ serviceId, replicas }) => (await of(serviceId)).resumeHpa(replicas),
    'metricsServer.install': async ({ serviceId, reinstall }) => {
      const result = await (await of(serviceId)).installMetricsServer(reinstall);
      return { applied: result.applied.map((object) => ({ ...object })), metricsServer: { ...result.metricsServer } };
    },
    'diagnostics.imageCacheCleanup': async ({ serviceId, expectedPods }) => cleanUpImagePulls(await targets.kubernetes(serviceId), expectedPods, options.trail),
  };
}
