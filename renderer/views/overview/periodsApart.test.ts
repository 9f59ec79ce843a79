import { describe, expect, it } from 'vitest';
import { DAY_BUCKETS_T0 as T0, DAY_US as DAY, dayBuckets } from '../../testing/dayBuckets';
import { periodsApart } from './periodsApart';

/** 96 empty days with these days' counts. */
function chart(busy: Record<number, number>): ReturnType<typeof dayBuckets> {
  return dayBuckets(Array.from({ length: 96 }, (_, i) => busy[i] ?? 0));
}

describe('the periods far apart of the overview chart', () => {
  it('are the two slivers of two logs years apart, each with its requests', () => {
    const buckets = chart({ 0: 800, 1: 20, 95: 1200 });
    // Where the backend says where in their buckets the requests are, the periods say it too.
    buckets[0] = { ...buckets[0]!, firstUs: T0 + 3_600e6, lastUs: T0 + 7_200e6 };
    buckets[1] = { ...buckets[1]!, firstUs: T0 + DAY, lastUs: T0 + DAY + 60e6 };
    expect(periodsApart(buckets)).toEqual([
      {
        fromUs: T0,
        toUs: T0 + 2 * DAY,
        firstUs: T0 + 3_600e6,
        lastUs: T0 + DAY + 60e6,
        requests: 820,
      },
      // Else the buckets' edges.
      {
        fromUs: T0 + 95 * DAY,
        toUs: T0 + 96 * DAY,
        firstUs: T0 + 95 * DAY,
        lastUs: T0 + 96 * DAY - 1,
        requests: 1200,
      },
    ]);
  });

  it('keep a short quiet stretch inside one period', () => {
    // 11 empty days (under an eighth of 96) do not part them; 12 do.
    expect(periodsApart(chart({ 0: 5, 12: 5, 60: 1 }))).toMatchObject([
      { fromUs: T0, toUs: T0 + 13 * DAY, requests: 10 },
      { fromUs: T0 + 60 * DAY, toUs: T0 + 61 * DAY, requests: 1 },
    ]);
    expect(periodsApart(chart({ 0: 5, 13: 5 }))).toHaveLength(2);
  });

  it('are none for one period, a spread, or too many to be a few captures', () => {
    expect(periodsApart(chart({ 40: 9, 41: 3 }))).toBe(null);
    // Busy over more than a quarter of the chart: it reads as it is.
    const wide = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [i, 1]));
    expect(periodsApart(chart({ ...wide, 90: 1 }))).toBe(null);
    // Seven periods.
    const seven = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [i * 13, 1]));
    expect(periodsApart(chart(seven))).toBe(null);
    const six = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [i * 13, 1]));
    expect(periodsApart(chart(six))).toHaveLength(6);
    expect(periodsApart(dayBuckets([1, 0, 0, 5]))).toBe(null);
    expect(periodsApart([])).toBe(null);
  });
});
