import { PodWatch, type PodWatchSubscriber } from '../kubernetes/pod-watch.ts';
import type { PodRow } from '../kubernetes/pod-rows.ts';
import type { ServiceTargets } from './service-targets.ts';

interface SharedWatch {
  readonly ready: Promise<PodWatch>;
  readonly environmentId: string;
  users: number;
  /** Set while nobody uses the watch: when it fires, the watch stops. */
  linger: NodeJS.Timeout | null;
}

export interface PodWatchHubOptions {
  readonly batchMs?: number;
  readonly watchTimeoutSeconds?: number;
  /**
   * How long a watch nobody uses any more stays open. Default 30 s: the Overview's read (which
   * lists the same pods) leaves the Pod List ready for the operator's next click, and switching
   * tabs back and forth does not list again. 0 stops it at once.
   */
  readonly lingerMs?: number;
}

/**
 * One list+watch per service, however many users it has: Pod List tabs (windows) and the
 * Overview's read of the pods' names. The first user starts it; when the last one leaves it
 * lingers a little, then stops. Each Pod List still gets the whole table first (PodWatch sends
 * a reset to late subscribers).
 */
export class PodWatchHub {
  private readonly targets: ServiceTargets;
  private readonly watches = new Map<string, SharedWatch>();
  private readonly options: { readonly batchMs?: number; readonly watchTimeoutSeconds?: number };
  private readonly lingerMs: number;

  constructor(targets: ServiceTargets, options: PodWatchHubOptions = {}) {
    this.targets = targets;
    const { lingerMs, ...watchOptions } = options;
    this.options = watchOptions;
    this.lingerMs = lingerMs ?? 30_000;
  }

  /** Resolves with an unsubscribe function once the subscriber is attached. */
  async subscribe(serviceId: string, subscriber: PodWatchSubscriber): Promise<() => void> {
    const { watch, leave } = await this.use(serviceId);
    const detach = watch.subscribe(subscriber);
    return () => {
      detach();
      leave();
    };
  }

  /**
   * Every pod of the service, once the shared watch has listed them all (the watch stays open a
   * while for the Pod List). Rejects with the reason the pods cannot be listed.
   */
  async listedRows(serviceId: string): Promise<PodRow[]> {
    const { watch, leave } = await this.use(serviceId);
    try {
      await watch.whenListed();
      return watch.rows();
    } finally {
      leave();
    }
  }

  /**
   * An environment changed or was removed: its watches nobody uses stop now (a Pod List opened
   * next lists through the new connection), the others read the configuration again and list anew.
   */
  environmentReleased(environmentId: string): void {
    for (const [serviceId, shared] of [...this.watches]) {
      if (shared.environmentId !== environmentId) continue;
      if (shared.users > 0) {
        void shared.ready.then((watch) => watch.reconnect(), () => undefined);
        continue;
      }
      if (shared.linger !== null) clearTimeout(shared.linger);
      shared.linger = null;
      this.watches.delete(serviceId);
      void shared.ready.then((watch) => watch.stop(), () => undefined);
    }
  }

  /** The Retry of the state banner: skip the backoff wait of a live watch. */
  async retryNow(serviceId: string): Promise<boolean> {
    const shared = this.watches.get(serviceId);
    if (shared === undefined) return false;
    (await shared.ready).retryNow();
    return true;
  }

  async stopAll(): Promise<void> {
    const all = [...this.watches.values()];
    this.watches.clear();
    for (const shared of all) if (shared.linger !== null) clearTimeout(shared.linger);
    await Promise.all(all.map((shared) => shared.ready.then((watch) => watch.stop(), () => undefined)));
  }

  /** The service's watch, started if needed, counted as used until `leave` (which may be called more than once). */
  private async use(serviceId: string): Promise<{ watch: PodWatch; leave: () => void }> {
    let shared = this.watches.get(serviceId);
    if (shared === undefined) {
      // The service is resolved from the catalogue now; the cluster is asked by the watch
      // itself, which waits and retries while the environment is unreachable.
      const ready = Promise.resolve().then(() => {
        const service = this.targets.deploymentRef(serviceId);
        const kubeConfig = () => this.targets.kubernetes(serviceId).then(({ access }) => access.kubeConfig);
        const watch = new PodWatch({ kubeConfig, service, ...this.options });
        watch.start();
        return watch;
      });
      shared = { ready, environmentId: this.environmentOf(serviceId), users: 0, linger: null };
      this.watches.set(serviceId, shared);
      // A service that cannot be resolved must not stay cached as a broken watch.
      const created = shared;
      ready.catch(() => {
        if (this.watches.get(serviceId) === created) this.watches.delete(serviceId);
      });
    }
    const entry = shared;
    entry.users += 1;
    if (entry.linger !== null) clearTimeout(entry.linger);
    entry.linger = null;
    let watch: PodWatch;
    try {
      watch = await entry.ready;
    } catch (error) {
      entry.users -= 1;
      throw error;
    }
    let left = false;
    const leave = (): void => {
      if (left) return;
      left = true;
      entry.users -= 1;
      if (entry.users === 0 && this.watches.get(serviceId) === entry) this.release(serviceId, entry, watch);
    };
    return { watch, leave };
  }

  /** The service's environment, or '' for a service the catalogue does not know (its watch fails to start). */
  private environmentOf(serviceId: string): string {
    try {
      return this.targets.environmentOf(serviceId);
    } catch {
      return '';
    }
  }

  /** Nobody uses the watch any more: stop it after the linger, unless someone comes back. */
  private release(serviceId: string, entry: SharedWatch, watch: PodWatch): void {
    const stop = (): void => {
      entry.linger = null;
      if (entry.users > 0 || this.watches.get(serviceId) !== entry) return;
      this.watches.delete(serviceId);
      void watch.stop();
    };
    if (this.lingerMs <= 0) return stop();
    entry.linger = setTimeout(stop, this.lingerMs);
    entry.linger.unref?.();
  }
}
