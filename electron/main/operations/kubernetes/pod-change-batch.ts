import type { PodRow } from './pod-rows.ts';

/**
 * The changes waiting for the next batch, by uid: the latest state of each pod wins (a row
 * modified ten times in one window goes out once, as it is now), a pod deleted and seen again
 * goes out as its last state, and pods keep the order in which they first changed. Applying a
 * taken batch to the table the subscriber had gives the table main has: nothing is lost.
 */
export class PodChangeBatch {
  private readonly pending = new Map<string, PodRow | null>();

  get size(): number {
    return this.pending.size;
  }

  /** `row` null: the pod is gone. */
  change(uid: string, row: PodRow | null): void {
    this.pending.set(uid, row);
  }

  /** Empties the batch and returns its changes. */
  take(): { upserted: PodRow[]; removed: string[] } {
    const upserted: PodRow[] = [];
    const removed: string[] = [];
    for (const [uid, row] of this.pending) {
      if (row === null) removed.push(uid);
      else upserted.push(row);
    }
    this.pending.clear();
    return { upserted, removed };
  }

  clear(): void {
    this.pending.clear();
  }
}
