import { flowsOfMask } from '../../shared/analysis/flowRules.js';
import {
  PROTECTED_FLOWS,
  looksLikeCardNumber,
  scoreEndpoint,
  type EndpointRiskFacts,
} from '../../shared/analysis/risk.js';
import { hasDetections } from '../query/detectionsLink.js';
import type { CaseDb } from '../store/openCase.js';
import type { RebuildContext, RebuildStep } from './rebuildContext.js';

export interface RiskSummary {
  endpoints: number;
  high: number;
  medium: number;
  low: number;
}

interface EndpointRow {
  id: number;
  eid: string;
  method: string;
  host: string;
  template: string;
  request_count: number;
  params: string;
  flows: number;
}

const CONTENT_TYPE = `CASE WHEN json_valid(r.headers) THEN json_extract(r.headers, '$."content-type"') END`;
const AUTHORIZATION = `CASE WHEN json_valid(r.headers) THEN json_extract(r.headers, '$.authorization') END`;

function countsBy(db: CaseDb, sql: string, ...params: unknown[]): Map<number, number> {
  const rows = db.prepare(sql).all(...params) as { e: number; n: number }[];
  return new Map(rows.map((r) => [r.e, r.n]));
}

/**
 * Scores every endpoint 1–10 from what its requests show (shared/analysis/risk.ts). Runs after
 * detections and the spec step, whose results are factors.
 */
export function applyRisk(db: CaseDb): RiskSummary {
  db.exec('DELETE FROM endpoint_risk');
  const endpoints = db
    .prepare(
      'SELECT id, eid, method, host, template, request_count, params, flows FROM endpoints ORDER BY id',
    )
    .all() as EndpointRow[];
  const summary: RiskSummary = { endpoints: endpoints.length, high: 0, medium: 0, low: 0 };
  if (endpoints.length === 0) return summary;

  const spec = new Map(
    (
      db.prepare('SELECT eid, status, reason FROM endpoint_spec_status').all() as {
        eid: string;
        status: EndpointRiskFacts['specStatus'];
        reason: EndpointRiskFacts['specReason'];
      }[]
    ).map((r) => [r.eid, r]),
  );
  const serverErrors = countsBy(
    db,
    'SELECT endpoint_id AS e, count(*) AS n FROM request_facts WHERE status >= 500 GROUP BY endpoint_id',
  );
  const bodyTypes = new Map<number, Set<string>>();
  const typeRows = db
    .prepare(
      `SELECT f.endpoint_id AS e, ${CONTENT_TYPE} AS ct
       FROM request_facts f JOIN requests r ON r.id = f.request_id
       WHERE f.method IN ('POST', 'PUT', 'PATCH', 'DELETE') AND r.headers IS NOT NULL
       GROUP BY 1, 2`,
    )
    .all() as { e: number; ct: unknown }[];
  for (const { e, ct } of typeRows) {
    if (typeof ct !== 'string') continue;
    const type = ct.split(';')[0]!.trim().toLowerCase();
    if (type === '') continue;
    const set = bodyTypes.get(e) ?? new Set<string>();
    set.add(type);
    bodyTypes.set(e, set);
  }
  const protectedIds = endpoints
    .filter((e) => flowsOfMask(e.flows).some((f) => PROTECTED_FLOWS.includes(f)))
    .map((e) => e.id);
  const anonymousOk = countsBy(
    db,
    `SELECT f.endpoint_id AS e, count(*) AS n
     FROM request_facts f JOIN requests r ON r.id = f.request_id
     WHERE f.endpoint_id IN (SELECT value FROM json_each(?))
       AND f.status BETWEEN 200 AND 299 AND r.cookies IS NULL AND ${AUTHORIZATION} IS NULL
     GROUP BY 1`,
    JSON.stringify(protectedIds),
  );
  const cards = new Map<number, number>();
  const cardRows = db
    .prepare(
      // Filter requests in one sequential pass first; only the few hits are joined to facts.
      `SELECT f.endpoint_id AS e, r.query AS q
       FROM (SELECT id, query FROM requests
             WHERE query GLOB '*[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]*') r
       JOIN request_facts f ON f.request_id = r.id
       ORDER BY r.id`,
    )
    .iterate() as Iterable<{ e: number; q: string }>;
  for (const { e, q } of cardRows) {
    const n = queryValues(q).filter(looksLikeCardNumber).length;
    if (n > 0) cards.set(e, (cards.get(e) ?? 0) + n);
  }
  const attacks = succeededAttacks(db);

  const insert = db.prepare(
    `INSERT INTO endpoint_risk (eid, method, host, template, score, level, factors)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const e of endpoints) {
    const s = spec.get(e.eid);
    const risk = scoreEndpoint({
      template: e.template,
      params: JSON.parse(e.params) as string[],
      requests: e.request_count,
      serverErrors: serverErrors.get(e.id) ?? 0,
      succeededAttacks: attacks.get(e.id) ?? 0,
      bodyTypes: [...(bodyTypes.get(e.id) ?? [])].sort(),
      flows: flowsOfMask(e.flows),
      unauthenticatedOk: anonymousOk.get(e.id) ?? 0,
      specStatus: s?.status ?? null,
      specReason: s?.reason ?? null,
      cardNumbersInQuery: cards.get(e.id) ?? 0,
    });
    summary[risk.level === 'High' ? 'high' : risk.level === 'Medium' ? 'medium' : 'low']++;
    insert.run(
      e.eid,
      e.method,
      e.host,
      e.template,
      risk.score,
      risk.level,
      JSON.stringify(risk.factors),
    );
  }
  return summary;
}

function queryValues(query: string): string[] {
  return query.split('&').map((kv) => {
    const v = kv.slice(kv.indexOf('=') + 1).replace(/\+/g, ' ');
    try {
      return decodeURIComponent(v);
    } catch {
      return v;
    }
  });
}

/** 2xx answers to flagged requests, per endpoint; none until the detections table exists. */
function succeededAttacks(db: CaseDb): Map<number, number> {
  if (!hasDetections(db)) return new Map();
  const cols = new Set(
    (
      db.prepare('SELECT name FROM pragma_table_info(?)').all('detections') as { name: string }[]
    ).map((c) => c.name),
  );
  // A detection the investigator marked false positive is not an attack.
  const notFp = cols.has('false_positive') ? 'AND coalesce(d.false_positive, 0) = 0' : '';
  return countsBy(
    db,
    `SELECT f.endpoint_id AS e, count(DISTINCT d.request_id) AS n
     FROM detections d JOIN request_facts f ON f.request_id = d.request_id
     WHERE f.status BETWEEN 200 AND 299 ${notFp}
     GROUP BY 1`,
  );
}

export const riskStep: RebuildStep = {
  name: 'risk',
  order: 85,
  run(ctx: RebuildContext) {
    const s = applyRisk(ctx.db);
    ctx.stats.riskHigh = s.high;
  },
};
