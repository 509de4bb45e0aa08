import type { CallHandlers } from '../ipc/router.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import type { CatalogService } from '../catalog/service-catalog.ts';
import { isAppError } from '../../../shared/errors.ts';
import type { CallParsedInput } from '../../../shared/contract/index.ts';
import { ServiceTargets, type TabPorts } from '../operations/handlers/service-targets.ts';
import { EngineLogs } from './engine-logs.ts';
import { KubernetesLogs } from './kubernetes-logs.ts';

export interface LogsModuleOptions extends TabPorts {
  readonly trail: Pick<AuditTrail, 'record'>;
  readonly now?: () => Date;
}

type FetchInput = CallParsedInput<'logs.fetch'>;

/**
 * The Log Viewer's calls. Reading logs is not an operational change, so a successful read
 * leaves no audit row; a refusal does (`logs.view`, outcome refused), whether the app's gate or
 * the cluster's RBAC said no, so who tried to read what stays traceable.
 */
export function createLogsHandlers(options: LogsModuleOptions): Pick<CallHandlers, 'logs.targets' | 'logs.fetch'> {
  const targets = new ServiceTargets(options);
  const now = options.now ?? (() => new Date());

  const refusalAudited = async <T>(serviceId: string, what: string, action: () => Promise<T>): Promise<T> => {
    try {
      await options.frame.requirePermission(serviceId, 'logs');
      return await action();
    } catch (error) {
      if (isAppError(error) && error.code === 'PERMISSION_DENIED') recordRefusal(options, options.catalog.resolve(serviceId), what, error.message);
      throw error;
    }
  };

  return {
    'logs.targets': ({ serviceId }) =>
      refusalAudited(serviceId, 'targets', async () => {
        const service = options.catalog.resolve(serviceId);
        if (service.target.kind === 'deployment') {
          const target = await targets.kubernetes(serviceId);
          return { runtime: 'kubernetes' as const, pods: await new KubernetesLogs(target.access, target.ref).pods() };
        }
        const target = await targets.engine(serviceId);
        return { runtime: 'engine' as const, containers: await new EngineLogs(target.engine, target.selectors).containers() };
      }),
    'logs.fetch': (input: FetchInput) =>
      refusalAudited(input.serviceId, describeTarget(input), async () => {
        const { target, tailLines, limitBytes, timestamps } = input;
        const log =
          target.kind === 'pod'
            ? await kubernetesLogs(targets, input.serviceId).then((logs) => logs.read({ pod: target.pod, container: target.container, previous: target.previous, tailLines, limitBytes, timestamps }))
            : await engineLogs(targets, input.serviceId).then((logs) => logs.read({ containerId: target.containerId, tailLines, limitBytes, timestamps }));
        return { ...log, fetchedAt: now().toISOString() };
      }),
  };
}

async function kubernetesLogs(targets: ServiceTargets, serviceId: string): Promise<KubernetesLogs> {
  const target = await targets.kubernetes(serviceId);
  return new KubernetesLogs(target.access, target.ref);
}

async function engineLogs(targets: ServiceTargets, serviceId: string): Promise<EngineLogs> {
  const target = await targets.engine(serviceId);
  return new EngineLogs(target.engine, target.selectors);
}

function describeTarget(input: FetchInput): string {
  const { target } = input;
  if (target.kind === 'container') return `container/${target.containerId.slice(0, 12)}`;
  return `pod/${target.pod}${target.container ? `/${target.container}` : ''}${target.previous ? ' (previous)' : ''}`;
}

function recordRefusal(options: LogsModuleOptions, service: CatalogService, what: string, message: string): void {
  const place = service.target.kind === 'deployment' ? `${service.environment.name}/${service.target.namespace}` : service.environment.name;
  try {
    options.trail.record({
      action: 'logs.view',
      target: `${place}/${what}`.slice(0, 500),
      outcome: 'refused',
      environmentId: service.environment.id,
      error: message,
      details: { service: service.name },
    });
  } catch (error) {
    // The refusal stands either way; an unwritable trail must not turn it into something else.
    console.warn('logs: could not record a refused log view:', error instanceof Error ? error.message : error);
  }
}
