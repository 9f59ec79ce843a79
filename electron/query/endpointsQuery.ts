import { FLOWS, flowBit, flowsOfMask, type Flow } from '../../shared/analysis/flowRules.js';
import type {
  EndpointFilters,
  EndpointSpecStatus,
  EndpointSummary,
  FlowTotal,
} from '../../shared/contract/analysisApi.js';
import type { RiskFactorInfo, RiskLevel } from '../../shared/contract/specApi.js';
import { AppError } from '../../shared/contract/errors.js';
import { formatUs } from '../../shared/time/parseTime.js';
import { applyRisk } from '../analysis/riskStep.js';
import { audit } from '../store/auditLog.js';
import type { CaseDb } from '../store/openCase.js';
import { endpointWhere } from './endpointWhere.js';

export const ENDPOINT_COLUMNS = `e.id, e.eid, e.method, e.host, e.template,
  e.request_count AS requestCount, e.first_us AS firstUs, e.last_us AS lastUs,
  e.status_mix AS statusMix, e.latency_count AS latencyCount,
  e.latency_median AS latencyMedian, e.latency_p95 AS latencyP95, e.size_count AS sizeCount,
  e.size_median AS sizeMedian, e.size_p95 AS sizeP95, e.params, e.flows_auto AS flowsAuto,
  e.flows, e.outlier_count AS outlierCount, r.score AS riskScore, r.level AS riskLevel,
  r.factors AS riskFactors, s.status AS specStatus, s.reason AS specReason,
  s.spec_path AS specPath`;

/** What ENDPOINT_COLUMNS read: each endpoint with its risk and spec status (one row each). */
export const ENDPOINT_FROM = `endpoints e LEFT JOIN endpoint_risk r ON r.eid = e.eid
  LEFT JOIN endpoint_spec_status s ON s.eid = e.eid`;

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
  riskScore: number | null;
  riskLevel: RiskLevel | null;
  riskFactors: string | null;
  specStatus: EndpointSpecStatus['status'] | null;
  specReason: EndpointSpecStatus['reason'];
  specPath: string | null;
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
    risk:
      r.riskScore === null || r.riskLevel === null
        ? null
        : {
            score: r.riskScore,
            level: r.riskLevel,
            factors: JSON.parse(r.riskFactors ?? '[]') as RiskFactorInfo[],
          },
    spec:
      r.specStatus === null
        ? null
        : { status: r.specStatus, reason: r.specReason, specPath: r.specPath },
  };
}

/** Endpoints that match the filters, busiest first (ties by id, so the order is stable). */
export function listEndpoints(
  db: CaseDb,
  limit = 10_000,
  filters: EndpointFilters = {},
): EndpointSummary[] {
  const where = endpointWhere(filters);
  const rows = db
    .prepare(
      `SELECT ${ENDPOINT_COLUMNS} FROM ${ENDPOINT_FROM} WHERE ${where.sql}
       ORDER BY e.request_count DESC, e.eid LIMIT ?`,
    )
    .all(...where.params, limit) as EndpointRow[];
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
  const row = db
    .prepare(
      `SELECT ${ENDPOINT_COLUMNS} FROM ${ENDPOINT_FROM}
       WHERE e.id = coalesce((SELECT id FROM endpoints WHERE eid = ?),
         (SELECT endpoint_id FROM endpoint_aliases WHERE alias = ?))`,
    )
    .get(eid, eid) as EndpointRow | undefined;
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
      endpoint: e.eid,
      method: e.method,
      host: e.host,
      template: e.template,
      flow,
      action,
    });
    return toSummary(endpointByEid(db, e.eid));
  })();
}
