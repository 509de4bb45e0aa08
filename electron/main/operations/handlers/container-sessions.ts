import { AppError, toErrorBody, type ErrorCode } from '../../../../shared/errors.ts';
import type { ContainerWatchEvent } from '../../../../shared/contract/containers.ts';
import type { ContainerRow } from '../containers/container-rows.ts';
import { ContainerListRefresher, type ContainerListUpdate } from '../containers/container-refresh.ts';
import type { EngineTarget, ServiceTargets } from './service-targets.ts';
import { causeParams } from '../../../../shared/message-params.ts';

interface Session {
  readonly serviceId: string;
  refreshers: readonly ContainerListRefresher[];
}

/** Problems of reaching the engine: the list waits for them to pass instead of ending. */
const linkCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['UNREACHABLE', 'UNAVAILABLE', 'TIMEOUT']);
/** How often an unreachable engine is asked again before the list has its first rows. */
const unreachableRetryMs = 2_000;

/**
 * Open Container Lists, one per window-chosen session id. Unlike the Pod List they are not
 * shared: the auto-refresh toggle belongs to the list the operator is looking at. A service
 * registered by hand may name several standalone containers; each gets its own refresher and
 * their rows are merged into one table.
 */
export class ContainerSessions {
  private readonly targets: ServiceTargets;
  private readonly sessions = new Map<string, Session>();
  private readonly intervalMs: number | undefined;

  constructor(targets: ServiceTargets, options: { intervalMs?: number } = {}) {
    this.targets = targets;
    this.intervalMs = options.intervalMs;
  }

  /**
   * Starts following; resolves once the first listing went out (or `signal` ends the wait for
   * an unreachable engine). `stop` ends it. An engine that cannot be reached yet (an app started
   * while it is down) is shown as a problem and asked again every 2 s until it answers.
   */
  async open(serviceId: string, sessionId: string, emit: (event: ContainerWatchEvent) => void, signal?: AbortSignal): Promise<() => void> {
    if (this.sessions.has(sessionId)) throw new AppError('CONFLICT', 'This Container List session is already open; open the list again.', undefined, { key: 'operations.containers.sessionAlreadyOpen' });
    const target = await this.reachTarget(serviceId, emit, signal);
    if (target === null) return () => undefined;
    const rowsBySelector: (readonly ContainerRow[])[] = target.selectors.map(() => []);
    const relay = (index: number, update: ContainerListUpdate): void => {
      if (update.kind === 'rows') {
        rowsBySelector[index] = update.rows;
        emit({ kind: 'rows', rows: rowsBySelector.flat().map(slimRow), reason: update.reason, at: update.at });
      } else if (update.kind === 'stats') {
        emit({ kind: 'stats', samples: update.samples.map((sample) => ({ containerId: sample.containerId, sampledAt: sample.sampledAt, cpuPercent: sample.cpuPercent, memory: sample.memory, network: sample.network, ...(sample.problem === undefined ? {} : { problem: sample.problem }) })), at: update.at });
      } else if (update.kind !== 'auto-refresh' || index === 0) {
        // every refresher of a session toggles together: announce the toggle once
        emit(update);
      }
    };
    const refreshers = target.selectors.map(
      (selector, index) =>
        new ContainerListRefresher({ engine: target.engine, selector, onUpdate: (update) => relay(index, update), ...(this.intervalMs === undefined ? {} : { intervalMs: this.intervalMs }) }),
    );
    const session: Session = { serviceId, refreshers };
    this.sessions.set(sessionId, session);
    const stop = (): void => {
      if (this.sessions.get(sessionId) === session) this.sessions.delete(sessionId);
      for (const refresher of refreshers) refresher.stop();
    };
    try {
      await Promise.all(refreshers.map((refresher) => refresher.start()));
    } catch (error) {
      stop();
      throw error;
    }
    return stop;
  }

  private async reachTarget(serviceId: string, emit: (event: ContainerWatchEvent) => void, signal: AbortSignal | undefined): Promise<EngineTarget | null> {
    for (;;) {
      try {
        return await this.targets.engine(serviceId);
      } catch (error) {
        const body = toErrorBody(error);
        if (!linkCodes.has(body.code)) throw error;
        if (signal?.aborted) return null;
        const detail = causeParams('detail', error);
        emit({ kind: 'problem', message: `The container list could not be refreshed: ${body.message}`, messageText: { key: 'operations.containers.refreshFailed', params: detail }, at: new Date().toISOString() });
        emit({ kind: 'events', state: 'reconnecting', message: `Live updates paused (${body.message}).`, messageText: { key: 'operations.containers.liveUpdatesPaused.connectFailed', params: detail }, retryInMs: unreachableRetryMs });
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, unreachableRetryMs);
          signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
        });
        if (signal?.aborted) return null;
      }
    }
  }

  setAutoRefresh(serviceId: string, sessionId: string, enabled: boolean): boolean {
    for (const refresher of this.session(serviceId, sessionId).refreshers) refresher.setAutoRefresh(enabled);
    return enabled;
  }

  async refresh(serviceId: string, sessionId: string): Promise<void> {
    await Promise.all(this.session(serviceId, sessionId).refreshers.map((refresher) => refresher.refresh('manual')));
  }

  stopAll(): void {
    for (const session of this.sessions.values()) for (const refresher of session.refreshers) refresher.stop();
    this.sessions.clear();
  }

  private session(serviceId: string, sessionId: string): Session {
    const session = this.sessions.get(sessionId);
    if (session === undefined || session.serviceId !== serviceId) throw new AppError('NOT_FOUND', 'This Container List is no longer open; reopen the tab.', undefined, { key: 'operations.containers.sessionClosed' });
    return session;
  }
}

function slimRow(row: ContainerRow) {
  return { ...row, actionsAvailable: [...row.actionsAvailable], ports: [...row.ports] };
}
