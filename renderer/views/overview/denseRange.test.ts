import { describe, expect, it } from 'vitest';
import {
  DAY_BUCKETS_T0 as T0,
  DAY_US as DAY,
  dayBuckets as buckets,
} from '../../testing/dayBuckets';
import { denseRange } from './denseRange';

describe('the dense range of the overview chart', () => {
  it('is the busy end when one line is dated far before the rest', () => {
    const counts = Array.from({ length: 96 }, (_, i) => (i === 0 ? 1 : i >= 94 ? 500 : 0));
    const days = buckets(counts);
    // Where the backend says where in their buckets the requests are, the range says it too.
    days[94] = { ...days[94]!, firstUs: T0 + 94 * DAY + 3_600e6, lastUs: T0 + 95 * DAY - 1 };
    days[95] = { ...days[95]!, firstUs: T0 + 95 * DAY, lastUs: T0 + 95 * DAY + 7_200e6 };
    expect(denseRange(days)).toEqual({
      fromUs: T0 + 94 * DAY,
      toUs: T0 + 96 * DAY,
      firstUs: T0 + 94 * DAY + 3_600e6,
      lastUs: T0 + 95 * DAY + 7_200e6,
      before: 1,
      after: 0,
    });
  });

  it('grows over the busy buckets beside it, so a burst is never cut', () => {
    const counts = Array.from({ length: 96 }, (_, i) =>
      i === 95 ? 2 : i >= 40 && i <= 50 ? (i === 45 ? 10_000 : 3) : 0,
    );
    // Else the buckets' edges.
    expect(denseRange(buckets(counts))).toEqual({
      fromUs: T0 + 40 * DAY,
      toUs: T0 + 51 * DAY,
      firstUs: T0 + 40 * DAY,
      lastUs: T0 + 51 * DAY - 1,
      before: 0,
      after: 2,
    });
  });

  it('is none where requests spread over the span, or a cluster holds more than 1%', () => {
    // A spike over steady traffic: nothing lies far off.
    expect(denseRange(buckets(Array.from({ length: 96 }, (_, i) => (i === 50 ? 1e6 : 1))))).toBe(
      null,
    );
    // Two files, one of them years off: both are shown (squeezed rather than hidden).
    const two = Array.from({ length: 96 }, (_, i) => (i === 0 ? 50 : i === 95 ? 950 : 0));
    expect(denseRange(buckets(two))).toBe(null);
    // Busy over more than a quarter of the span: narrowing would gain little.
    const wide = Array.from({ length: 96 }, (_, i) => (i === 0 ? 1 : i >= 40 ? 100 : 0));
    expect(denseRange(buckets(wide))).toBe(null);
    expect(denseRange(buckets([1, 0, 0, 5]))).toBe(null);
    expect(denseRange([])).toBe(null);
  });
});
