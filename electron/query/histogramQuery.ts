import type { HistogramBucket, RequestHistogram } from '../../shared/contract/analysisApi.js';
import type { Filters } from '../../shared/query/filterModel.js';
import type { CaseDb } from '../store/openCase.js';
import { DETECTIONS_REQUEST_COL, DETECTIONS_TABLE, hasDetections } from './detectionsLink.js';
import { factsWhereWithMaps } from './filterSql.js';
import { addBars, addCounts, emptyBucket, spanned, type BarRow } from './histogramBuckets.js';
import { SESSION_FACTS_FROM, sessionFactsParams } from './sessionFacts.js';
import { histogramFromTimeBuckets } from './timeBucketsHistogram.js';

/** Widths that read well on an axis (seconds): bucket edges fall on round times. */
const STEPS_S = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
];

/** The smallest round width that covers the span in at most `target` buckets. */
export function histogramWidthUs(spanUs: number, target: number): number {
  const ideal = spanUs / Math.max(1, target) / 1e6;
  const step = STEPS_S.find((s) => s >= ideal) ?? Math.ceil(ideal / 86400) * 86400;
  return step * 1e6;
}

/**
 * The case's first and last request time. Two subqueries: SQLite answers a lone min() or
 * max() from the ts index in one step, but both in one SELECT by reading every request.
 */
export const CASE_SPAN_SQL =
  'SELECT (SELECT min(ts_us) FROM requests) AS lo, (SELECT max(ts_us) FROM requests) AS hi';

/**
 * One bucket of one session: its requests in [start, end) by status class, with marks. The
 * session's row id and the time range lead, so the read is a range of the facts' key;
 * exported for the query-plan test. FILTER counts cost less than sum() of comparisons.
 */
export function sessionBucketSql(whereSql: string, marks: boolean, attackSql = '0'): string {
  // One session's facts from the bucket's start to its end (sessionFacts.ts says why not the
  // request_facts view).
  return `SELECT count(*) AS n,
      count(*) FILTER (WHERE f.status / 100 = 2) AS s2,
      count(*) FILTER (WHERE f.status / 100 = 3) AS s3,
      count(*) FILTER (WHERE f.status / 100 = 4) AS s4,
      count(*) FILTER (WHERE f.status / 100 = 5) AS s5,
      ${marks ? 'count(*) FILTER (WHERE f.outlier != 0)' : '0'} AS o,
      ${marks && attackSql !== '0' ? `count(*) FILTER (WHERE ${attackSql})` : '0'} AS a,
      min(f.ts_us) AS lo, max(f.ts_us) AS hi
    FROM ${SESSION_FACTS_FROM}
    WHERE ${whereSql}`;
}

/**
 * The case-wide histogram's counts over `from` (request_facts f and its WHERE): per bucket
 * number, its requests and those of each status class. The first two parameters are the first
 * bucket's start and the width. Exported for the tests.
 */
export function histogramGroupSql(from: string): string {
  return `SELECT (f.ts_us - CAST(? AS INTEGER)) / CAST(? AS INTEGER) AS k,
      count(*) AS n,
      count(*) FILTER (WHERE f.status / 100 = 2) AS s2,
      count(*) FILTER (WHERE f.status / 100 = 3) AS s3,
      count(*) FILTER (WHERE f.status / 100 = 4) AS s4,
      count(*) FILTER (WHERE f.status / 100 = 5) AS s5,
      min(f.ts_us) AS lo, max(f.ts_us) AS hi
    FROM ${from}
    GROUP BY k`;
}

/**
 * Matching requests of the whole case per time bucket and status class, grouped in SQL so
 * the renderer receives at most `target` rows whatever the case size. The range is the
 * filter's time range, clipped to the case's first and last request (read from the ts
 * index) or, with a session filter, to that session's, so an open-ended range does not
 * produce empty years.
 */
