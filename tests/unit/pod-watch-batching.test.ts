import { describe, expect, it } from 'vitest';
import { PodChangeBatch } from '../../electron/main/operations/kubernetes/pod-change-batch.ts';
import type { PodRow } from '../../electron/main/operations/kubernetes/pod-rows.ts';
import { compareRows, SortedPodTable } from '../../renderer/src/composables/sorted-pod-table.ts';

// Generated watch event sequences (adds, modifications, deletes, the same pod many times in one
// batch, a pod deleted then seen again, renames, names that tie), cut into batches at random:
// main's batch coalescing followed by the renderer's in-place apply leaves, after every batch,
// exactly the rows the events say, in the order a full sort gives.
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

type Event = { uid: string; row: PodRow | null };

function row(uid: string, name: string, version: number): PodRow {
  return { uid, name, phase: version % 3 === 0 ? 'Running' : version % 3 === 1 ? 'Pending' : 'Failed', restarts: version } as unknown as PodRow;
}

function events(next: () => number, count: number, pods: number): Event[] {
  const names = ['web-a', 'web-b', 'Web-b', 'web-10', 'web-9', 'api', 'ä-pod', 'z', 'web-a'];
  const out: Event[] = [];
  for (let i = 0; i < count; i++) {
    const uid = `uid-${Math.floor(next() * pods)}`;
    const kind = next();
    if (kind < 0.2) out.push({ uid, row: null });
    else out.push({ uid, row: row(uid, `${names[Math.floor(next() * names.length)]}${kind < 0.3 ? '' : `-${uid}`}`, i) });
  }
  return out;
}

function expected(state: Map<string, PodRow>): PodRow[] {
  return [...state.values()].sort(compareRows);
}

describe('pod watch batching: coalesced in main, applied in place in the renderer', () => {
  it.each(Array.from({ length: 12 }, (_, i) => i + 1))('every change applied, in order, nothing lost, seed %i', (seed) => {
    const next = random(seed);
    const all = events(next, 3000, seed % 2 === 0 ? 12 : 400);
    const truth = new Map<string, PodRow>();
    const batch = new PodChangeBatch();
    const table = new SortedPodTable<PodRow>();
    let batches = 0;
    for (let i = 0; i < all.length; i++) {
      const event = all[i] as Event;
      // main's PodWatch only queues real changes: a delete of an unknown pod is not one
      if (event.row === null && !truth.has(event.uid)) continue;
      if (event.row === null) truth.delete(event.uid);
      else truth.set(event.uid, event.row);
      batch.change(event.uid, event.row);
      if (next() < 0.1) {
        table.apply({ reset: false, ...batch.take() });
        batches += 1;
        expect(table.rows).toEqual(expected(truth));
        expect(table.size).toBe(truth.size);
      }
    }
    table.apply({ reset: false, ...batch.take() });
    expect(table.rows).toEqual(expected(truth));
    expect(batches).toBeGreaterThan(100);
  });

  it('the same pod many times in one batch goes out once, as its last state', () => {
    const batch = new PodChangeBatch();
    for (let version = 0; version < 50; version++) batch.change('p', row('p', 'web-1', version));
    expect(batch.take()).toEqual({ upserted: [row('p', 'web-1', 49)], removed: [] });
  });

  it('a pod deleted then seen again in one batch stays, with its new state', () => {
    const table = new SortedPodTable<PodRow>();
    table.apply({ reset: true, upserted: [row('p', 'web-1', 0), row('q', 'web-2', 0)], removed: [] });
    const batch = new PodChangeBatch();
    batch.change('p', null);
    batch.change('p', row('p', 'web-1', 7));
    table.apply({ reset: false, ...batch.take() });
    expect(table.rows).toEqual([row('p', 'web-1', 7), row('q', 'web-2', 0)]);
  });

  it('a reset replaces the table, whatever it held', () => {
    const table = new SortedPodTable<PodRow>();
    table.apply({ reset: false, upserted: [row('a', 'x', 0), row('b', 'y', 0)], removed: [] });
    table.apply({ reset: true, upserted: [row('c', 'b', 1), row('d', 'a', 1)], removed: ['a'] });
    expect(table.rows.map((r) => r.uid)).toEqual(['d', 'c']);
    expect(table.get('a')).toBeUndefined();
  });
});
