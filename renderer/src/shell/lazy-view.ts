import { defineAsyncComponent, type Component } from 'vue';
import LazyViewFailed from '../components/common/LazyViewFailed.vue';
import LazyViewLoading from '../components/common/LazyViewLoading.vue';

type ViewLoader = () => Promise<{ default: Component }>;

/** A failed chunk is fetched again after these waits before the view says it could not load. */
export const lazyViewRetryDelaysMs = [300, 1_000, 3_000] as const;
/** How long after the window's first screen the other views are fetched, while nothing else runs. */
export const lazyViewPrefetchAfterMs = 1_500;

const loaders: ViewLoader[] = [];

/**
 * A part of the window that is not needed to draw its first screen (another page, an Operations
 * Modal tab, a dialog), kept in a chunk of its own so a new window parses and runs only what it
 * draws. The chunks are fetched in the background soon after the first screen (see
 * `prefetchLazyViews`), so a view the operator opens is normally there at once; a spinner shows if
 * it still takes a moment. A chunk that cannot be fetched (browser mode while its server is away)
 * is asked again three times, then the view says so with a way out (reload the window). The
 * production confirmation dialog is never lazy: it must be there whatever else failed to load.
 */
export function lazyView(loader: ViewLoader): Component {
  loaders.push(loader);
  return defineAsyncComponent({
    loader,
    loadingComponent: LazyViewLoading,
    delay: 200,
    errorComponent: LazyViewFailed,
    onError(_error, retry, fail, attempts) {
      const wait = lazyViewRetryDelaysMs[attempts - 1];
      if (wait === undefined) fail();
      else setTimeout(retry, wait);
    },
  });
}

let prefetched = false;

/**
 * Once per window, a moment after its first screen and when the window is idle, fetches every
 * lazy view's chunk, so opening a page or a tab later does not wait for the network or the parser.
 * A chunk that fails here is simply asked again when its view is shown.
 */
export function prefetchLazyViews(): void {
  if (prefetched) return;
  prefetched = true;
  setTimeout(() => {
    const fetchAll = () => {
      for (const loader of loaders) loader().catch(() => undefined);
    };
    if (typeof requestIdleCallback === 'function') requestIdleCallback(fetchAll, { timeout: 2_000 });
    else fetchAll();
  }, lazyViewPrefetchAfterMs);
}
