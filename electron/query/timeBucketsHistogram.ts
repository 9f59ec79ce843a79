import type { HistogramBucket } from '../../shared/contract/analysisApi.js';
import { periodStart } from '../analysis/timeBuckets.js';
import { currentTimeBuckets } from '../analysis/timeBucketsStep.js';
import { addBars, type BarRow } from './histogramBuckets.js';
import type { CaseDb } from '../store/openCase.js';

/** The two periods holding a range's edges: first and last request of each. */
export const TIME_BUCKET_EDGES_SQL =
  'SELECT first_us, last_us FROM time_buckets WHERE start_us IN (?, ?)';

/**
 * The periods from the one holding lo to the one holding hi - 1 that have requests in
 * [lo, hi), summed per bar (k, from the first bar's start, of the bar width): a range of the
 * table's key. Exported for the query-plan test.
 */
export const TIME_BUCKET_BARS_SQL = `SELECT (start_us - CAST(? AS INTEGER)) / CAST(? AS INTEGER) AS k,
    sum(n), sum(s2), sum(s3), sum(s4), sum(s5), min(first_us), max(last_us)
  FROM time_buckets
  WHERE start_us BETWEEN ? AND ? AND last_us >= ? AND first_us < ?
  GROUP BY k`;

/**
 * Adds the requests in [lo, hi) to `buckets` (from `start`, `widthUs` each) from the rebuild's
 * time_buckets, when they can say it exactly: the rows are current, each bar is whole periods
 * (`widthUs` a multiple of theirs) and no period has requests on both sides of lo or of hi.
 * Returns the requests added, or null (nothing added) when the requests must be counted.
 */
export function histogramFromTimeBuckets(
  db: CaseDb,
  lo: number,
  hi: number,
  start: number,
  widthUs: number,
  buckets: HistogramBucket[],
): number | null {
  const state = currentTimeBuckets(db);
  if (state === null || widthUs % state.widthUs !== 0) return null;
  // Periods between the one holding lo and the one holding hi - 1 lie wholly inside; those
  // two must not have requests on both sides of the edge (the table cannot split them).
  const first = periodStart(lo, state.widthUs);
  const last = periodStart(hi - 1, state.widthUs);
  const edges = db.prepare(TIME_BUCKET_EDGES_SQL).raw().all(first, last) as [number, number][];
  if (edges.some(([a, b]) => (a < lo && b >= lo) || (a < hi && b >= hi))) return null;
  // Grouped by bar in SQL: at most a few thousand rows, into one row per bar.
  const bars = db
    .prepare(TIME_BUCKET_BARS_SQL)
    .raw()
    .all(start, widthUs, first, last, lo, hi) as BarRow[];
  return addBars(buckets, bars);
}
