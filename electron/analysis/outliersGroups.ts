import type { CaseDb } from '../store/openCase.js';
import { BatchInsert } from './batchInsert.js';
import type { BaselineRow } from './endpointsStep.js';

/*
 * Response sizes are judged among the requests of the same endpoint and status class: a
 * redirect of 178 bytes and a page of 15 KB are different answers, and on an endpoint answered
 * mostly by redirects every page was a size outlier against the endpoint's median. Latency is
 * still judged per endpoint (a 504 after 30 s stays an outlier, however many 5xx there are).
 * The groups' baselines are stored (endpoint_size_baselines, migration 18) so a size outlier is
 * shown against the median it was judged by.
 */

/** Status classes: 0 none, 1–5 for 1xx–5xx, 6 any other code. */
export const STATUS_CLASSES = 7;
export const STATUS_NONE = 0;
export const STATUS_OTHER = 6;

/** The class of a scanned status (negative: none, as the scan stores a missing one). */
export function statusClass(status: number): number {
  if (status < 0) return STATUS_NONE;
  return status >= 100 && status < 600 ? Math.floor(status / 100) : STATUS_OTHER;
}

/**
 * statusClass in SQL, of a stored status column (keyed_facts.status: NULL for none), for
 * joining a request to its group's baseline. Tested against statusClass.
 */
export function statusClassSql(column: string): string {
  return `(CASE WHEN ${column} IS NULL THEN ${STATUS_NONE}
    WHEN ${column} >= 100 AND ${column} < 600 THEN CAST(${column} / 100 AS INTEGER)
    ELSE ${STATUS_OTHER} END)`;
}

/** One (endpoint, status class) with at least one response size, and its size baseline. */
export interface SizeGroup {
  /** Index into the endpoints' list (the stored id is index + 1). */
  endpoint: number;
  statusClass: number;
  size: BaselineRow;
}

/**
 * Merges the ascending runs `values[start[r] .. start[r + 1])` (r < runs) into `out`, ascending
 * (for the endpoint's baseline once its classes' samples are sorted: linear, where sorting the
 * whole sample again would cost n log n).
 */
export function mergeSortedRuns(
  values: Float64Array,
  start: ArrayLike<number>,
  runs: number,
  out: Float64Array,
): void {
  const at = Int32Array.from({ length: runs }, (_, r) => start[r]!);
  for (let k = 0; k < out.length; k++) {
    let best = -1;
    for (let r = 0; r < runs; r++) {
      if (at[r]! < start[r + 1]! && (best < 0 || values[at[r]!]! < values[at[best]!]!)) best = r;
    }
    out[k] = values[at[best]!++]!;
  }
}

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** Replaces the stored size baselines with the rebuild's groups (in the rebuild's transaction). */
export function writeSizeBaselines(db: CaseDb, groups: readonly SizeGroup[]): void {
  db.exec('DELETE FROM endpoint_size_baselines');
  const rows = new BatchInsert(db, 'endpoint_size_baselines', [
    'endpoint_id',
    'status_class',
    'size_count',
    'size_median',
    'size_p95',
    'size_mad',
  ]);
  for (const g of groups)
    rows.push(
      g.endpoint + 1,
      g.statusClass,
      g.size.count,
      finite(g.size.median),
      finite(g.size.p95),
      finite(g.size.mad),
    );
  rows.flush();
}
