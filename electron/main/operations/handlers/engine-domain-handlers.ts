import type { AuditTrail } from '../../audit/audit-trail.ts';
import type { CallHandlers } from '../../ipc/router.ts';
import { EngineDomains } from '../domains/engine-domains.ts';
import { serviceContainers } from './engine-deployment-handlers.ts';
import { ServiceTargets, type TabPorts } from './service-targets.ts';

type EngineDomainCalls = Pick<CallHandlers, 'engineDomains.list' | 'engineDomains.add' | 'engineDomains.remove'>;

/** Domain Settings of a Docker/Podman service, through the host's Caddy (see EngineDomains). */
export function engineDomainHandlers(ports: TabPorts & { readonly trail: Pick<AuditTrail, 'audited'>; readonly caddyAdminUrls?: readonly string[] }): EngineDomainCalls {
  const targets = new ServiceTargets(ports);
  const domains = new EngineDomains({ trail: ports.trail, caddyAdminUrls: ports.caddyAdminUrls ?? ['http://127.0.0.1:2019'] });
  const resolve = async (serviceId: string) => {
    const target = await targets.engine(serviceId);
    return { target, infos: await serviceContainers(target) };
  };
  return {
    'engineDomains.list': async ({ serviceId }) => {
      const { target, infos } = await resolve(serviceId);
      return domains.list(target, infos);
    },
    'engineDomains.add': async ({ serviceId, host, path, port }) => {
      const { target, infos } = await resolve(serviceId);
      return domains.add(target, infos, { host, path, port });
    },
    'engineDomains.remove': async ({ serviceId, host, path }) => {
      const { target, infos } = await resolve(serviceId);
      return domains.remove(target, infos, { host, path });
    },
  };
}
