/** How long a read done for an opening window waits to be taken by that window's first ask. */
export const openingReadMs = 3_000;

/**
 * A read started as a window opens, before the window can ask for it: the window's first ask
 * takes it (while it runs, or for `openingReadMs` after it ended) instead of reading again. It is
 * taken once. A read whose basis changed since it started (what it depends on besides the
 * outside world) is dropped, and so is one that is dropped explicitly after a change.
 */
export class OpeningRead<T> {
  private opening: { readonly result: Promise<T>; readonly basis: string; readonly stale: () => boolean } | null = null;

  /** Starts `read` unless one is running or fresh. */
  start(read: () => Promise<T>, basis = ''): void {
    if (this.opening !== null && !this.opening.stale()) return;
    const result = read();
    let settledAt: number | null = null;
    const settled = () => {
      settledAt = Date.now();
    };
    result.then(settled, settled);
    this.opening = { result, basis, stale: () => settledAt !== null && Date.now() - settledAt >= openingReadMs };
  }

  /** The opening read, once, if it is running or fresh and started on the same basis. */
  take(basis: string | (() => string) = ''): Promise<T> | undefined {
    const opening = this.opening;
    this.opening = null;
    if (opening === null || opening.stale()) return undefined;
    return opening.basis === (typeof basis === 'function' ? basis() : basis) ? opening.result : undefined;
  }

  /** Whether a read is waiting to be taken. */
  get waiting(): boolean {
    return this.opening !== null && !this.opening.stale();
  }

  drop(): void {
    this.opening = null;
  }
}
