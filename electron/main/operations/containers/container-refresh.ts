import type { MessageText } from '../../../../shared/errors.ts';
import { causeParams } from '../../../../shared/message-params.ts';
import { classifyContainerState, type ContainerRow, ContainerRowReader } from './container-rows.ts';
import { type ContainerStatsSample, ContainerStatsSampler } from './container-stats.ts';
import type { EngineConnection } from './engine.ts';
import { EngineEventFollower, type ContainerEvent, type FollowerState } from './engine-events.ts';
import { realTimers, type Cancel, type RefreshTimers } from './refresh-timers.ts';
import { belongsTo, engineFilters, ServiceDiscovery, type ServiceSelector } from './service-discovery.ts';

export type RefreshReason = 'initial' | 'event' | 'auto-refresh' | 'manual' | 'reconnected';

/** What an open Container List receives; each is slim and JSON-able. */
export type ContainerListUpdate =
  | { readonly kind: 'rows'; readonly rows: readonly ContainerRow[]; readonly reason: RefreshReason; readonly at: string }
  | { readonly kind: 'stats'; readonly samples: readonly ContainerStatsSample[]; readonly at: string }
  | { readonly kind: 'auto-refresh'; readonly enabled: boolean; readonly intervalMs: number }
  /** `retryInMs`: when reconnecting, how long until the next attempt (for a countdown). */
  | { readonly kind: 'events'; readonly state: 'following' | 'reconnecting'; readonly message: string | null; readonly messageText?: MessageText; readonly retryInMs?: number }
  /** Listing failed (engine stopped, link down): the table keeps its rows and shows this with a retry. */
  | { readonly kind: 'problem'; readonly message: string; readonly messageText?: MessageText; readonly at: string };

export interface ContainerListRefresherOptions {
  readonly engine: EngineConnection;
  readonly selector: ServiceSelector;
  readonly onUpdate: (update: ContainerListUpdate) => void;
  readonly timers?: RefreshTimers;
  /** The spec's auto-refresh period: 30 s. */
  readonly intervalMs?: number;
  readonly autoRefresh?: boolean;
  /** Bursts of events (kill, die, stop, start) collapse into one re-list after this pause. */
  readonly eventDebounceMs?: number;
  readonly concurrency?: number;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  readonly now?: () => Date;
}

/**
 * Keeps one open Container List current. State changes arrive from the engine's event stream
 * (watch, don't poll); the 30-second auto-refresh re-lists and re-samples CPU/memory/network,
 * which no event announces. Turning auto-refresh off stops that periodic sampling (the operator
 * may be reading numbers, or the link may be slow); state changes still arrive from events,
 * because a list that silently shows a dead container as running is worse than a moving one.
 */
export class ContainerListRefresher {
  private readonly engine: EngineConnection;
  private readonly selector: ServiceSelector;
  private readonly onUpdate: (update: ContainerListUpdate) => void;
  private readonly timers: RefreshTimers;
  private readonly intervalMs: number;
  private readonly eventDebounceMs: number;
  private readonly now: () => Date;
  private readonly discovery: ServiceDiscovery;
  private readonly rowReader: ContainerRowReader;
  private readonly sampler: ContainerStatsSampler;
  private readonly follower: EngineEventFollower;
  private autoRefreshEnabled: boolean;
  private cancelInterval: Cancel | null = null;
  private cancelDebounce: Cancel | null = null;
  private running: Promise<void> | null = null;
  /** Bumped by a manual Refresh: results of older runs (maybe hung on a silent link) are dropped. */
  private generation = 0;
  private queued: { reason: RefreshReason; withStats: boolean } | null = null;
  private started = false;
  private stopped = false;
  private lastRows: readonly ContainerRow[] = [];

  constructor(options: ContainerListRefresherOptions) {
    this.engine = options.engine;
    this.selector = options.selector;
    this.onUpdate = options.onUpdate;
    this.timers = options.timers ?? realTimers;
    this.intervalMs = options.intervalMs ?? 30_000;
    this.eventDebounceMs = options.eventDebounceMs ?? 300;
    this.now = options.now ?? (() => new Date());
    this.autoRefreshEnabled = options.autoRefresh ?? true;
    this.discovery = new ServiceDiscovery(this.engine);
    this.rowReader = new ContainerRowReader(this.engine, { concurrency: options.concurrency });
    this.sampler = new ContainerStatsSampler(this.engine, { concurrency: options.concurrency, now: this.now });
    this.follower = new EngineEventFollower({
      engine: this.engine,
      filters: eventFilters(this.selector),
      timers: this.timers,
      backoff: options.backoff,
      onEvent: (event) => this.onEvent(event),
      onState: (state) => this.onFollowerState(state),
    });
  }

  get autoRefresh(): boolean {
    return this.autoRefreshEnabled;
  }

  get rows(): readonly ContainerRow[] {
    return this.lastRows;
  }

