import type { CallHandlers } from '../../ipc/router.ts';
import { ContainerOverviewReader } from '../containers/container-overview.ts';
import { ServiceDiscovery } from '../containers/service-discovery.ts';
import { DeploymentOverviewReader } from '../kubernetes/deployment-overview.ts';
import type { PodWatchHub } from './pod-watch-hub.ts';
import type { ServiceTargets } from './service-targets.ts';
import type { ServiceOverviewView } from '../../../../shared/contract/overview.ts';
import type { TabPorts } from './service-targets.ts';

/** The Overview tab: read-only, so no permission beyond what the cluster or engine allows. */
export function overviewHandlers(targets: ServiceTargets, catalog: TabPorts['catalog'], pods: Pick<PodWatchHub, 'listedRows'>): Pick<CallHandlers, 'overview.get'> {
  return {
    'overview.get': async ({ serviceId }): Promise<ServiceOverviewView> => {
      const service = catalog.resolve(serviceId);
      if (service.target.kind === 'deployment') {
        const { access, ref } = await targets.kubernetes(serviceId);
        // The pods' names come from the service's shared pod watch: one list for the Overview and the Pod List the operator opens next.
        const podNames = async () => (await pods.listedRows(serviceId)).map((row) => row.name);
        const overview = await new DeploymentOverviewReader({ kubeConfig: access.kubeConfig, service: ref, podNames }).read();
        return {
          runtime: 'kubernetes',
          deployment: {
            ...overview,
            conditions: [...overview.conditions],
            containers: [...overview.containers],
            warnings: [...overview.warnings],
            limitations: [...overview.limitations],
            limitationTexts: [...overview.limitationTexts],
          },
        };
      }
      const target = await targets.engine(serviceId);
      const discovery = new ServiceDiscovery(target.engine);
      const reader = new ContainerOverviewReader(target.engine);
      const members = (await Promise.all(target.selectors.map((selector) => discovery.containersOf(selector)))).flat();
      const containers = await Promise.all(members.map((info) => reader.overview(info.Id)));
      containers.sort((left, right) => left.name.localeCompare(right.name));
      return {
        runtime: target.engine.kind,
        containers: containers.map((container) => ({ ...container, ports: [...container.ports] })),
      };
    },
  };
}
