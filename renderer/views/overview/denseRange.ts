import type { HistogramBucket } from '../../../shared/contract/analysisApi';
import { bucketRequests } from '../../../shared/analysis/histogramBucket';

/** Where nearly all of a histogram's requests are, and how many lie far outside it. */
export interface DenseRange {
  /** Its buckets' range; `toUs` exclusive, as a time filter's `to`. */
  fromUs: number;
  toUs: number;
  /** Its earliest and latest request, where the buckets say (else their edges). */
  firstUs: number;
  lastUs: number;
  before: number;
  after: number;
}

/** At most this share of the requests (or one request) may lie outside the range shown. */
const OUTSIDE_SHARE = 0.01;
/** Narrowing pays only where the range is at most this share of the buckets. */
const NARROW_SHARE = 1 / 4;

/**
 * The shortest run of buckets holding all but a few requests (1%, or one), grown over the
 * busy buckets beside it so no burst is cut, when it is at most a quarter of the chart: a line
 * dated years from the rest squeezes everything else into a bar or two. Null when the
 * requests spread over the span (a quiet night is not an outlier), or nothing lies outside.
 */
export function denseRange(buckets: readonly HistogramBucket[]): DenseRange | null {
  const n = buckets.length;
  if (n < 8) return null;
  const counts = buckets.map(bucketRequests);
  const total = counts.reduce((a, b) => a + b, 0);
  const need = total - Math.max(1, Math.floor(total * OUTSIDE_SHARE));
  if (need <= 0) return null;
  // Two pointers: for each end, the latest start that still holds `need`.
  let best: [number, number] | null = null;
  let sum = 0;
  let lo = 0;
  for (let hi = 0; hi < n; hi++) {
    sum += counts[hi]!;
    while (sum - counts[lo]! >= need) sum -= counts[lo++]!;
    if (sum >= need && (!best || hi - lo < best[1] - best[0])) best = [lo, hi];
  }
  if (!best) return null;
  let [i, j] = best;
  while (i > 0 && counts[i - 1]! > 0) i--;
  while (j < n - 1 && counts[j + 1]! > 0) j++;
  if (j - i + 1 > n * NARROW_SHARE) return null;
  const before = counts.slice(0, i).reduce((a, b) => a + b, 0);
  const after = counts.slice(j + 1).reduce((a, b) => a + b, 0);
  if (before + after === 0) return null;
  const first = buckets[i]!;
  const last = buckets[j]!;
  return {
    fromUs: first.startUs,
    toUs: last.endUs,
    firstUs: first.firstUs ?? first.startUs,
    lastUs: last.lastUs ?? last.endUs - 1,
    before,
    after,
  };
}
