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
