import { FLOWS } from '../../shared/analysis/flowRules.js';
import type {
  CountOf,
  FlowShare,
  SessionDetail,
  SessionDistribution,
} from '../../shared/contract/analysisApi.js';
import { AppError } from '../../shared/contract/errors.js';
import type { Filters } from '../../shared/query/filterModel.js';
import { SESSION_MIX_MIN_REQUESTS } from '../store/migrations/008_session_mix.js';
import type { CaseDb } from '../store/openCase.js';
import {
  DETECTIONS_REQUEST_COL,
  DETECTIONS_TABLE,
  DETECTIONS_TYPE_COL,
  hasDetections,
} from './detectionsLink.js';
import { factValue, factsWhereWithMaps, type FactsWhere } from './filterSql.js';
import {
  countedEndpoints,
  keepTop,
  wholeSessionEndpoints,
  type SessionEndpoints,
} from './sessionDetailEndpoints.js';
import { SESSION_FACTS_FROM, sessionFactsParams, sessionSpan } from './sessionFacts.js';
import type { SqlValue } from './textFilterSql.js';
import { SESSION_COLUMNS, toSummary, type SessionRow } from './sessionRow.js';

export function sessionRowBySid(db: CaseDb, sid: string): SessionRow {
  const row = db.prepare(`SELECT ${SESSION_COLUMNS} FROM sessions s WHERE s.sid = ?`).get(sid) as
    SessionRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', `No session ${sid} (rebuild the analysis?)`);
  return row;
}

function sortedCounts<T>(m: Map<T, number>): CountOf<T>[] {
  return [...m]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value)));
}

function bump<T>(m: Map<T, number>, k: T, n: number): void {
  m.set(k, (m.get(k) ?? 0) + n);
}

/**
 * The grouped read of one session's facts within the filter's time range (sessionFacts.ts: bind
 * `sessionFactsParams` first); exported for the query-plan test.
 */
export function sessionGroupsSql(whereSql: string): string {
  return `SELECT ${factValue('g.method')} AS method, g.status, ${factValue('g.ip')} AS ip,
      g.endpointId, ${factValue('g.user')} AS user, g.n
    FROM (SELECT f.method, f.status, f.ip, f.endpoint_id AS endpointId, f.user, count(*) AS n
      FROM ${SESSION_FACTS_FROM} WHERE ${whereSql}
      GROUP BY f.endpoint_id, f.method, f.status, f.ip, f.user) g`;
}

/** The grouped read of a whole session (no filter), what session_endpoints does not hold. */
export const SESSION_WHOLE_GROUPS_SQL = `SELECT g.status, ${factValue('g.ip')} AS ip,
    ${factValue('g.user')} AS user, g.n
  FROM (SELECT f.status, f.ip, f.user, count(*) AS n
    FROM request_facts f WHERE f.session_id = ? GROUP BY f.status, f.ip, f.user) g`;

/** A large session's stored mix (session_mix); small sessions have none. */
export const SESSION_MIX_SQL = `SELECT status, ip, user, n FROM session_mix WHERE session_id = ?`;

interface WholeGroup {
  status: number | null;
  ip: string | null;
  user: string | null;
  n: number;
}

/**
 * Every request of a session per (status, IP, user): a large session's as the rebuild stored
 * them, any other's grouped from its facts (also a large one's, should its rows be missing).
 */
export function wholeSessionGroups(db: CaseDb, row: SessionRow): WholeGroup[] {
  if (row.requestCount >= SESSION_MIX_MIN_REQUESTS) {
    const stored = db.prepare(SESSION_MIX_SQL).all(row.rowId) as WholeGroup[];
    if (stored.length > 0) return stored;
  }
  return db.prepare(SESSION_WHOLE_GROUPS_SQL).all(row.rowId) as WholeGroup[];
}

/**
 * Matching requests per attack type (a request counts once per type). From the session's range
 * of its key's facts within the filter's time range (bind `sessionFactsParams` first) to the
 * detections of each request; exported for the query-plan test.
 */
export function sessionAttacksSql(whereSql: string): string {
  return `SELECT d.${DETECTIONS_TYPE_COL} AS value, count(DISTINCT f.request_id) AS count
    FROM ${SESSION_FACTS_FROM} CROSS JOIN ${DETECTIONS_TABLE} d
      ON d.${DETECTIONS_REQUEST_COL} = f.request_id
    WHERE ${whereSql}
    GROUP BY d.${DETECTIONS_TYPE_COL}`;
}