  /** Lists and samples once, then follows events and (if enabled) refreshes every interval. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.follower.start();
    this.schedulePeriodic();
    this.onUpdate({ kind: 'auto-refresh', enabled: this.autoRefreshEnabled, intervalMs: this.intervalMs });
    await this.refresh('initial');
  }

  /**
   * Re-lists and re-samples now (the Refresh button; also what each auto-refresh tick does).
   * A manual Refresh starts a fresh request rather than waiting behind one that may hang.
   */
  refresh(reason: RefreshReason = 'manual'): Promise<void> {
    if (reason === 'manual' && this.running !== null) {
      this.generation += 1;
      this.running = null;
      this.queued = null;
    }
    return this.enqueue(reason, true);
  }

  /** The Container List's toggle: really stops (and restarts) the periodic timer. */
  setAutoRefresh(enabled: boolean): void {
    if (this.stopped || enabled === this.autoRefreshEnabled) return;
    this.autoRefreshEnabled = enabled;
    this.schedulePeriodic();
    this.onUpdate({ kind: 'auto-refresh', enabled, intervalMs: this.intervalMs });
  }

  /** Closes the event stream and every timer; nothing is emitted afterwards. */
  stop(): void {
    this.stopped = true;
    this.follower.stop();
    this.cancelInterval?.();
    this.cancelInterval = null;
    this.cancelDebounce?.();
    this.cancelDebounce = null;
  }

  private schedulePeriodic(): void {
    this.cancelInterval?.();
    this.cancelInterval = null;
    if (!this.autoRefreshEnabled || this.stopped || !this.started) return;
    this.cancelInterval = this.timers.every(this.intervalMs, () => void this.enqueue('auto-refresh', true));
  }

  private onEvent(event: ContainerEvent): void {
    if (this.stopped || !belongsTo(this.selector, event.name, event.labels)) return;
    // A restarted container's CPU counters start again from zero.
    if (event.action === 'start' || event.action === 'restart') this.sampler.forget(event.containerId);
    this.cancelDebounce?.();
    this.cancelDebounce = this.timers.after(this.eventDebounceMs, () => {
      this.cancelDebounce = null;
      void this.enqueue('event', false);
    });
  }

  private onFollowerState(state: FollowerState): void {
    if (this.stopped) return;
    if (state.kind === 'reconnecting') {
      const { kind, ...params } = state.why;
      this.onUpdate({ kind: 'events', state: 'reconnecting', message: `Live updates paused (${state.reason}).`, messageText: { key: `operations.containers.liveUpdatesPaused.${kind}`, params }, retryInMs: state.inMs });
      return;
    }
    this.onUpdate({ kind: 'events', state: 'following', message: null });
    // Whatever happened while the stream was down was missed: list again.
    if (state.reconnected) void this.enqueue('reconnected', false);
  }

  /** One refresh at a time; requests arriving meanwhile collapse into one follow-up run. */
  private enqueue(reason: RefreshReason, withStats: boolean): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running !== null) {
      this.queued = { reason: this.queued?.reason ?? reason, withStats: withStats || (this.queued?.withStats ?? false) };
      return this.running;
    }
    const generation = this.generation;
    const run = (async () => {
      let next: { reason: RefreshReason; withStats: boolean } | null = { reason, withStats };
      while (next !== null && !this.stopped && generation === this.generation) {
        await this.runOnce(next.reason, next.withStats, generation);
        if (generation !== this.generation) return;
        next = this.queued;
        this.queued = null;
      }
    })();
    const running = run.finally(() => {
      if (this.running === running) this.running = null;
    });
    this.running = running;
    return running;
  }

  private async runOnce(reason: RefreshReason, withStats: boolean, generation: number): Promise<void> {
    const superseded = (): boolean => this.stopped || generation !== this.generation;
    try {
      const listed = await this.discovery.containersOf(this.selector);
      // The list says which containers run: their stats are asked for beside the inspects, not
      // after them (with 200 containers each half takes seconds). Rows still go out first.
      const sampling = withStats ? this.sampler.sample(listed.filter((info) => classifyContainerState(info.State, info.Status) === 'running').map((info) => info.Id)) : null;
      const rows = await this.rowReader.rows(listed);
      if (superseded()) return;
      this.lastRows = rows;
      this.onUpdate({ kind: 'rows', rows, reason, at: this.now().toISOString() });
      if (sampling === null) return;
      const samples = await sampling;
      if (superseded()) return;
      this.onUpdate({ kind: 'stats', samples, at: this.now().toISOString() });
    } catch (error) {
      if (superseded()) return;
      const message = error instanceof Error ? error.message : String(error);
      this.onUpdate({ kind: 'problem', message: `The container list could not be refreshed: ${message}`, messageText: { key: 'operations.containers.refreshFailed', params: causeParams('detail', error) }, at: this.now().toISOString() });
    }
  }
}

/** Event filters: Docker's and Podman's events take `container` (name or id), not `name`. */
function eventFilters(selector: ServiceSelector): Record<string, string[]> {
  return selector.kind === 'compose' ? engineFilters(selector) : { container: [selector.containerName] };
}
