import type { CaseDb } from '../electron/store/openCase.js';

/** Every table a rebuild derives, the ones a partial rebuild leaves alone included. */
export const DERIVED_TABLES = [
  'detections',
  'fp_detections',
  'request_tags',
  'endpoint_risk',
  'endpoint_risk_inputs',
  'endpoints',
  'endpoint_size_baselines',
  'sessions',
  'session_verdicts',
  'request_facts',
] as const;

/** Each derived table's rows as sorted JSON text (some tables have no rowid to order by). */
export function dumpDerived(db: CaseDb): Record<(typeof DERIVED_TABLES)[number], string[]> {
  return Object.fromEntries(
    DERIVED_TABLES.map((t) => [
      t,
      db
        .prepare(`SELECT * FROM ${t}`)
        .raw(true)
        .all()
        .map((r) => JSON.stringify(r))
        .sort(),
    ]),
  ) as Record<(typeof DERIVED_TABLES)[number], string[]>;
}
