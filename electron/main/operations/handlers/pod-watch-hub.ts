import { PodWatch, type PodWatchSubscriber } from '../kubernetes/pod-watch.ts';
import type { ServiceTargets } from './service-targets.ts';

interface SharedWatch {
  readonly ready: Promise<PodWatch>;
  subscribers: number;
}

/**
 * One list+watch per service, however many Pod List tabs (windows) show it: the first
 * subscriber starts it, the last one to leave stops it. Each subscriber still gets the whole
 * table first (PodWatch sends a reset to late subscribers).
 */
export class PodWatchHub {
  private readonly targets: ServiceTargets;
  private readonly watches = new Map<string, SharedWatch>();
  private readonly options: { readonly batchMs?: number; readonly watchTimeoutSeconds?: number };

  constructor(targets: ServiceTargets, options: { batchMs?: number; watchTimeoutSeconds?: number } = {}) {
    this.targets = targets;
    this.options = options;
  }

  /** Resolves with an unsubscribe function once the subscriber is attached. */
  async subscribe(serviceId: string, subscriber: PodWatchSubscriber): Promise<() => void> {
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
      shared = { ready, subscribers: 0 };
      this.watches.set(serviceId, shared);
      // A service that cannot be resolved must not stay cached as a broken watch.
      ready.catch(() => {
        if (this.watches.get(serviceId) === shared) this.watches.delete(serviceId);
      });
    }
    shared.subscribers += 1;
    const entry = shared;
    let watch: PodWatch;
    try {
      watch = await entry.ready;
    } catch (error) {
      entry.subscribers -= 1;
      throw error;
    }
    const detach = watch.subscribe(subscriber);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      detach();
      entry.subscribers -= 1;
      if (entry.subscribers === 0 && this.watches.get(serviceId) === entry) {
        this.watches.delete(serviceId);
        void watch.stop();
      }
    };
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
    await Promise.all(all.map((shared) => shared.ready.then((watch) => watch.stop(), () => undefined)));
  }
}
