import { defineAsyncComponent, type Component } from 'vue';
import LazyViewFailed from '../components/common/LazyViewFailed.vue';
import LazyViewLoading from '../components/common/LazyViewLoading.vue';
import { ViewPrefetch } from './view-prefetch.ts';

type ViewLoader = () => Promise<{ default: Component }>;

/** A failed chunk is fetched again after these waits before the view says it could not load. */
export const lazyViewRetryDelaysMs = [300, 1_000, 3_000] as const;
const prefetch = new ViewPrefetch();

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
  prefetch.add(loader);
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

/**
 * Once the window's frame is drawn: fetches the chunks of every lazy view not in yet (see
 * `ViewPrefetch`). The returned function calls the fetch off when the frame goes.
 */
export function prefetchLazyViews(): () => void {
  return prefetch.schedule();
}
