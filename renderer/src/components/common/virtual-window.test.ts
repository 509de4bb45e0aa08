import { describe, expect, it } from 'vitest';
import { rowTop, tableWindow, type OpenPanel } from './virtual-window.ts';

/** The slow way: every row and panel laid out one after another. */
function laidOut(count: number, rowHeight: number, panels: readonly OpenPanel[]): { tops: number[]; bottoms: number[]; height: number } {
  const heights = new Map(panels.map((panel) => [panel.index, panel.height]));
  const tops: number[] = [];
  const bottoms: number[] = [];
  let y = 0;
  for (let index = 0; index < count; index++) {
    tops.push(y);
    y += rowHeight + (heights.get(index) ?? 0);
    bottoms.push(y);
  }
  return { tops, bottoms, height: y };
}

/** The row whose row or panel holds height y. */
function rowHolding(y: number, layout: ReturnType<typeof laidOut>): number {
  const index = layout.bottoms.findIndex((bottom) => y < bottom);
  return index === -1 ? layout.tops.length - 1 : index;
}

/** A small deterministic generator, so a failure names the same case every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe('which rows of a virtual table are drawn', () => {
  it('matches laying out every row and panel one by one, over generated tables and scroll positions', () => {
    const next = random(7);
    for (let round = 0; round < 2_000; round++) {
      const count = Math.floor(next() * 400);
      const rowHeight = 20 + Math.floor(next() * 20);
      const panels = Array.from({ length: Math.floor(next() * 5) }, () => ({ index: Math.floor(next() * count), height: Math.floor(next() * 400) }));
      // one height per row, as the table keeps them
      const unique = [...new Map(panels.map((panel) => [panel.index, panel])).values()];
      const layout = laidOut(count, rowHeight, unique);
      const scrollTop = Math.floor(next() * (layout.height + 100));
      const viewHeight = Math.floor(next() * 600);
      const overscan = Math.floor(next() * 6);
      const shown = tableWindow(count, rowHeight, unique, scrollTop, viewHeight, overscan);
      const where = `case ${round}: ${count} rows of ${rowHeight} px, panels ${JSON.stringify(unique)}, scrolled to ${scrollTop}, view ${viewHeight}, overscan ${overscan}`;
      expect(shown.height, where).toBe(layout.height);
      if (count === 0) {
        expect(shown.last, where).toBeLessThan(shown.first);
        continue;
      }
      const top = Math.min(scrollTop, layout.height - 1);
      expect(shown.first, where).toBe(Math.max(0, rowHolding(top, layout) - overscan));
      expect(shown.last, where).toBe(Math.min(count - 1, rowHolding(top + viewHeight, layout) + overscan));
      expect(shown.top, where).toBe(layout.tops[shown.first]);
      for (const index of [0, Math.floor(count / 2), count - 1]) expect(rowTop(index, rowHeight, unique), where).toBe(layout.tops[index]);
    }
  });

  it('draws nothing for an empty table, and ignores panels of rows that are gone', () => {
    expect(tableWindow(0, 30, [{ index: 0, height: 100 }], 0, 300, 5)).toEqual({ first: 0, last: -1, top: 0, height: 0 });
    expect(tableWindow(3, 30, [{ index: 7, height: 100 }], 0, 300, 0)).toEqual({ first: 0, last: 2, top: 0, height: 90 });
  });

  it('keeps 20,000 rows to what fills the view', () => {
    const shown = tableWindow(20_000, 30, [], 300_000, 300, 4);
    expect(shown).toEqual({ first: 9_996, last: 10_014, top: 299_880, height: 600_000 });
  });
});
