import { DETECTIONS_TABLE, hasDetections } from '../query/detectionsLink.js';
import type { CaseDb } from '../store/openCase.js';

// The parts of the request export's SQL that its two readers share: the per-row join of
// exportCsv.ts and the whole case's requests read alone (wholeCasePages.ts).

/** The requests columns an export writes as they are stored (`r`: requests). */
export const EXPORT_REQUEST_COLUMNS = `r.id, r.ts_us, r.line_no, r.ip, r.xff, r.method, r.scheme,
      r.host, r.path, r.query, r.protocol, r.status, r.latency_ms, r.req_bytes, r.resp_bytes,
      r.user_agent, r.referer, r.request_id, r.src_session, r.src_user, r.src_role, r.src_label,
      r.cookies, r.headers, r.req_body, r.resp_headers, r.resp_body, r.extra`;

/** A request's distinct attack types joined by ';' (null without any), as SQL over `r.id`. */
export function attacksSql(db: CaseDb): string {
  // Most requests have no detection: one index probe answers those, and only the others pay
  // for the sorted DISTINCT (a third of the export's CPU when every row paid for it).
  return hasDetections(db)
    ? `CASE WHEN EXISTS (SELECT 1 FROM ${DETECTIONS_TABLE} d0 WHERE d0.request_id = r.id)
       THEN (SELECT group_concat(type, ';') FROM (SELECT DISTINCT type FROM ${DETECTIONS_TABLE} d
         WHERE d.request_id = r.id ORDER BY type)) END`
    : 'NULL';
}
