import { describe, expect, it } from 'vitest';
import { bucketTimeline, bucketWidthUs } from './timelineBuckets';

describe('timeline buckets', () => {
  it('picks round widths and covers the span without gaps', () => {
    expect(bucketWidthUs(60 * 60e6, 60)).toBe(60e6);
    const from = Date.UTC(2026, 0, 1, 10, 0, 30) * 1000;
    const to = from + 10 * 60e6;
    const b = bucketTimeline([], from, to, 10);
    expect(b.length).toBeGreaterThanOrEqual(10);
    for (let i = 1; i < b.length; i++) expect(b[i]!.startUs).toBe(b[i - 1]!.endUs);
    expect(b[0]!.startUs).toBeLessThanOrEqual(from);
    expect(b[b.length - 1]!.endUs).toBeGreaterThan(to);
  });

  it('counts by status class and marks attacks and outliers', () => {
    const t0 = 1_000_000_000_000;
    const b = bucketTimeline(
      [
        { tsUs: t0, status: 200, outlier: false, attack: false },
        { tsUs: t0 + 1, status: 404, outlier: true, attack: false },
        { tsUs: t0 + 2, status: 503, outlier: false, attack: true },
        { tsUs: t0 + 3, status: null, outlier: false, attack: false },
      ],
      t0,
      t0 + 3,
      1,
    );
    expect(b).toHaveLength(1);
    expect(b[0]).toMatchObject({ s2xx: 1, s4xx: 1, s5xx: 1, other: 1, attacks: 1, outliers: 1 });
  });
});
