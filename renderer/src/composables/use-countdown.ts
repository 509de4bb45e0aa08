import { computed, onScopeDispose, ref, type ComputedRef } from 'vue';

export interface Countdown {
  /** Whole seconds left (rounded up), 0 once due; null when nothing is scheduled. */
  readonly seconds: ComputedRef<number | null>;
  /** Counts down from `ms` now; null clears it. */
  start(ms: number | null): void;
}

/**
 * "Retrying in N s" that really counts: main says how long the wait is when it starts, and this
 * ticks the number down every second in the window (no extra IPC per second).
 */
export function useCountdown(): Countdown {
  const dueAt = ref<number | null>(null);
  const now = ref(Date.now());
  let timer: ReturnType<typeof setInterval> | null = null;
  const stopTicking = (): void => {
    if (timer !== null) clearInterval(timer);
    timer = null;
  };
  onScopeDispose(stopTicking);
  return {
    seconds: computed(() => (dueAt.value === null ? null : Math.max(0, Math.ceil((dueAt.value - now.value) / 1000)))),
    start(ms) {
      stopTicking();
      now.value = Date.now();
      dueAt.value = ms === null ? null : now.value + ms;
      if (ms === null) return;
      timer = setInterval(() => {
        now.value = Date.now();
        if (dueAt.value === null || now.value >= dueAt.value) stopTicking();
      }, 250);
    },
  };
}
