import { flowsOfMask } from '../../shared/analysis/flowRules.js';
import {
  CLIENT_ONLY_RULES,
  CLIENT_ONLY_TYPE,
  scoreEndpoint,
  type EndpointRiskFacts,
} from '../../shared/analysis/risk.js';
import { hasDetections } from '../query/detectionsLink.js';
import type { CaseDb } from '../store/openCase.js';
import type { RebuildContext, RebuildStep } from './rebuildContext.js';
import { riskInputsFromScan, type RiskInputs } from './riskInputs.js';
import { riskInputsOutsideRebuild, storeRiskInputs } from './riskInputsStore.js';

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

/**
 * Scores every endpoint 1–10 from what its requests show (shared/analysis/risk.ts). Runs after
 * detections and the spec step, whose results are factors. The rebuild passes the request
 * figures its scan already gathered, and they are kept; without them (a mark, a rule, a spec
 * load, a flow tag) the kept ones are read back (riskInputsStore.ts).
 */
export function applyRisk(db: CaseDb, inputs?: RiskInputs): RiskSummary {
  db.exec('DELETE FROM endpoint_risk');
  const endpoints = db
    .prepare(
      'SELECT id, eid, method, host, template, request_count, params, flows FROM endpoints ORDER BY id',
    )
    .all() as EndpointRow[];
  const summary: RiskSummary = { endpoints: endpoints.length, high: 0, medium: 0, low: 0 };
  const ids = endpoints.map((e) => e.id);
  if (inputs !== undefined) storeRiskInputs(db, inputs, ids);
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
  const {
    serverErrors,
    bodyTypes,
    anonymousOk,
    cardNumbersInQuery: cards,
  } = inputs ?? riskInputsOutsideRebuild(db, ids);
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
      succeededAttacks: attacks.get(e.id)?.attacks ?? 0,
      scannerProbed: attacks.get(e.id)?.probed ?? 0,
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

/**
 * 2xx answers to flagged requests, per endpoint: `attacks` where a finding is a payload (or a
 * custom rule's), `probed` where every finding only fingerprints the client (a scanner's user
 * agent…: CLIENT_ONLY_RULES). None until the detections table exists.
 */
function succeededAttacks(db: CaseDb): Map<number, { attacks: number; probed: number }> {
  if (!hasDetections(db)) return new Map();
  const cols = new Set(
    (
      db.prepare('SELECT name FROM pragma_table_info(?)').all('detections') as { name: string }[]
    ).map((c) => c.name),
  );
  // A detection the investigator marked false positive is not an attack.
  const notFp = cols.has('false_positive') ? 'AND coalesce(d.false_positive, 0) = 0' : '';
  const clientOnly = CLIENT_ONLY_RULES.map(() => '?').join(', ');
  const rows = db
    .prepare(
      // Each flagged request once (its findings are often several), then its facts: CROSS
      // JOIN keeps the detections outside; left to itself, SQLite may walk every 2xx request
      // and probe the detections for each (0.2 s on 1M requests with none at all).
      `SELECT f.endpoint_id AS e, sum(d.attack) AS attacks, sum(1 - d.attack) AS probed
       FROM (SELECT d.request_id,
                    max(d.source = 'custom' OR NOT (d.type = ? AND d.rule_id IN (${clientOnly})))
                      AS attack
             FROM detections d WHERE 1 ${notFp} GROUP BY d.request_id) d
       CROSS JOIN request_facts f ON f.request_id = d.request_id
       WHERE f.status BETWEEN 200 AND 299
       GROUP BY 1`,
    )
    .all(CLIENT_ONLY_TYPE, ...CLIENT_ONLY_RULES) as {
    e: number;
    attacks: number;
    probed: number;
  }[];
  return new Map(rows.map((r) => [r.e, { attacks: r.attacks, probed: r.probed }]));
}

export const riskStep: RebuildStep = {
  name: 'risk',
  order: 85,
  run(ctx: RebuildContext) {
    const s = applyRisk(
      ctx.db,
      ctx.scan && ctx.endpoints ? riskInputsFromScan(ctx.scan, ctx.endpoints) : undefined,
    );
    ctx.stats.riskHigh = s.high;
  },
};
