import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lazyViewPrefetchAfterMs, ViewPrefetch } from './view-prefetch.ts';

/** A chunk's fetch, counted, that fails while `away` is set (browser mode's server is gone). */
function chunk(server: { away: boolean }) {
  const fetch = vi.fn(() => (server.away ? Promise.reject(new TypeError('Failed to fetch dynamically imported module')) : Promise.resolve({})));
  return fetch;
}

describe('fetching the other views after the first screen', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fetches every view a moment after the first screen, not before', async () => {
    const server = { away: false };
    const prefetch = new ViewPrefetch();
    const views = [chunk(server), chunk(server), chunk(server)];
    for (const view of views) prefetch.add(view);
    prefetch.schedule();
    await vi.advanceTimersByTimeAsync(lazyViewPrefetchAfterMs - 1);
    expect(views.map((view) => view.mock.calls.length)).toEqual([0, 0, 0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(views.map((view) => view.mock.calls.length)).toEqual([1, 1, 1]);
  });

  it('sends nothing once the frame that asked has gone (the server went away before the fetch)', async () => {
    const server = { away: false };
    const prefetch = new ViewPrefetch();
    const view = chunk(server);
    prefetch.add(view);
    const callOff = prefetch.schedule();
    await vi.advanceTimersByTimeAsync(500);
    server.away = true;
    callOff();
    await vi.advanceTimersByTimeAsync(10 * lazyViewPrefetchAfterMs);
    expect(view).not.toHaveBeenCalled();
  });

  it('fetches again, when the frame is back, only the views that failed', async () => {
    const server = { away: false };
    const prefetch = new ViewPrefetch();
    const early = chunk(server);
    const late = vi.fn((): Promise<unknown> => Promise.reject(new TypeError('Failed to fetch dynamically imported module')));
    prefetch.add(early);
    prefetch.add(late);
    prefetch.schedule();
    await vi.advanceTimersByTimeAsync(lazyViewPrefetchAfterMs);
    late.mockImplementation(() => Promise.resolve({}));
    prefetch.schedule();
    await vi.advanceTimersByTimeAsync(lazyViewPrefetchAfterMs);
    expect([early.mock.calls.length, late.mock.calls.length]).toEqual([1, 2]);
    prefetch.schedule();
    await vi.advanceTimersByTimeAsync(lazyViewPrefetchAfterMs);
    expect([early.mock.calls.length, late.mock.calls.length]).toEqual([1, 2]);
  });
});
