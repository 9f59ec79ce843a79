import { FLOWS, flowBit, flowsOfMask, type Flow } from '../../shared/analysis/flowRules.js';
import type { EndpointSummary, FlowTotal } from '../../shared/contract/analysisApi.js';
import { AppError } from '../../shared/contract/errors.js';
import { formatUs } from '../../shared/time/parseTime.js';
import { applyRisk } from '../analysis/riskStep.js';
import { audit } from '../store/auditLog.js';
import type { CaseDb } from '../store/openCase.js';

export const ENDPOINT_COLUMNS = `id, eid, method, host, template, request_count AS requestCount,
  first_us AS firstUs, last_us AS lastUs, status_mix AS statusMix,
  latency_count AS latencyCount, latency_median AS latencyMedian, latency_p95 AS latencyP95,
  size_count AS sizeCount, size_median AS sizeMedian, size_p95 AS sizeP95, params,
  flows_auto AS flowsAuto, flows, outlier_count AS outlierCount`;

export interface EndpointRow {
  id: number;
  eid: string;
  method: string;
  host: string;
  template: string;
  requestCount: number;
  firstUs: number;
  lastUs: number;
  statusMix: string;
  latencyCount: number;
  latencyMedian: number | null;
  latencyP95: number | null;
  sizeCount: number;
  sizeMedian: number | null;
  sizeP95: number | null;
  params: string;
  flowsAuto: number;
  flows: number;
  outlierCount: number;
}

export function toSummary(r: EndpointRow): EndpointSummary {
  return {
    id: r.eid,
    method: r.method,
    host: r.host,
    template: r.template,
    requestCount: r.requestCount,
    firstSeen: formatUs(r.firstUs),
    lastSeen: formatUs(r.lastUs),
    statusMix: JSON.parse(r.statusMix) as Record<string, number>,
    latencyMs: { count: r.latencyCount, median: r.latencyMedian, p95: r.latencyP95 },
    respBytes: { count: r.sizeCount, median: r.sizeMedian, p95: r.sizeP95 },
    flows: flowsOfMask(r.flows),
    autoFlows: flowsOfMask(r.flowsAuto),
    params: JSON.parse(r.params) as string[],
    outlierCount: r.outlierCount,
  };
}

/** Endpoints, busiest first (ties by id, so the order is stable). */
export function listEndpoints(db: CaseDb, limit = 10_000): EndpointSummary[] {
  const rows = db
    .prepare(`SELECT ${ENDPOINT_COLUMNS} FROM endpoints ORDER BY request_count DESC, eid LIMIT ?`)
    .all(limit) as EndpointRow[];
  return rows.map(toSummary);
}

/** One endpoint by its id. */
export function getEndpoint(db: CaseDb, eid: string): EndpointSummary {
  return toSummary(endpointByEid(db, eid));
}

/** Per flow, the requests of the endpoints tagged with it; busiest first, then in FLOWS order. */
export function flowTotals(db: CaseDb): FlowTotal[] {
  // One pass: the requests per combination of flows, then each flow's combinations summed.
  const byMask = db
    .prepare('SELECT flows, sum(request_count) AS n FROM endpoints WHERE flows != 0 GROUP BY flows')
    .all() as { flows: number; n: number }[];
  return FLOWS.map((flow) => {
    const bit = flowBit(flow);
    let requests = 0;
    for (const m of byMask) if ((m.flows & bit) !== 0) requests += m.n;
    return { flow, requests };
  })
    .filter((f) => f.requests > 0)
    .sort((a, b) => b.requests - a.requests || FLOWS.indexOf(a.flow) - FLOWS.indexOf(b.flow));
}

function endpointByEid(db: CaseDb, eid: string): EndpointRow {
  const row = db.prepare(`SELECT ${ENDPOINT_COLUMNS} FROM endpoints WHERE eid = ?`).get(eid) as
    EndpointRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', `No endpoint ${eid}`);
  return row;
}

/**
 * The investigator adds or removes a flow on an endpoint. Stored by what the endpoint is
 * (method, host, template) so it survives rebuilds; audited; applied at once to the endpoint,
 * the sessions that touched it and the endpoints' risk scores, without a full rebuild.
 */
export function setEndpointFlow(
  db: CaseDb,
  eid: string,
  flow: Flow,
  action: 'add' | 'remove',
): EndpointSummary {
  return db.transaction(() => {
    const e = endpointByEid(db, eid);
    db.prepare(
      `INSERT INTO endpoint_flow_overrides (method, host, template, flow, action, at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (method, host, template, flow)
       DO UPDATE SET action = excluded.action, at = excluded.at`,
    ).run(e.method, e.host, e.template, flow, action, new Date().toISOString());
    const bit = flowBit(flow);
    const flows = action === 'add' ? e.flows | bit : e.flows & ~bit;
    db.prepare('UPDATE endpoints SET flows = ? WHERE id = ?').run(flows, e.id);
    const sessions = db
      .prepare('SELECT DISTINCT session_id AS id FROM request_facts WHERE endpoint_id = ?')
      .all(e.id) as { id: number }[];
    const masks = db.prepare(
      `SELECT DISTINCT e.flows FROM request_facts f JOIN endpoints e ON e.id = f.endpoint_id
       WHERE f.session_id = ?`,
    );
    const update = db.prepare('UPDATE sessions SET flows = ? WHERE id = ?');
    for (const s of sessions) {
      let m = 0;
      for (const r of masks.all(s.id) as { flows: number }[]) m |= r.flows;
      update.run(m, s.id);
    }
    // A flow is a risk factor (a sensitive flow, anonymous access to a protected one).
    applyRisk(db);
    audit(db, 'analysis.endpointFlow', {
      endpoint: eid,
      method: e.method,
      host: e.host,
      template: e.template,
      flow,
      action,
    });
    return toSummary(endpointByEid(db, eid));
  })();
}
