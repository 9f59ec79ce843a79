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

/** One bar's row of a grouped read: its number from the first bar, then addCounts' figures. */
export type BarRow = [
  k: number,
  n: number,
  s2: number,
  s3: number,
  s4: number,
  s5: number,
  lo: number,
  hi: number,
];

/**
 * Adds grouped rows to their buckets (a number out of range to the nearest: every counted
 * request is in the computed range, but an array is never indexed past its end). Returns the
 * requests added.
 */
export function addBars(buckets: HistogramBucket[], rows: readonly BarRow[]): number {
  let total = 0;
  for (const [k, n, s2, s3, s4, s5, lo, hi] of rows) {
    addCounts(buckets[Math.max(0, Math.min(buckets.length - 1, k))]!, [n, s2, s3, s4, s5], lo, hi);
    total += n;
  }
  return total;
}
