import type { AuditTrail } from '../../audit/audit-trail.ts';
import type { CallHandlers } from '../../ipc/router.ts';
import { ConfigService } from '../config/config-service.ts';
import { DomainService } from '../domains/domain-service.ts';
import { ServiceTargets, type KubernetesTarget, type TabPorts } from './service-targets.ts';

type ConfigDomainCalls = Pick<CallHandlers, 'config.list' | 'config.reveal' | 'config.setKey' | 'config.deleteKey' | 'config.create' | 'domains.list' | 'domains.add' | 'domains.remove'>;

/**
 * The Config/Secret and Domain Settings tabs of a Kubernetes service. The service id resolves
 * to its environment and namespace through the catalog; each backend asks the operator's
 * management permission in main and audits its changes (names only, never values).
 */
export function configDomainHandlers(ports: TabPorts & { readonly trail: Pick<AuditTrail, 'audited'> }): ConfigDomainCalls {
  const targets = new ServiceTargets(ports);
  const backendOptions = (target: KubernetesTarget) => ({
    access: target.access,
    service: target.ref,
    audit: ports.trail,
    permissions: target.gate,
    production: target.service.environment.production,
  });
  const config = async (serviceId: string) => new ConfigService(backendOptions(await targets.kubernetes(serviceId)));
  const domains = async (serviceId: string) => new DomainService(backendOptions(await targets.kubernetes(serviceId)));
  return {
    'config.list': async ({ serviceId }) => {
      const listed = await (await config(serviceId)).list();
      return { ...listed, objects: listed.objects.map((object) => ({ ...object, usage: [...object.usage], keys: [...object.keys] })) };
    },
    'config.reveal': async ({ serviceId, name, key }) => (await config(serviceId)).reveal(name, key),
    'config.setKey': async ({ serviceId, kind, name, key, value, resourceVersion }) => (await config(serviceId)).setKey(kind, name, key, value, resourceVersion),
    'config.deleteKey': async ({ serviceId, kind, name, key, resourceVersion }) => (await config(serviceId)).deleteKey(kind, name, key, resourceVersion),
    'config.create': async ({ serviceId, kind, name }) => (await config(serviceId)).create(kind, name),
    'domains.list': async ({ serviceId }) => (await domains(serviceId)).list(),
    'domains.add': async ({ serviceId, ...request }) => (await domains(serviceId)).add(request),
    'domains.remove': async ({ serviceId, host, path }) => (await domains(serviceId)).remove(host, path),
  };
}
