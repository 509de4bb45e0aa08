export interface BackoffPolicy {
  /** First retry delay. */
  readonly initialMs: number;
  readonly maxMs: number;
  /** Each delay is scaled by a random factor in [1 - jitter, 1 + jitter] so many watches do not retry in step. */
  readonly jitter: number;
}

/** Capped at 10 s: a link that returns must show true rows again well within the 10 s the operator waits. */
export const defaultBackoff: BackoffPolicy = { initialMs: 250, maxMs: 10_000, jitter: 0.2 };

/** Exponential delay before retry number `attempt` (1-based), capped at maxMs. */
export function backoffDelay(attempt: number, policy: BackoffPolicy = defaultBackoff, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const base = Math.min(policy.maxMs, policy.initialMs * 2 ** exponent);
  const factor = 1 + policy.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(Math.min(policy.maxMs, base * factor)));
}

/** A sleep that stop() can cut short; resolves false when cancelled. */
export class CancellableDelay {
  private pending: { timer: NodeJS.Timeout; resolve: (completed: boolean) => void } | null = null;
  /** Counts cancel() calls, so one that lands while a probe is out still ends waitOrProbe. */
  private cancels = 0;

  wait(ms: number): Promise<boolean> {
    this.settlePending();
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.pending = null;
        resolve(true);
      }, ms);
      this.pending = { timer, resolve };
    });
  }

  cancel(): void {
    this.cancels += 1;
    this.settlePending();
  }

  private settlePending(): void {
    if (this.pending === null) return;
    clearTimeout(this.pending.timer);
    this.pending.resolve(false);
    this.pending = null;
  }

  /**
   * Waits out a backoff of `ms`, but asks `probe` (a cheap request that answers only when the
   * link is back) every `probeEveryMs` and returns at once when it succeeds, so recovery does
   * not wait for the rest of a long backoff. Resolves false when cancelled.
   */
  async waitOrProbe(ms: number, probe: () => Promise<boolean>, probeEveryMs = 1_000): Promise<boolean> {
    const deadline = Date.now() + ms;
    const cancelsBefore = this.cancels;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) return true;
      if (!(await this.wait(Math.min(probeEveryMs, left)))) return false;
      if (Date.now() >= deadline) return true;
      const answered = await probe();
      if (this.cancels !== cancelsBefore) return false;
      if (answered) return true;
    }
  }
}
