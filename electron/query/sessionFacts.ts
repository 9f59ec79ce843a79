import { AppError } from '../../shared/contract/errors.js';
import type { CaseDb } from '../store/openCase.js';

/** Where one session's requests lie in keyed_facts: its key, first and last request time. */
export interface SessionSpan {
  rowId: number;
  keyId: number;
  firstUs: number;
  lastUs: number;
}

export function sessionSpan(db: CaseDb, rowId: number): SessionSpan {
  const span = db
    .prepare(
      'SELECT id AS rowId, key_id AS keyId, first_us AS firstUs, last_us AS lastUs FROM sessions WHERE id = ?',
    )
    .get(rowId) as SessionSpan | undefined;
  if (!span) throw new AppError('NOT_FOUND', `No session #${rowId} (rebuild the analysis?)`);
  return span;
}

/**
 * One session's facts as a FROM item `f` with request_facts' columns, read from keyed_facts as
 * one range of its key: from `fromUs` (inclusive) to `toUs` (exclusive), both clipped to the
 * session. Bind `sessionFactsParams` first, before the query's own values. The request_facts
 * view would offer SQLite two ranges of the facts' time, the session's and the query's own
 * (a histogram bucket, a page's cursor), and it may take the session's: each of a histogram's
 * 96 buckets then read the largest session whole (0.5–0.7 s instead of 2.5 ms).
 */
export const SESSION_FACTS_FROM = `(SELECT ? AS session_id, k.ts_us, k.request_id, k.endpoint_id,
    k.ip, k.method, k.status, k.user, k.role, k.outlier, k.latency_z, k.size_z
  FROM keyed_facts k WHERE k.key_id = ? AND k.ts_us >= ? AND k.ts_us < ?) f`;

/** The values SESSION_FACTS_FROM binds, in order. */
export function sessionFactsParams(
  span: SessionSpan,
  fromUs = -Infinity,
  toUs = Infinity,
): [number, number, number, number] {
  return [span.rowId, span.keyId, Math.max(span.firstUs, fromUs), Math.min(span.lastUs + 1, toUs)];
}
