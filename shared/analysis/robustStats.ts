/**
 * Robust statistics for outlier baselines. Median and MAD resist the very outliers we look
 * for, where mean and standard deviation would be dragged towards them.
 */

/** Median of numbers already sorted ascending; NaN for an empty list. */
export function medianSorted(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function median(values: ArrayLike<number>): number {
  return medianSorted(Float64Array.from(values).sort());
}

/** Median absolute deviation from the median. */
export function mad(values: ArrayLike<number>, med = median(values)): number {
  const dev = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) dev[i] = Math.abs(values[i]! - med);
  return medianSorted(dev.sort());
}

/** Nearest-rank percentile (p in 0..100) of numbers sorted ascending; NaN when empty. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const rank = Math.ceil((p / 100) * n);
  return sorted[Math.min(n - 1, Math.max(0, rank - 1))]!;
}

/** Iglewicz–Hoaglin modified z-score: 0.6745 (x − median) / MAD. */
export const MAD_SCALE = 0.6745;

/**
 * Robust z of x against (median, MAD). When MAD is 0 (over half the values identical) the
 * mean absolute deviation stands in, scaled as Iglewicz–Hoaglin suggest (1.253314 ≈ √(π/2)),
 * so a constant baseline still ranks a far value; with no spread at all z is 0 or ±Infinity.
 */
export function robustZ(x: number, med: number, madValue: number, meanAbsDev = 0): number {
  if (madValue > 0) return (MAD_SCALE * (x - med)) / madValue;
  if (meanAbsDev > 0) return (x - med) / (1.253314 * meanAbsDev);
  if (x === med) return 0;
  return x > med ? Infinity : -Infinity;
}

export interface RobustBaseline {
  count: number;
  median: number;
  mad: number;
  meanAbsDev: number;
  p95: number;
}

/**
 * The k-th smallest (0-based) of the absolute deviations from `med` of `sorted` (ascending),
 * without computing and sorting them: on each side of the median they already run in order
 * (falling towards it from the left, rising from it on the right), so merging the two runs
 * outward from the median reaches the k-th in k steps.
 */
function kthDeviationSorted(sorted: ArrayLike<number>, med: number, k: number): number {
  // r: first value above the median; l: last value at or below it.
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= med) lo = mid + 1;
    else hi = mid;
  }
  let l = lo - 1;
  let r = lo;
  for (let taken = 0; ; taken++) {
    const left = l >= 0 ? med - sorted[l]! : Infinity;
    const right = r < sorted.length ? sorted[r]! - med : Infinity;
    const next = left <= right ? left : right;
    if (taken === k) return next;
    if (left <= right) l--;
    else r++;
  }
}

/** Median absolute deviation of numbers sorted ascending around their median `med`. */
export function madSorted(sorted: ArrayLike<number>, med: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const mid = n >> 1;
  if (n % 2 === 1) return kthDeviationSorted(sorted, med, mid);
  return (kthDeviationSorted(sorted, med, mid - 1) + kthDeviationSorted(sorted, med, mid)) / 2;
}

/** Baseline of a sample already sorted ascending. */
export function baselineOfSorted(sorted: Float64Array): RobustBaseline {
  const med = medianSorted(sorted);
  let sumAbs = 0;
  for (let i = 0; i < sorted.length; i++) sumAbs += Math.abs(sorted[i]! - med);
  return {
    count: sorted.length,
    median: med,
    mad: madSorted(sorted, med),
    meanAbsDev: sorted.length > 0 ? sumAbs / sorted.length : 0,
    p95: percentileSorted(sorted, 95),
  };
}

/** Baseline of a sample (sorted in place). */
export function baselineOf(values: Float64Array): RobustBaseline {
  return baselineOfSorted(values.sort());
}
