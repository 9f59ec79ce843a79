/**
 * The requests per period of time and status class, counted once by the rebuild so that the
 * case's histogram (the Overview's chart) adds up a few thousand rows instead of grouping every
 * request (1.2–1.9 s of CPU for a million). A period is one second, minute, hour or UTC day:
 * the finest of these that leaves at most TIME_BUCKET_ROWS_MAX periods holding requests. Each
 * width a histogram draws with (histogramQuery.ts's steps) from the period up is a whole
 * number of periods, with edges on period edges, so every bar is a sum of whole rows.
 */

/** The period widths tried, finest first (µs). */
export const TIME_BUCKET_WIDTHS_US = [1e6, 60e6, 3600e6, 86_400e6] as const;

/** At most this many periods holding requests are stored (a few ms to add up). */
export const TIME_BUCKET_ROWS_MAX = 65_536;

/** The periods holding requests, in time order: column arrays of one length. */
export interface TimeBuckets {
  widthUs: number;
  startUs: Float64Array;
  n: Int32Array;
  s2: Int32Array;
  s3: Int32Array;
  s4: Int32Array;
  s5: Int32Array;
  /** Each period's first and last request (µs). */
  firstUs: Float64Array;
  lastUs: Float64Array;
}

/** The start of the period of `widthUs` holding `us`: exact for any integer time (fmod is). */
export function periodStart(us: number, widthUs: number): number {
  const r = us % widthUs;
  return r < 0 ? us - r - widthUs : us - r;
}

/** Above this many periods between the first and last request, periods are found by sorting. */
const SLOTS_MAX = 1 << 22;

/**
 * The requests of `ts` and `status` (first `n` of each; status -1 is none) counted per period,
 * at the finest width that gives at most `maxRows` periods with requests; null when even a
 * day does (requests spread over more than 179 years).
 */
export function countTimeBuckets(
  ts: Float64Array,
  status: Int32Array,
  n: number,
  maxRows = TIME_BUCKET_ROWS_MAX,
): TimeBuckets | null {
  if (n === 0) return null;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = ts[i]!;
    if (t < min) min = t;
    if (t > max) max = t;
  }
  // One slot per period from the first request's to the last's, while that is few enough: a
  // count per slot says which periods hold requests (three passes over the times, no sort).
  let skipped = false;
  for (const widthUs of TIME_BUCKET_WIDTHS_US) {
    const base = periodStart(min, widthUs);
    const slots = slotOf(max, base, widthUs) + 1;
    if (slots > SLOTS_MAX) {
      skipped = true;
      continue;
    }
    // Requests spread over more periods than the finer widths could hold: sorting finds
    // whether few enough periods hold them (a few lines dated years off).
    if (skipped) return sortedBuckets(ts, status, n, maxRows);
    const rowOfSlot = new Int32Array(slots);
    for (let i = 0; i < n; i++) rowOfSlot[slotOf(ts[i]!, base, widthUs)] = 1;
    let rows = 0;
    for (let s = 0; s < slots; s++) if (rowOfSlot[s] === 1) rowOfSlot[s] = ++rows;
    if (rows > maxRows) continue;
    const out = emptyBuckets(widthUs, rows);
    for (let s = 0; s < slots; s++) {
      const row = rowOfSlot[s]!;
      if (row > 0) out.startUs[row - 1] = base + s * widthUs;
    }
    out.firstUs.fill(Infinity);
    out.lastUs.fill(-Infinity);
    for (let i = 0; i < n; i++) {
      const t = ts[i]!;
      add(out, rowOfSlot[slotOf(t, base, widthUs)]! - 1, t, status[i]!);
    }
    return out;
  }
  return skipped ? sortedBuckets(ts, status, n, maxRows) : null;
}

/** The slot of `t` counted from `base` (a period start at or before it), exactly. */
function slotOf(t: number, base: number, widthUs: number): number {
  const d = t - base;
  let q = Math.floor(d / widthUs);
  // The division rounds; the products are exact below 2^53.
  if (q * widthUs > d) q--;
  else if ((q + 1) * widthUs <= d) q++;
  return q;
}

function emptyBuckets(widthUs: number, rows: number): TimeBuckets {
  return {
    widthUs,
    startUs: new Float64Array(rows),
    n: new Int32Array(rows),
    s2: new Int32Array(rows),
    s3: new Int32Array(rows),
    s4: new Int32Array(rows),
    s5: new Int32Array(rows),
    firstUs: new Float64Array(rows),
    lastUs: new Float64Array(rows),
  };
}

/** Counts one request of time `t` and status `st` (-1 none) into `row`. */
function add(out: TimeBuckets, row: number, t: number, st: number): void {
  out.n[row]!++;
  if (t < out.firstUs[row]!) out.firstUs[row] = t;
  if (t > out.lastUs[row]!) out.lastUs[row] = t;
  const cls = st < 0 ? 0 : Math.floor(st / 100);
  if (cls === 2) out.s2[row]!++;
  else if (cls === 3) out.s3[row]!++;
  else if (cls === 4) out.s4[row]!++;
  else if (cls === 5) out.s5[row]!++;
}

/** countTimeBuckets by sorting the times: for requests spread over a very long span. */
function sortedBuckets(
  ts: Float64Array,
  status: Int32Array,
  n: number,
  maxRows: number,
): TimeBuckets | null {
  const sorted = ts.slice(0, n).sort();
  const widthUs = TIME_BUCKET_WIDTHS_US.find((w) => distinctPeriods(sorted, w, maxRows) <= maxRows);
  if (widthUs === undefined) return null;
  const out = emptyBuckets(widthUs, distinctPeriods(sorted, widthUs, maxRows));
  let row = -1;
  for (let i = 0; i < n; i++) {
    const start = periodStart(sorted[i]!, widthUs);
    if (row < 0 || start !== out.startUs[row]) out.startUs[++row] = start;
  }
  out.firstUs.fill(Infinity);
  out.lastUs.fill(-Infinity);
  for (let i = 0; i < n; i++) {
    const t = ts[i]!;
    add(out, rowOf(out.startUs, periodStart(t, widthUs)), t, status[i]!);
  }
  return out;
}

/** How many periods of `widthUs` the sorted times fall in; stops counting past `cap`. */
function distinctPeriods(sorted: Float64Array, widthUs: number, cap: number): number {
  let count = 0;
  let last = NaN;
  for (let i = 0; i < sorted.length; i++) {
    const start = periodStart(sorted[i]!, widthUs);
    if (start !== last) {
      if (++count > cap) return count;
      last = start;
    }
  }
  return count;
}

/** The index of `start` in the ascending `starts` (it is there). */
function rowOf(starts: Float64Array, start: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
