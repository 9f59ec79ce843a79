import { describe, expect, it } from 'vitest';
import { baselineOf, mad, madSorted, median, percentileSorted, robustZ } from './robustStats.js';

describe('robust statistics', () => {
  it('median, MAD and p95 of known samples', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(mad([1, 1, 2, 2, 4, 6, 9])).toBe(1);
    expect(percentileSorted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(percentileSorted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(Number.isNaN(median([]))).toBe(true);
  });

  it('robust z is 0.6745 (x − median) / MAD', () => {
    expect(robustZ(870, 42, 6)).toBeCloseTo((0.6745 * 828) / 6, 9);
    expect(robustZ(42, 42, 6)).toBe(0);
  });

  it('falls back to the mean absolute deviation when MAD is 0', () => {
    const b = baselineOf(Float64Array.from([10, 10, 10, 10, 10, 10, 10, 30]));
    expect(b.mad).toBe(0);
    expect(b.meanAbsDev).toBeCloseTo(2.5, 9);
    expect(robustZ(30, b.median, b.mad, b.meanAbsDev)).toBeCloseTo(20 / (1.253314 * 2.5), 6);
    expect(robustZ(11, 10, 0, 0)).toBe(Infinity);
  });

  it('one huge outlier does not move the baseline', () => {
    const values = Float64Array.from([
      ...Array.from({ length: 99 }, (_, i) => 40 + (i % 5)),
      100000,
    ]);
    const b = baselineOf(values);
    expect(b.median).toBe(42);
    expect(b.mad).toBe(1);
  });

  it('takes the MAD from the sorted sample exactly as sorting the deviations does', () => {
    // A fixed-seed generator: samples with ties, negatives, odd and even sizes, one element.
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 400; round++) {
      const n = 1 + Math.floor(next() * 60);
      const spread = [1, 5, 1000][round % 3]!;
      const values = Float64Array.from({ length: n }, () =>
        round % 4 === 0 ? Math.floor(next() * spread) : (next() - 0.3) * spread,
      );
      const sorted = Float64Array.from(values).sort();
      const med = median(values);
      expect(madSorted(sorted, med), `round ${round}`).toBe(mad(values, med));
      expect(baselineOf(Float64Array.from(values)).mad).toBe(mad(values));
    }
    expect(Number.isNaN(madSorted([], NaN))).toBe(true);
  });
});
