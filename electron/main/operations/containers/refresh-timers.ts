/** A cancel function for something scheduled. */
export type Cancel = () => void;

/**
 * The clock the Container List's refresher runs on. Production uses real timers; tests pass a
 * manual clock so the 30-second auto-refresh can be driven without waiting.
 */
export interface RefreshTimers {
  after(ms: number, run: () => void): Cancel;
  every(ms: number, run: () => void): Cancel;
}

export const realTimers: RefreshTimers = {
  after(ms, run) {
    const handle = setTimeout(run, ms);
    return () => clearTimeout(handle);
  },
  every(ms, run) {
    const handle = setInterval(run, ms);
    return () => clearInterval(handle);
  },
};

/** 1 s, 2 s, 4 s … capped: how long to wait before the next reconnect attempt. */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt));
}
