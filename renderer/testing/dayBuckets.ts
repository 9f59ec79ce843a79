import type { HistogramBucket } from '../../shared/contract/analysisApi';

export const DAY_US = 86_400e6;
/** Where dayBuckets' first bucket starts. */
export const DAY_BUCKETS_T0 = Date.UTC(2019, 0, 1) * 1000;

/** Histogram buckets a day wide from DAY_BUCKETS_T0, with these many 2xx requests each. */
export function dayBuckets(counts: readonly number[]): HistogramBucket[] {
  return counts.map((n, i) => ({
    startUs: DAY_BUCKETS_T0 + i * DAY_US,
    endUs: DAY_BUCKETS_T0 + (i + 1) * DAY_US,
    s2xx: n,
    s3xx: 0,
    s4xx: 0,
    s5xx: 0,
    other: 0,
  }));
}
