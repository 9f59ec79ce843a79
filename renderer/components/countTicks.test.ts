import { describe, expect, it } from 'vitest';
import { brushedRows, countAxisProps, countTicks } from './countTicks';

describe('countTicks', () => {
  it('ends a small count axis at the count, in whole requests', () => {
    expect(countTicks(1)).toEqual([0, 1]);
    expect(countTicks(2)).toEqual([0, 1, 2]);
    expect(countTicks(3)).toEqual([0, 1, 2, 3]);
    expect(countTicks(4)).toEqual([0, 1, 2, 3, 4]);
    expect(countTicks(5)).toEqual([0, 2, 4, 6]);
  });

  it('gives an empty chart an axis of one', () => {
    expect(countTicks(0)).toEqual([0, 1]);
  });

  it('steps roundly, at most five ticks, never a fraction', () => {
    expect(countTicks(30)).toEqual([0, 10, 20, 30]);
    expect(countTicks(32)).toEqual([0, 10, 20, 30, 40]);
    expect(countTicks(880)).toEqual([0, 250, 500, 750, 1000]);
    expect(countTicks(590_000)).toEqual([0, 200_000, 400_000, 600_000]);
    for (let peak = 0; peak <= 5000; peak += 7) {
      const ticks = countTicks(peak);
      expect(ticks.length).toBeLessThanOrEqual(5);
      expect(ticks.every(Number.isInteger)).toBe(true);
      expect(ticks.at(-1)).toBeGreaterThanOrEqual(peak);
      // The top is the first tick at or above the peak: no empty step above the tallest bar.
      expect(ticks.at(-2)! < peak || peak <= 1).toBe(true);
    }
  });

  it('makes the axis domain end at its top tick', () => {
    expect(countAxisProps(1)).toEqual({ ticks: [0, 1], domain: [0, 1] });
    expect(countAxisProps(7).domain).toEqual([0, 8]);
  });
});

describe('brushedRows', () => {
  it('is the rows of the brush range, both ends in, or all with none or a stale one', () => {
    const rows = [0, 1, 2, 3, 4, 5];
    expect(brushedRows(rows, { start: 2, end: 4 })).toEqual([2, 3, 4]);
    expect(brushedRows(rows, null)).toBe(rows);
    // Left over from more rows than the chart now has.
    expect(brushedRows(rows, { start: 3, end: 9 })).toBe(rows);
  });
});
