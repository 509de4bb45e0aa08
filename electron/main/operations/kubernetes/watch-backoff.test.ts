import { describe, expect, it } from 'vitest';
import { backoffDelay, CancellableDelay, defaultBackoff } from './watch-backoff.ts';

describe('backoffDelay', () => {
  it.each([1, 5, 8, 12, 30, 1000])('never waits longer than the 10 s cap plus jitter (attempt %i)', (attempt) => {
    for (const random of [0, 0.5, 0.999]) expect(backoffDelay(attempt, defaultBackoff, () => random)).toBeLessThanOrEqual(10_000);
  });

  it('doubles from the first delay', () => {
    const policy = { initialMs: 100, maxMs: 10_000, jitter: 0 };
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, policy))).toEqual([100, 200, 400, 800]);
  });
});

describe('CancellableDelay.waitOrProbe', () => {
  it('returns as soon as the probe answers, long before the backoff is over', async () => {
    const delay = new CancellableDelay();
    let asked = 0;
    const completed = await delay.waitOrProbe(60_000, async () => ++asked >= 3, 10);
    expect(completed).toBe(true);
    expect(asked).toBe(3);
  });

  it('waits the whole delay when the probe never answers, and stops when cancelled', async () => {
    const delay = new CancellableDelay();
    let asked = 0;
    expect(await delay.waitOrProbe(50, async () => (asked++, false), 10)).toBe(true);
    expect(asked).toBeGreaterThan(0);
    const waiting = delay.waitOrProbe(60_000, async () => false, 10);
    setTimeout(() => delay.cancel(), 30);
    expect(await waiting).toBe(false);
  });

  it('a cancel that lands while the probe is out still ends the wait (Retry is never lost)', async () => {
    const delay = new CancellableDelay();
    const waiting = delay.waitOrProbe(60_000, async () => {
      delay.cancel();
      return false;
    }, 10);
    expect(await waiting).toBe(false);
  });
});