export function requestHistogram(
  db: CaseDb,
  filters: Filters = {},
  target = 96,
  marks = false,
): RequestHistogram {
  const span = db.prepare(CASE_SPAN_SQL).get() as {
    lo: number | null;
    hi: number | null;
  };
  const empty = { buckets: [], widthUs: 0, total: 0, caseFirstUs: span.lo, caseLastUs: span.hi };
  if (span.lo === null || span.hi === null) return empty;
  // One session's histogram spans that session, not the case.
  const own =
    filters.sessionId === undefined
      ? { lo: span.lo, hi: span.hi, rowId: null, attacks: 0, keyId: 0 }
      : ((db
          .prepare(
            `SELECT first_us AS lo, last_us AS hi, id AS rowId, attack_count AS attacks,
              key_id AS keyId FROM sessions WHERE sid = ?`,
          )
          .get(filters.sessionId) as
          { lo: number; hi: number; rowId: number; attacks: number; keyId: number } | undefined) ??
        null);
  if (own === null) return empty;
  const lo = Math.max(own.lo, filters.from ?? -Infinity);
  // `to` is exclusive; the last request is inside, so hi + 1 is the exclusive end.
  const hi = Math.min(own.hi + 1, filters.to ?? Infinity);
  if (hi <= lo) return empty;
  const widthUs = histogramWidthUs(hi - lo, target);
  const start = Math.floor(lo / widthUs) * widthUs;
  const n = Math.max(1, Math.ceil((hi - start) / widthUs));
  const where = factsWhereWithMaps(db, filters);
  // Marks probe the detections of every counted request: meant for one session's range.
  const attack =
    marks && hasDetections(db)
      ? `EXISTS (SELECT 1 FROM ${DETECTIONS_TABLE} d WHERE d.${DETECTIONS_REQUEST_COL} = f.request_id)`
      : '0';
  const buckets = Array.from({ length: n }, (_, i) => {
    const b = emptyBucket(start + i * widthUs, widthUs);
    return marks ? { ...b, outliers: 0, attacks: 0 } : b;
  });
  // Requests outside the computed range cannot match a time filter; without one the range is
  // the case's span. Clamp anyway rather than index out of the array.
  const at = (k: number): HistogramBucket => buckets[Math.max(0, Math.min(n - 1, k))]!;
  let total = 0;
  if (own.rowId !== null) {
    // One session is one contiguous range of the facts key (key, time), so each bucket is a
    // range of it: one indexed read per bucket, with no GROUP BY sorting the session's
    // requests (~3x less CPU on a 50,000-request session). The rebuild counted the session's
    // attacked requests: with none, no request needs its detections probed.
    const probe = marks && own.attacks > 0 ? attack : '0';
    const stmt = db.prepare(sessionBucketSql(where.sql, marks, probe));
    for (const b of buckets) {
      const facts = sessionFactsParams(
        { rowId: own.rowId, keyId: own.keyId, firstUs: own.lo, lastUs: own.hi },
        b.startUs,
        b.endUs,
      );
      const g = stmt.get(...facts, ...where.params) as {
        n: number;
        s2: number;
        s3: number;
        s4: number;
        s5: number;
        o: number;
        a: number;
        lo: number | null;
        hi: number | null;
      };
      if (g.lo !== null && g.hi !== null) addCounts(b, [g.n, g.s2, g.s3, g.s4, g.s5], g.lo, g.hi);
      total += g.n;
      if (marks) {
        b.outliers = g.o;
        b.attacks = g.a;
      }
    }
    return { buckets, widthUs, total, caseFirstUs: span.lo, caseLastUs: span.hi };
  }
  // A filter of time alone (the Overview's chart and its narrowed ranges): the rebuild's counts
  // per period add up to each bar when its edges fall between periods (timeBucketsHistogram.ts).
  const { from: _from, to: _to, ...untimed } = filters;
  if (!marks && !factsWhereWithMaps(db, untimed).narrows) {
    const counted = histogramFromTimeBuckets(db, lo, hi, start, widthUs, buckets);
    if (counted !== null)
      return { buckets, widthUs, total: counted, caseFirstUs: span.lo, caseLastUs: span.hi };
  }
  // A filter whose sessions are known (where.session) reads only those sessions' requests, one
  // range of the facts' key each.
  const from = where.session
    ? `sessions s CROSS JOIN request_facts f ON f.session_id = s.id
       WHERE ${where.session.sql} AND ${where.sql}`
    : `request_facts f WHERE ${where.sql}`;
  const params = where.session ? [...where.session.params, ...where.params] : where.params;
  if (!marks) {
    // Grouped by bucket alone in SQL, each status class a FILTER count: one small row per
    // bucket instead of a row per request into JS (0.65-0.9 s -> 0.4-0.6 s on a million
    // requests; grouping by bucket and status class, or sum() of comparisons, sorts and
    // computes more). The bucket number is an integer division: every matching request is at
    // or after `start`.
    const grouped = db
      .prepare(histogramGroupSql(from))
      .raw()
      .all(start, widthUs, ...params) as BarRow[];
    total += addBars(buckets, grouped);
    return { buckets, widthUs, total, caseFirstUs: span.lo, caseLastUs: span.hi };
  }
  // Marks (a session's range, usually) stream each request: its outlier flag and detections.
  const rows = db
    .prepare(`SELECT f.ts_us, f.status, ${marks ? 'f.outlier' : '0'}, ${attack} FROM ${from}`)
    .raw()
    .iterate(...params) as IterableIterator<[number, number | null, number, number]>;
  for (const [ts, status, outlier, attacked] of rows) {
    const bucket = at(Math.floor((ts - start) / widthUs));
    spanned(bucket, ts, ts);
    total++;
    const c = status === null ? 0 : Math.floor(status / 100);
    if (c === 2) bucket.s2xx++;
    else if (c === 3) bucket.s3xx++;
    else if (c === 4) bucket.s4xx++;
    else if (c === 5) bucket.s5xx++;
    else bucket.other++;
    if (marks) {
      if (outlier !== 0) bucket.outliers = (bucket.outliers ?? 0) + 1;
      if (attacked) bucket.attacks = (bucket.attacks ?? 0) + 1;
    }
  }
  return { buckets, widthUs, total, caseFirstUs: span.lo, caseLastUs: span.hi };
}
