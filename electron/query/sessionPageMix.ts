import { FLOWS, flowsOfMask, type Flow } from '../../shared/analysis/flowRules.js';
import type { FlowShare, TopEndpoint } from '../../shared/contract/analysisApi.js';
import type { CaseDb } from '../store/openCase.js';
import { DETECTIONS_REQUEST_COL, DETECTIONS_TABLE, hasDetections } from './detectionsLink.js';
import type { FactsWhere } from './filterSql.js';
import type { SqlValue } from './textFilterSql.js';

/** How many of a session's endpoints the list shows before "+N more". */
export const TOP_ENDPOINTS = 3;

/** What one listed session's counted requests touched. */
export interface SessionMix {
  matched: number;
  /** Of the matched requests, those with at least one finding; null: every request counts. */
  attacks: number | null;
  /** Of the matched requests, the latency or size outliers; null: every request counts. */
  outliers: number | null;
  flowShares: FlowShare[];
  topEndpoints: TopEndpoint[];
  endpointCount: number;
}

interface EndpointRow {
  id: number;
  method: string;
  template: string;
  flows: number;
}

/**
 * The SQL of the grouped read; exported for the query-plan test. `exact` is false when no
 * filter narrows the requests inside a session: every request of a listed session counts, and
 * the rebuild's per-(session, endpoint) counts answer with a few rows per session.
 */
export function pageMixSql(where: FactsWhere<SqlValue>, exact = where.narrows): string {
  if (!exact) {
    return `SELECT m.session_id AS sessionId, m.endpoint_id AS endpointId, m.n AS n
      FROM session_endpoints m WHERE m.session_id IN (SELECT value FROM json_each(?))`;
  }
  // One statement for the whole page: each session id seeks its own range of the
  // (session_id, ts_us, request_id) key, so the cost is the page's requests, not the case's.
  return `SELECT f.session_id AS sessionId, f.endpoint_id AS endpointId, count(*) AS n,
      sum(f.outlier != 0) AS outliers
    FROM request_facts f
    WHERE f.session_id IN (SELECT value FROM json_each(?)) AND ${where.sql}
    GROUP BY f.session_id, f.endpoint_id`;
}

/**
 * Per session, its matched requests with at least one finding: one index probe of the
 * detections per matched request, so it is asked only for the sessions the rebuild found
 * attacks in. Exported for the query-plan test.
 */
export function pageAttacksSql(where: FactsWhere<SqlValue>): string {
  return `SELECT f.session_id AS sessionId, count(*) AS n
    FROM request_facts f
    WHERE f.session_id IN (SELECT value FROM json_each(?)) AND ${where.sql}
      AND EXISTS (SELECT 1 FROM ${DETECTIONS_TABLE} d WHERE d.${DETECTIONS_REQUEST_COL} = f.request_id)
    GROUP BY f.session_id`;
}

/**
 * Matching-request counts, flow shares and top endpoints for the sessions of one page, under
 * the filters (so with a time range only the requests in range count), and with `exact` the
 * matched requests' attacks and outliers. At most three statements per page whatever its size:
 * the grouped counts, the attacked requests of the sessions that have any (`attacked`, their row
 * ids), then the endpoints they name. `exact` as in pageMixSql (a session-level filter such as a
 * verdict selects sessions, not requests).
 */
export function sessionPageMix(
  db: CaseDb,
  where: FactsWhere<SqlValue>,
  sessionRowIds: readonly number[],
  exact = where.narrows,
  attacked: readonly number[] = [],
): Map<number, SessionMix> {
  const out = new Map<number, SessionMix>();
  if (sessionRowIds.length === 0) return out;
  const groups = db
    .prepare(pageMixSql(where, exact))
    .all(JSON.stringify(sessionRowIds), ...(exact ? where.params : [])) as {
    sessionId: number;
    endpointId: number;
    n: number;
    outliers?: number;
  }[];
  const attacks = new Map<number, number>();
  if (exact && attacked.length > 0 && hasDetections(db)) {
    const rows = db
      .prepare(pageAttacksSql(where))
      .all(JSON.stringify(attacked), ...where.params) as { sessionId: number; n: number }[];
    for (const r of rows) attacks.set(r.sessionId, r.n);
  }
  const endpointIds = [...new Set(groups.map((g) => g.endpointId))];
  const endpoints = new Map<number, EndpointRow>();
  if (endpointIds.length > 0) {
    const rows = db
      .prepare(
        'SELECT id, method, template, flows FROM endpoints WHERE id IN (SELECT value FROM json_each(?))',
      )
      .all(JSON.stringify(endpointIds)) as EndpointRow[];
    for (const e of rows) endpoints.set(e.id, e);
  }
  const bySession = new Map<number, { endpointId: number; n: number; outliers?: number }[]>();
  for (const g of groups) {
    const list = bySession.get(g.sessionId) ?? [];
    list.push(g);
    bySession.set(g.sessionId, list);
  }
  for (const id of sessionRowIds) {
    const mix = foldMix(bySession.get(id) ?? [], endpoints);
    if (exact) {
      mix.attacks = attacks.get(id) ?? 0;
      mix.outliers = (bySession.get(id) ?? []).reduce((sum, g) => sum + (g.outliers ?? 0), 0);
    }
    out.set(id, mix);
  }
  return out;
}

function foldMix(
  groups: readonly { endpointId: number; n: number }[],
  endpoints: ReadonlyMap<number, EndpointRow>,
): SessionMix {
  let matched = 0;
  const flowCounts = new Map<Flow, number>();
  const top: TopEndpoint[] = [];
  for (const g of groups) {
    matched += g.n;
    const e = endpoints.get(g.endpointId);
    if (!e) continue;
    top.push({ method: e.method, template: e.template, count: g.n });
    for (const fl of flowsOfMask(e.flows)) flowCounts.set(fl, (flowCounts.get(fl) ?? 0) + g.n);
  }
  top.sort(
    (a, b) =>
      b.count - a.count || a.template.localeCompare(b.template) || a.method.localeCompare(b.method),
  );
  // Same rounding as the session detail's flow shares, so the two views agree.
  const flowShares = FLOWS.filter((f) => flowCounts.has(f)).map((flow) => {
    const count = flowCounts.get(flow)!;
    return { flow, count, percent: matched > 0 ? Math.round((count / matched) * 1000) / 10 : 0 };
  });
  return {
    matched,
    attacks: null,
    outliers: null,
    flowShares,
    topEndpoints: top.slice(0, TOP_ENDPOINTS),
    endpointCount: groups.length,
  };
}
