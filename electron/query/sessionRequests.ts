import { flowsOfMask } from '../../shared/analysis/flowRules.js';
import type {
  OutlierMeasure,
  RequestPage,
  SessionRequest,
} from '../../shared/contract/analysisApi.js';
import type { Filters } from '../../shared/query/filterModel.js';
import { formatUs } from '../../shared/time/parseTime.js';
import { statusClassSql } from '../analysis/outliersGroups.js';
import { OUTLIER_LATENCY, OUTLIER_SIZE } from '../analysis/outliersStep.js';
import type { CaseDb } from '../store/openCase.js';
import { attackTypesOf } from './detectionsLink.js';
import { factValue, factsWhereWithMaps } from './filterSql.js';
import type { SqlValue } from './textFilterSql.js';
import { sessionRowBySid } from './sessionDetail.js';
import { SESSION_FACTS_FROM, sessionFactsParams, sessionSpan } from './sessionFacts.js';

/**
 * Columns of a request with its analysis facts and the baselines it was judged by: its
 * endpoint's latency, its endpoint and status class's size (outliersGroups.ts). From f
 * (request facts), r (requests), e (endpoints) and sb (SIZE_BASELINE_JOIN). A case analysed
 * before size groups were stored (migration 18) judged sizes per endpoint: the endpoint's.
 */
export const SESSION_REQUEST_COLUMNS = `r.id, r.ts_us AS tsUs, r.ip, r.method, r.host, r.path,
  r.query, r.status, r.latency_ms AS latencyMs, r.resp_bytes AS respBytes,
  r.user_agent AS userAgent, r.request_id AS requestId, e.eid AS endpointId, e.template,
  ${factValue('f.user')} AS user, ${factValue('f.role')} AS role, e.flows, f.outlier, f.latency_z AS latencyZ, f.size_z AS sizeZ,
  e.latency_median AS latencyMedian, coalesce(sb.size_median, e.size_median) AS sizeMedian`;

/** The size baseline of a request's (f) endpoint and status class, for SESSION_REQUEST_COLUMNS. */
export const SIZE_BASELINE_JOIN = `LEFT JOIN endpoint_size_baselines sb
    ON sb.endpoint_id = f.endpoint_id AND sb.status_class = ${statusClassSql('f.status')}`;

export interface SessionRequestRow {
  id: number;
  tsUs: number;
  ip: string | null;
  method: string | null;
  host: string | null;
  path: string | null;
  query: string | null;
  status: number | null;
  latencyMs: number | null;
  respBytes: number | null;
  userAgent: string | null;
  requestId: string | null;
  endpointId: string;
  template: string;
  user: string | null;
  role: string | null;
  flows: number;
  outlier: number;
  latencyZ: number | null;
  sizeZ: number | null;
  latencyMedian: number | null;
  sizeMedian: number | null;
}

function measure(
  value: number | null,
  median: number | null,
  z: number | null,
  flagged: boolean,
): OutlierMeasure | null {
  if (value === null || median === null || z === null) return null;
  return { value, median, z, outlier: flagged };
}

const NO_ATTACKS: readonly string[] = [];

/** A stored request as the views get it, with the attack types detected on it. */
export function toSessionRequest(
  r: SessionRequestRow,
  attacks: readonly string[] = NO_ATTACKS,
): SessionRequest {
  return {
    id: r.id,
    time: formatUs(r.tsUs),
    tsUs: r.tsUs,
    ip: r.ip,
    method: r.method,
    host: r.host,
    path: r.path,
    query: r.query,
    status: r.status,
    latencyMs: r.latencyMs,
    respBytes: r.respBytes,
    userAgent: r.userAgent,
    requestId: r.requestId,
    endpointId: r.endpointId,
    template: r.template,
    user: r.user,
    role: r.role,
    flows: flowsOfMask(r.flows),
    attacks: [...attacks],
    outlier: r.outlier !== 0,
    latency: measure(r.latencyMs, r.latencyMedian, r.latencyZ, (r.outlier & OUTLIER_LATENCY) !== 0),
    size: measure(r.respBytes, r.sizeMedian, r.sizeZ, (r.outlier & OUTLIER_SIZE) !== 0),
  };
}

/**
 * The SQL of one page: the session's facts from the page's first time on (sessionFacts.ts),
 * then past the cursor within that instant; exported for the query-plan test.
 */
export function sessionRequestsSql(whereSql: string, hasCursor: boolean): string {
  return `SELECT ${SESSION_REQUEST_COLUMNS}
    FROM ${SESSION_FACTS_FROM}
    JOIN requests r ON r.id = f.request_id
    JOIN endpoints e ON e.id = f.endpoint_id
    ${SIZE_BASELINE_JOIN}
    WHERE ${whereSql}
      ${hasCursor ? 'AND (f.ts_us, f.request_id) > (?, ?)' : ''}
    ORDER BY f.ts_us, f.request_id LIMIT ?`;
}

/** A keyset page of a session's matching requests in time order. */
export function listSessionRequests(
  db: CaseDb,
  sid: string,
  filters: Filters = {},
  cursor?: string,
  limit = 100,
): RequestPage {
  const row = sessionRowBySid(db, sid);
  const where = factsWhereWithMaps(db, filters);
  const after =
    cursor === undefined ? undefined : (cursor.split(':').map(Number) as [number, number]);
  // The time range the page can hold: from the cursor's instant and the filter's start.
  const from = Math.max(after?.[0] ?? -Infinity, filters.from ?? -Infinity);
  const params: SqlValue[] = [
    ...sessionFactsParams(sessionSpan(db, row.rowId), from, filters.to),
    ...where.params,
  ];
  if (after !== undefined) params.push(...after);
  params.push(limit + 1);
  const rows = db
    .prepare(sessionRequestsSql(where.sql, cursor !== undefined))
    .all(...params) as SessionRequestRow[];
  const more = rows.length > limit;
  if (more) rows.length = limit;
  const last = rows[rows.length - 1];
  const attacks = attackTypesOf(
    db,
    rows.map((r) => r.id),
  );
  return {
    requests: rows.map((r) => toSessionRequest(r, attacks.get(r.id))),
    nextCursor: more && last ? `${last.tsUs}:${last.id}` : null,
  };
}
