/** What the table needs of a row: its key and the name it is sorted by. */
export interface KeyedRow {
  readonly uid: string;
  readonly name: string;
}

/** One watch batch: on `reset` start from an empty table, then upsert by uid, then drop `removed`. */
export interface RowChanges<T extends KeyedRow> {
  readonly reset: boolean;
  readonly upserted: readonly T[];
  readonly removed: readonly string[];
}

const collator = new Intl.Collator();

/** By name as a person reads it (the order localeCompare gives), then by uid so equal names have one place. */
export function compareRows(left: KeyedRow, right: KeyedRow): number {
  return collator.compare(left.name, right.name) || (left.uid < right.uid ? -1 : left.uid > right.uid ? 1 : 0);
}

/**
 * The Pod List's rows kept sorted as batches arrive: rows by uid, and the sorted array updated
 * in place. A changed row whose name stays is replaced where it is; a new or renamed row is
 * placed by binary search; a removed row is found by binary search. A batch of k changes over
 * n rows costs k·log n comparisons instead of copying the map and sorting all n rows again.
 */
export class SortedPodTable<T extends KeyedRow> {
  private readonly byUid = new Map<string, T>();
  private readonly sorted: T[] = [];

  get size(): number {
    return this.sorted.length;
  }

  /** The rows in order. Live: the next apply changes it; copy it to hand it out. */
  get rows(): readonly T[] {
    return this.sorted;
  }

  get(uid: string): T | undefined {
    return this.byUid.get(uid);
  }

  apply(changes: RowChanges<T>): void {
    if (changes.reset) {
      this.byUid.clear();
      this.sorted.length = 0;
    }
    for (const row of changes.upserted) this.upsert(row);
    for (const uid of changes.removed) this.remove(uid);
  }

  private upsert(row: T): void {
    const before = this.byUid.get(row.uid);
    this.byUid.set(row.uid, row);
    if (before !== undefined) {
      const at = this.indexOf(before);
      if (before.name === row.name) {
        this.sorted[at] = row;
        return;
      }
      this.sorted.splice(at, 1);
    }
    this.sorted.splice(this.insertionPoint(row), 0, row);
  }

  private remove(uid: string): void {
    const before = this.byUid.get(uid);
    if (before === undefined) return;
    this.byUid.delete(uid);
    this.sorted.splice(this.indexOf(before), 1);
  }

  /** The first index whose row sorts at or after `row`. */
  private insertionPoint(row: KeyedRow): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareRows(this.sorted[mid] as T, row) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private indexOf(row: KeyedRow): number {
    const at = this.insertionPoint(row);
    if (this.sorted[at]?.uid !== row.uid) throw new Error(`sorted pod table lost row ${row.uid}`);
    return at;
  }
}
