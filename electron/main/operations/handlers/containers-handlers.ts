import type { AuditTrail } from '../../audit/audit-trail.ts';
import type { CallHandlers, StreamHandlers } from '../../ipc/router.ts';
import { ContainerActions } from '../containers/container-actions.ts';
import { belongsTo } from '../containers/service-discovery.ts';
import { containerName } from '../containers/engine.ts';
import { AppError } from '../../../../shared/errors.ts';
import { untilAborted } from './abort.ts';
import type { ContainerSessions } from './container-sessions.ts';
import type { ServiceTargets } from './service-targets.ts';

type ContainerCalls = Pick<CallHandlers, 'containers.setAutoRefresh' | 'containers.refresh' | 'containers.restart'>;

/** The Container List tab. Restart goes through ContainerActions (management permission, then audited). */
export function containerHandlers(targets: ServiceTargets, sessions: ContainerSessions, trail: Pick<AuditTrail, 'audited'>): { calls: ContainerCalls; streams: Pick<StreamHandlers, 'containers.watch'> } {
  return {
    streams: {
      'containers.watch': async ({ serviceId, sessionId }, { emit, signal }) => {
        const stop = await sessions.open(serviceId, sessionId, emit, signal);
        // Closed synchronously on abort, so a call right after the tab closes already finds no session.
        signal.addEventListener('abort', stop, { once: true });
        if (signal.aborted) stop();
        await untilAborted(signal);
      },
    },
    calls: {
      'containers.setAutoRefresh': ({ serviceId, sessionId, enabled }) => ({ enabled: sessions.setAutoRefresh(serviceId, sessionId, enabled) }),
      'containers.refresh': async ({ serviceId, sessionId }) => {
        await sessions.refresh(serviceId, sessionId);
        return { refreshed: true as const };
      },
      'containers.restart': async ({ serviceId, containerId, stopTimeoutSeconds }) => {
        const target = await targets.engine(serviceId);
        // Only containers of this service: the id comes from the renderer.
        const info = await target.engine.docker.getContainer(containerId).inspect().catch(() => null);
        if (info === null || !target.selectors.some((selector) => belongsTo(selector, containerName(info.Name), info.Config.Labels ?? {}))) {
          throw new AppError('NOT_FOUND', `Container ${containerId.slice(0, 12)} is not part of "${target.service.name}"; refresh the list.`, undefined, { key: 'operations.containers.notInService', params: { container: containerId.slice(0, 12), service: target.service.name } });
        }
        const actions = new ContainerActions({ engine: target.engine, trail, gate: target.gate, target: target.permissionTarget });
        return actions.restart(containerId, stopTimeoutSeconds === undefined ? {} : { stopTimeoutSeconds });
      },
    },
  };
}
