import type { HistogramBucket } from '../../shared/contract/analysisApi.js';

/** A bucket of [startUs, startUs + widthUs) with no request yet. */
export function emptyBucket(startUs: number, widthUs: number): HistogramBucket {
  return { startUs, endUs: startUs + widthUs, s2xx: 0, s3xx: 0, s4xx: 0, s5xx: 0, other: 0 };
}

/** Widens the bucket's first and last request time to take in [lo, hi]. */
export function spanned(b: HistogramBucket, lo: number, hi: number): void {
  b.firstUs = b.firstUs === undefined ? lo : Math.min(b.firstUs, lo);
  b.lastUs = b.lastUs === undefined ? hi : Math.max(b.lastUs, hi);
}

/**
 * Adds `n` requests to the bucket, `s2`–`s5` of them of each status class (the rest other),
 * the first at `lo` and the last at `hi`.
 */
export function addCounts(
  b: HistogramBucket,
  [n, s2, s3, s4, s5]: readonly [number, number, number, number, number],
  lo: number,
  hi: number,
): void {
  spanned(b, lo, hi);
  b.s2xx += s2;
  b.s3xx += s3;
  b.s4xx += s4;
  b.s5xx += s5;
  b.other += n - s2 - s3 - s4 - s5;
}
