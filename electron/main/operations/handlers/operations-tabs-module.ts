import type { AuditTrail } from '../../audit/audit-trail.ts';
import type { CallHandlers, StreamHandlers } from '../../ipc/router.ts';
import { ContainerSessions } from './container-sessions.ts';
import { containerHandlers } from './containers-handlers.ts';
import { overviewHandlers } from './overview-handlers.ts';
import { PodWatchHub } from './pod-watch-hub.ts';
import { podHandlers } from './pods-handlers.ts';
import { ServiceTargets, type TabPorts } from './service-targets.ts';

type TabCalls = Pick<
  CallHandlers,
  'pods.retryWatch' | 'pods.restart' | 'pods.forceDelete' | 'pods.deletePending' | 'pods.analyzePending' | 'containers.setAutoRefresh' | 'containers.refresh' | 'containers.restart' | 'overview.get'
>;

export interface OperationsTabsModule {
  readonly calls: TabCalls;
  readonly streams: Pick<StreamHandlers, 'pods.watch' | 'containers.watch'>;
  /** Stops every pod watch and container list (app shutdown). */
  close(): Promise<void>;
}

export interface OperationsTabsOptions extends TabPorts {
  readonly trail: AuditTrail;
  /** Pod watch batching window (default 75 ms). */
  readonly podBatchMs?: number;
  /** The pod watch's server-side timeoutSeconds (default 300 s). */
  readonly podWatchTimeoutSeconds?: number;
  /** How long a pod watch nobody uses stays open (default 30 s). */
  readonly podWatchLingerMs?: number;
  /** Container List auto-refresh period (the spec's 30 s by default). */
  readonly containerRefreshMs?: number;
}

/** The Overview, Pod List and Container List tabs' calls and streams, built from the composition root's ports. */
export function createOperationsTabsModule(options: OperationsTabsOptions): OperationsTabsModule {
  const targets = new ServiceTargets(options);
  const hub = new PodWatchHub(targets, {
    ...(options.podBatchMs === undefined ? {} : { batchMs: options.podBatchMs }),
    ...(options.podWatchTimeoutSeconds === undefined ? {} : { watchTimeoutSeconds: options.podWatchTimeoutSeconds }),
    ...(options.podWatchLingerMs === undefined ? {} : { lingerMs: options.podWatchLingerMs }),
  });
  // An environment changed or removed: its pod watches must not go on with the old connection.
  options.runtime.onRelease((environmentId) => hub.environmentReleased(environmentId));
  const sessions = new ContainerSessions(targets, options.containerRefreshMs === undefined ? {} : { intervalMs: options.containerRefreshMs });
  const pods = podHandlers(targets, hub, options.trail);
  const containers = containerHandlers(targets, sessions, options.trail);
  return {
    calls: { ...pods.calls, ...containers.calls, ...overviewHandlers(targets, options.catalog, hub) },
    streams: { ...pods.streams, ...containers.streams },
    async close() {
      sessions.stopAll();
      await hub.stopAll();
    },
  };
}
