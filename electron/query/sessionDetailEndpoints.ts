import { flowsOfMask, type Flow } from '../../shared/analysis/flowRules.js';
import type { EndpointCount, OmittedValues } from '../../shared/contract/analysisApi.js';
import type { CaseDb } from '../store/openCase.js';

/** A session's endpoints with their counts, and what they add up to per flow and method. */
export interface SessionEndpoints {
  /** Busiest first, ties by endpoint id; the `top` first when a top was asked for. */
  endpoints: EndpointCount[];
  /** What the top left out; null when nothing was. */
  omitted: OmittedValues | null;
  /** Requests per flow, over every endpoint (the top's cut included). */
  flowCounts: Map<Flow, number>;
  /** Requests per method, over every endpoint. */
  byMethod: Map<string, number>;
}

/** The `top` first of a sorted list, and what the rest adds up to. */
export function keepTop<T extends { count: number }>(
  list: T[],
  top: number | undefined,
): { kept: T[]; omitted: OmittedValues | null } {
  if (top === undefined || list.length <= top) return { kept: list, omitted: null };
  let count = 0;
  for (let i = top; i < list.length; i++) count += list[i]!.count;
  return { kept: list.slice(0, top), omitted: { values: list.length - top, count } };
}

/** Busiest first, then by endpoint id as SQLite orders text (byte order). */
function byCountThenId(a: EndpointCount, b: EndpointCount): number {
  return (
    b.count - a.count || (a.endpointId < b.endpointId ? -1 : a.endpointId > b.endpointId ? 1 : 0)
  );
}

function bump<T>(m: Map<T, number>, k: T, n: number): void {
  m.set(k, (m.get(k) ?? 0) + n);
}

/** A whole session's requests per (method, flows) of its endpoints, from the rebuild's counts. */
export const SESSION_ENDPOINT_KINDS_SQL = `SELECT e.method, e.flows, sum(se.n) AS n,
    count(*) AS endpoints
  FROM session_endpoints se JOIN endpoints e ON e.id = se.endpoint_id
  WHERE se.session_id = ? GROUP BY e.method, e.flows`;

/** A whole session's busiest endpoints (LIMIT -1: all of them). */
export const SESSION_TOP_ENDPOINTS_SQL = `SELECT e.eid AS endpointId, e.method, e.host, e.template,
    se.n AS count
  FROM session_endpoints se JOIN endpoints e ON e.id = se.endpoint_id
  WHERE se.session_id = ? ORDER BY se.n DESC, e.eid LIMIT ?`;

/**
 * Every request of a session counts (no filter): the rebuild's per-(session, endpoint) counts
 * give flows and methods (an endpoint is one method) in one grouped read, and only the `top`
 * endpoints are read whole, so a scan's session of 150,000 endpoints costs what its top does.
 */
export function wholeSessionEndpoints(
  db: CaseDb,
  sessionRowId: number,
  top: number | undefined,
): SessionEndpoints {
  const flowCounts = new Map<Flow, number>();
  const byMethod = new Map<string, number>();
  let values = 0;
  let requests = 0;
  for (const k of db.prepare(SESSION_ENDPOINT_KINDS_SQL).all(sessionRowId) as {
    method: string;
    flows: number;
    n: number;
    endpoints: number;
  }[]) {
    values += k.endpoints;
    requests += k.n;
    bump(byMethod, k.method, k.n);
    for (const f of flowsOfMask(k.flows)) bump(flowCounts, f, k.n);
  }
  const endpoints = db
    .prepare(SESSION_TOP_ENDPOINTS_SQL)
    .all(sessionRowId, top ?? -1) as EndpointCount[];
  const keptCount = endpoints.reduce((a, e) => a + e.count, 0);
  const omitted =
    endpoints.length < values
      ? { values: values - endpoints.length, count: requests - keptCount }
      : null;
  return { endpoints, omitted, flowCounts, byMethod };
}

/** The endpoints of the requests a filter matched, counted by the caller. */
export function countedEndpoints(
  db: CaseDb,
  counts: Map<number, number>,
  top: number | undefined,
): Omit<SessionEndpoints, 'byMethod'> {
  const flowCounts = new Map<Flow, number>();
  const all: EndpointCount[] = [];
  if (counts.size > 0) {
    const rows = db
      .prepare(
        `SELECT id, eid, method, host, template, flows FROM endpoints
         WHERE id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify([...counts.keys()])) as {
      id: number;
      eid: string;
      method: string;
      host: string;
      template: string;
      flows: number;
    }[];
    for (const e of rows) {
      const count = counts.get(e.id)!;
      all.push({ endpointId: e.eid, method: e.method, host: e.host, template: e.template, count });
      for (const f of flowsOfMask(e.flows)) bump(flowCounts, f, count);
    }
  }
  const { kept, omitted } = keepTop(all.sort(byCountThenId), top);
  return { endpoints: kept, omitted, flowCounts };
}