/** `params`: what SESSION_FACTS_FROM binds, then the filters' values. */
function attackCounts(
  db: CaseDb,
  row: SessionRow,
  where: FactsWhere<SqlValue>,
  params: SqlValue[],
): CountOf<string>[] {
  // The rebuild counted the session's attacked requests: none means no probe of every request.
  if (row.attackCount === 0 || !hasDetections(db)) return [];
  const rows = db.prepare(sessionAttacksSql(where.sql)).all(...params) as {
    value: string;
    count: number;
  }[];
  return rows.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

/**
 * A session's header and the distributions of its requests that match the filters: one
 * grouped pass over the session's facts (an index range), folded in JS, and the attack types
 * of its attacked requests. Complete, so the views need no sample of the requests; with `top`,
 * each distribution holds its largest values and `omitted` what the cut left out.
 */
export function getSessionDetail(
  db: CaseDb,
  sid: string,
  filters: Filters = {},
  top?: number,
): SessionDetail {
  const row = sessionRowBySid(db, sid);
  const where = factsWhereWithMaps(db, filters);
  // The session's facts within the filters' time range (sessionFacts.ts), then their values.
  const params: SqlValue[] = [
    ...sessionFactsParams(sessionSpan(db, row.rowId), filters.from, filters.to),
    ...where.params,
  ];
  let byMethod = new Map<string, number>();
  const byStatus = new Map<number | null, number>();
  const byIp = new Map<string | null, number>();
  const byUser = new Map<string, number>();
  let withoutUser = 0;
  let matched = 0;
  let ends: Omit<SessionEndpoints, 'byMethod'>;
  if (!where.narrows) {
    // Every request counts: the rebuild's per-(session, endpoint) counts give endpoints,
    // methods (an endpoint is one method) and flows, so the grouped pass over the session's
    // facts needs three columns instead of five (half the sort on a 50,000-request session).
    const whole = wholeSessionEndpoints(db, row.rowId, top);
    byMethod = whole.byMethod;
    ends = whole;
    for (const g of wholeSessionGroups(db, row)) {
      matched += g.n;
      bump(byStatus, g.status, g.n);
      bump(byIp, g.ip, g.n);
      if (g.user !== null) bump(byUser, g.user, g.n);
      else withoutUser += g.n;
    }
  } else {
    const byEndpoint = new Map<number, number>();
    const groups = db.prepare(sessionGroupsSql(where.sql)).all(...params) as {
      method: string | null;
      status: number | null;
      ip: string | null;
      endpointId: number;
      user: string | null;
      n: number;
    }[];
    for (const g of groups) {
      matched += g.n;
      bump(byMethod, g.method ?? '-', g.n);
      bump(byStatus, g.status, g.n);
      bump(byIp, g.ip, g.n);
      bump(byEndpoint, g.endpointId, g.n);
      if (g.user !== null) bump(byUser, g.user, g.n);
      else withoutUser += g.n;
    }
    ends = countedEndpoints(db, byEndpoint, top);
  }
  const flows: FlowShare[] = FLOWS.filter((f) => ends.flowCounts.has(f)).map((flow) => {
    const count = ends.flowCounts.get(flow)!;
    return { flow, count, percent: matched > 0 ? Math.round((count / matched) * 1000) / 10 : 0 };
  });
  const omitted: NonNullable<SessionDetail['omitted']> = {};
  const cut = <T extends { count: number }>(name: SessionDistribution, list: T[]): T[] => {
    const r = keepTop(list, top);
    if (r.omitted !== null) omitted[name] = r.omitted;
    return r.kept;
  };
  if (ends.omitted !== null) omitted.byEndpoint = ends.omitted;
  const detail: SessionDetail = {
    session: toSummary(row, { count: matched }),
    flows,
    byMethod: cut('byMethod', sortedCounts(byMethod)),
    byStatus: cut('byStatus', sortedCounts(byStatus)),
    byIp: cut('byIp', sortedCounts(byIp)),
    byEndpoint: ends.endpoints,
    byUser: cut('byUser', sortedCounts(byUser)),
    withoutUser,
    byAttack: cut('byAttack', attackCounts(db, row, where, params)),
  };
  if (top !== undefined) detail.omitted = omitted;
  return detail;
}
