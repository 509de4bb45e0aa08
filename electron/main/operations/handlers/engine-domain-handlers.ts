import type { AuditTrail } from '../../audit/audit-trail.ts';
import type { CallHandlers } from '../../ipc/router.ts';
import { EngineDomains } from '../domains/engine-domains.ts';
import { serviceContainers } from './engine-deployment-handlers.ts';
import { ServiceTargets, type TabPorts } from './service-targets.ts';

type EngineDomainCalls = Pick<CallHandlers, 'engineDomains.list' | 'engineDomains.add' | 'engineDomains.remove'>;

export interface EngineDomainPorts {
  readonly trail: Pick<AuditTrail, 'audited'>;
  readonly sshSocksUrl: (environmentId: string) => Promise<string | null>;
  readonly caddyAdminUrls?: readonly string[] | undefined;
  readonly remoteCaddyAdminUrls?: readonly string[] | undefined;
}
type DomainPorts = EngineDomainPorts & TabPorts;

const caddyDefault = ['http://127.0.0.1:2019'];

/** The EngineDomains of the app's configuration (Caddy's default admin address unless configured). */
export function engineDomainsFor(ports: EngineDomainPorts): EngineDomains {
  return new EngineDomains({ trail: ports.trail, caddyAdminUrls: ports.caddyAdminUrls ?? caddyDefault, remoteCaddyAdminUrls: ports.remoteCaddyAdminUrls ?? caddyDefault, sshSocksUrl: ports.sshSocksUrl });
}

/** Domain Settings of a Docker/Podman service, through the host's Caddy or Traefik (see EngineDomains). */
export function engineDomainHandlers(ports: DomainPorts): EngineDomainCalls {
  const targets = new ServiceTargets(ports);
  const domains = engineDomainsFor(ports);
  const resolve = async (serviceId: string) => {
    const target = await targets.engine(serviceId);
    return { target, infos: await serviceContainers(target) };
  };
  return {
    'engineDomains.list': async ({ serviceId }) => {
      const { target, infos } = await resolve(serviceId);
      return domains.list(target, infos);
    },
    'engineDomains.add': async ({ serviceId, host, path, port, tls }) => {
      const { target, infos } = await resolve(serviceId);
      return domains.add(target, infos, { host, path, port, tls });
    },
    'engineDomains.remove': async ({ serviceId, host, path }) => {
      const { target, infos } = await resolve(serviceId);
      return domains.remove(target, infos, { host, path });
    },
  };
}
