import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

/** How long the window waits before it asks main again by itself, in seconds; the last repeats. */
export const reconnectWaitsS = [1, 2, 4, 8, 10] as const;

/**
 * While the window cannot reach main, asks again by itself after 1, 2, 4, 8, then every 10 s,
 * counting down in `retryIn` (a browser-mode server restarted, a connection Chromium dropped when
 * a network interface came or went). `now()` asks at once (the Retry button) and starts the count
 * again if that fails too. `enabled` false (a browser tab opened without its token, which no
 * retry can fix) leaves asking to the user.
 */
export function useReconnect(connect: () => Promise<void>, enabled: boolean): { retryIn: Ref<number | null>; now: () => Promise<void> } {
  const retryIn = ref<number | null>(null);
  let attempt = 0;
  let gone = false;
  let ticker: ReturnType<typeof setInterval> | undefined;

  const stop = (): void => {
    if (ticker !== undefined) clearInterval(ticker);
    ticker = undefined;
    retryIn.value = null;
  };

  const schedule = (): void => {
    stop();
    if (!enabled || gone) return;
    retryIn.value = reconnectWaitsS[Math.min(attempt, reconnectWaitsS.length - 1)] ?? 10;
    attempt += 1;
    ticker = setInterval(() => {
      if (retryIn.value === null) return;
      retryIn.value -= 1;
      if (retryIn.value <= 0) void now();
    }, 1_000);
  };

  // when the window is back, the component showing the problem goes, and nothing is scheduled
  async function now(): Promise<void> {
    stop();
    await connect();
    schedule();
  }

  onMounted(schedule);
  onBeforeUnmount(() => {
    gone = true;
    stop();
  });
  return { retryIn, now };
}
