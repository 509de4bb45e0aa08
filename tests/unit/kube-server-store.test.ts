// The Kubernetes test API server's store takes shortcuts for speed (a hand copy instead of
// structuredClone, a JSON comparison that writes nothing out, an index of objects by controller):
// each must give exactly what the slow way gave.
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { deepClone, sameJson, type KubeObject } from '../kube-server/model/types.ts';
import { ObjectStore } from '../kube-server/store.ts';

/** A small deterministic generator, so a failure names the same values every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

const leaves: readonly unknown[] = [0, -0, 1, 1.5, NaN, Infinity, -Infinity, '', 'a', '1', true, false, null, undefined];

function value(next: () => number, depth: number): unknown {
  const pick = next();
  if (depth > 3 || pick < 0.4) return leaves[Math.floor(next() * leaves.length)];
  if (pick < 0.7) {
    const items = Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth + 1));
    // a hole now and then
    if (items.length > 1 && next() < 0.2) delete items[0];
    return items;
  }
  const record: Record<string, unknown> = {};
  for (let key = Math.floor(next() * 4); key > 0; key--) record[['a', 'b', 'c', '1', 'z'][Math.floor(next() * 5)] ?? 'a'] = value(next, depth + 1);
  return record;
}

/** A variant of `original`: often the same JSON written differently (keys reordered, undefined added, NaN for null), sometimes a real change. */
function variant(original: unknown, next: () => number): unknown {
  if (Array.isArray(original)) return original.map((item: unknown) => (next() < 0.3 ? variant(item, next) : item));
  if (typeof original === 'object' && original !== null) {
    const entries = Object.entries(original);
    if (next() < 0.3) entries.reverse();
    if (next() < 0.2) entries.push(['extra', undefined]);
    if (next() < 0.1) entries.push(['added', 1]);
    return Object.fromEntries(entries.map(([key, item]) => [key, next() < 0.3 ? variant(item, next) : item]));
  }
  if (original === null && next() < 0.5) return NaN;
  if (next() < 0.1) return value(next, 3);
  return original;
}

describe('test API server store', () => {
  it('deepClone copies plain data as structuredClone does, and leaves anything else to it', () => {
    const next = random(7);
    for (let run = 0; run < 2_000; run++) {
      const original = value(next, 0);
      const copy = deepClone(original);
      expect(isDeepStrictEqual(copy, structuredClone(original))).toBe(true);
      expect(JSON.stringify(copy)).toBe(JSON.stringify(original));
    }
    const shared = { a: 1 };
    const withShared = deepClone({ left: shared, right: shared });
    expect(withShared.left).toBe(withShared.right);
    expect(withShared.left).not.toBe(shared);
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    const cyclicCopy = deepClone(cyclic);
    expect(cyclicCopy.self).toBe(cyclicCopy);
    expect(deepClone({ at: new Date(5) }).at).toEqual(new Date(5));
    expect(Object.keys(deepClone({ b: 1, a: 2, 2: 3, 1: 4 }))).toEqual(['1', '2', 'b', 'a']);
  });

  it('sameJson says what comparing the two JSON.stringify texts says', () => {
    const next = random(11);
    let same = 0;
    for (let run = 0; run < 5_000; run++) {
      const a = value(next, 0);
      const b = variant(a, next);
      const expected = JSON.stringify(a) === JSON.stringify(b);
      if (expected) same += 1;
      expect([sameJson(a, b), a, b]).toEqual([expected, a, b]);
    }
    // both answers are covered
    expect(same).toBeGreaterThan(500);
    expect(same).toBeLessThan(4_500);
    expect(sameJson(undefined, () => 1)).toBe(true);
    expect(sameJson({ at: new Date(5) }, { at: new Date(5).toISOString() })).toBe(true);
    expect(sameJson([], {})).toBe(false);
  });

  it('controlledBy lists what list + filtering by controller reference lists, in the same order', () => {
    const store = new ObjectStore();
    const next = random(3);
    const owners = ['uid-a', 'uid-b', 'uid-c'];
    const pod = (name: string, namespace: string): KubeObject => {
      const owner = owners[Math.floor(next() * owners.length)] ?? '';
      const controller = next() < 0.8;
      return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, ...(next() < 0.9 ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: owner, controller }] } : {}) } };
    };
    const names = Array.from({ length: 60 }, (_, index) => `pod-${(index * 37) % 60}`);
    for (let step = 0; step < 600; step++) {
      const name = names[Math.floor(next() * names.length)] ?? '';
      const namespace = next() < 0.5 ? 'one' : 'two';
      const action = next();
      if (!store.get('pods', namespace, name)) store.create('pods', pod(name, namespace));
      else if (action < 0.6) store.update('pods', pod(name, namespace));
      else store.remove('pods', namespace, name);
      for (const ns of ['one', 'two', 'three']) {
        for (const uid of owners) {
          const filtered = store.list('pods', ns).filter((object) => object.metadata.ownerReferences?.some((reference) => reference.controller && reference.uid === uid));
          expect(store.controlledBy('pods', ns, uid)).toEqual(filtered);
        }
      }
    }
  });
});
