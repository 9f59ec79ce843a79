import type { CaseDb } from '../store/openCase.js';
import { riskInputsFromDb, type RiskInputs } from './riskInputs.js';

interface InputRow {
  endpoint_id: number;
  server_errors: number;
  anonymous_ok: number;
  card_numbers: number;
  body_types: string;
}

/**
 * Keeps what the rebuild's scan gathered (every endpoint, protected or not, so a flow tag
 * that makes one protected reads its anonymous answers) for re-scoring outside a rebuild.
 * One row per endpoint, zeros included: a table that covers the endpoints is complete.
 */
export function storeRiskInputs(db: CaseDb, inputs: RiskInputs, endpointIds: readonly number[]) {
  db.exec('DELETE FROM endpoint_risk_inputs');
  const insert = db.prepare(
    `INSERT INTO endpoint_risk_inputs (endpoint_id, server_errors, anonymous_ok, card_numbers,
       body_types) VALUES (?, ?, ?, ?, ?)`,
  );
  for (const id of endpointIds) {
    insert.run(
      id,
      inputs.serverErrors.get(id) ?? 0,
      inputs.anonymousOk.get(id) ?? 0,
      inputs.cardNumbersInQuery.get(id) ?? 0,
      JSON.stringify([...(inputs.bodyTypes.get(id) ?? [])].sort()),
    );
  }
}

/** Counts as the maps hold them: an endpoint with none has no entry. */
function nonZero(m: Map<number, number>, id: number, n: number): void {
  if (n > 0) m.set(id, n);
}

/**
 * The inputs the last full rebuild kept, or null where it kept none for these endpoints (a
 * case analysed before schema version 16).
 */
export function storedRiskInputs(db: CaseDb, endpointIds: readonly number[]): RiskInputs | null {
  const rows = db.prepare('SELECT * FROM endpoint_risk_inputs').all() as InputRow[];
  const known = new Set(rows.map((r) => r.endpoint_id));
  if (rows.length !== endpointIds.length || !endpointIds.every((id) => known.has(id))) return null;
  const r: RiskInputs = {
    serverErrors: new Map(),
    bodyTypes: new Map(),
    anonymousOk: new Map(),
    cardNumbersInQuery: new Map(),
  };
  for (const row of rows) {
    nonZero(r.serverErrors, row.endpoint_id, row.server_errors);
    nonZero(r.anonymousOk, row.endpoint_id, row.anonymous_ok);
    nonZero(r.cardNumbersInQuery, row.endpoint_id, row.card_numbers);
    const types = JSON.parse(row.body_types) as string[];
    if (types.length > 0) r.bodyTypes.set(row.endpoint_id, new Set(types));
  }
  return r;
}

/**
 * The risk inputs for a re-score outside a rebuild: those kept; where none were (a case
 * analysed before schema version 16), read once from the requests for every endpoint and kept,
 * so the next mark or flow tag reads them back.
 */
export function riskInputsOutsideRebuild(db: CaseDb, endpointIds: readonly number[]): RiskInputs {
  const stored = storedRiskInputs(db, endpointIds);
  if (stored !== null) return stored;
  const read = riskInputsFromDb(db, endpointIds);
  storeRiskInputs(db, read, endpointIds);
  return read;
}
