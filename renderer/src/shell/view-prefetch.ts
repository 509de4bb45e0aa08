/** How long after the window's first screen the other views are fetched, while nothing else runs. */
export const lazyViewPrefetchAfterMs = 1_500;

type Loader = () => Promise<unknown>;

/**
 * Fetches the chunks of views not shown yet, a moment after the window's first screen and when the
 * window is idle, so opening a page or a tab later does not wait for the network or the parser.
 * A fetch belongs to the frame that asked for it: when the frame goes (browser mode lost its
 * server, and the window shows the connection problem instead), a fetch not yet started is
 * called off rather than sent to a server that is away. Chunks that failed or were not fetched
 * are fetched when the frame is back; those already in are not asked again.
 */
export class ViewPrefetch {
  private readonly loaders: Loader[] = [];
  private readonly fetched = new Set<Loader>();

  add(loader: Loader): void {
    this.loaders.push(loader);
  }

  /** Schedules the fetch of every chunk not in yet; the returned function calls it off. */
  schedule(afterMs = lazyViewPrefetchAfterMs): () => void {
    let idle: number | undefined;
    const fetchMissing = () => {
      idle = undefined;
      for (const loader of this.loaders) {
        if (this.fetched.has(loader)) continue;
        loader().then(() => this.fetched.add(loader), () => undefined);
      }
    };
    const timer = setTimeout(() => {
      if (typeof requestIdleCallback === 'function') idle = requestIdleCallback(fetchMissing, { timeout: 2_000 });
      else fetchMissing();
    }, afterMs);
    return () => {
      clearTimeout(timer);
      if (idle !== undefined) cancelIdleCallback(idle);
    };
  }
}
