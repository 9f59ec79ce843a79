import type { HistogramBucket } from '../../../shared/contract/analysisApi';
import { bucketRequests } from '../../../shared/analysis/histogramBucket';

/** A run of busy buckets, apart from the others by a long empty stretch. */
export interface Period {
  /** Its buckets' range; `toUs` exclusive, as a time filter's `to`. */
  fromUs: number;
  toUs: number;
  /** Its earliest and latest request, where the buckets say (else their edges). */
  firstUs: number;
  lastUs: number;
  requests: number;
}

/** Periods are apart when at least this share of the chart's buckets lies empty between them. */
const GAP_SHARE = 1 / 8;
/** Offering them pays only where all of them together fill at most this share of the chart. */
const BUSY_SHARE = 1 / 4;
/** More than this many is a spread of requests, not a few captures far apart. */
const MAX_PERIODS = 6;

/**
 * The periods a chart's requests fall in when they are a few far apart (two logs from different
 * years): the chart squeezes each into a sliver, so each can be shown on its own. Null when
 * the requests spread over the chart, or lie in one period.
 */
export function periodsApart(buckets: readonly HistogramBucket[]): Period[] | null {
  const n = buckets.length;
  if (n < 8) return null;
  const minGap = Math.max(2, Math.ceil(n * GAP_SHARE));
  const periods: Period[] = [];
  let busyBuckets = 0;
  let open: { from: number; to: number; requests: number } | null = null;
  let emptyRun = 0;
  buckets.forEach((b, i) => {
    const count = bucketRequests(b);
    if (count === 0) {
      emptyRun++;
      return;
    }
    if (open && emptyRun < minGap) {
      busyBuckets += i - open.to;
      open.to = i;
      open.requests += count;
    } else {
      if (open) periods.push(close(open));
      open = { from: i, to: i, requests: count };
      busyBuckets++;
    }
    emptyRun = 0;
  });
  if (open) periods.push(close(open));
  if (periods.length < 2 || periods.length > MAX_PERIODS) return null;
  if (busyBuckets > n * BUSY_SHARE) return null;
  return periods;

  function close(p: { from: number; to: number; requests: number }): Period {
    const first = buckets[p.from]!;
    const last = buckets[p.to]!;
    return {
      fromUs: first.startUs,
      toUs: last.endUs,
      firstUs: first.firstUs ?? first.startUs,
      lastUs: last.lastUs ?? last.endUs - 1,
      requests: p.requests,
    };
  }
}
