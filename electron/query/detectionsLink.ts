import type { CaseDb } from '../store/openCase.js';

/**
 * The analysis reads attack detections through this one module, so the detections schema
 * (migration 3, owned by detection) meets sessions in one place. Assumed shape: a table
 * `detections` with one row per finding, `request_id` = requests.id and `type` = attack type.
 * Until that table exists every attack count is 0 and an attack-type filter matches nothing.
 */
export const DETECTIONS_TABLE = 'detections';
export const DETECTIONS_REQUEST_COL = 'request_id';
export const DETECTIONS_TYPE_COL = 'type';

export function hasDetections(db: CaseDb): boolean {
  const cols = db.prepare(`SELECT name FROM pragma_table_info(?)`).all(DETECTIONS_TABLE) as {
    name: string;
  }[];
  const names = new Set(cols.map((c) => c.name));
  return names.has(DETECTIONS_REQUEST_COL) && names.has(DETECTIONS_TYPE_COL);
}

/**
 * The attack types detected on each of these requests (distinct, sorted by name); requests
 * with none are absent. One indexed probe per request: meant for a page of rows. Exported SQL
 * for the query-plan test.
 */
export const ATTACK_TYPES_SQL = `SELECT DISTINCT d.${DETECTIONS_REQUEST_COL} AS id, d.${DETECTIONS_TYPE_COL} AS type
  FROM json_each(?) j CROSS JOIN ${DETECTIONS_TABLE} d ON d.${DETECTIONS_REQUEST_COL} = j.value
  ORDER BY 1, 2`;

export function attackTypesOf(db: CaseDb, requestIds: readonly number[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  if (requestIds.length === 0 || !hasDetections(db)) return out;
  const rows = db.prepare(ATTACK_TYPES_SQL).all(JSON.stringify(requestIds)) as {
    id: number;
    type: string;
  }[];
  for (const r of rows) {
    const list = out.get(r.id);
    if (list) list.push(r.type);
    else out.set(r.id, [r.type]);
  }
  return out;
}
