import type { CaseDb } from './openCase.js';
import { capJsonDepth, MAX_JSON_DEPTH } from './storedJson.js';

export interface RequestRow {
  id: number;
  sourceId: number;
  lineNo: number;
  tsUs: number;
  ip: string | null;
  xff: string | null;
  method: string | null;
  scheme: string | null;
  host: string | null;
  path: string | null;
  query: string | null;
  protocol: string | null;
  status: number | null;
  latencyMs: number | null;
  reqBytes: number | null;
  respBytes: number | null;
  userAgent: string | null;
  referer: string | null;
  requestId: string | null;
  cookies: string | null;
  headers: string | null;
  reqBody: string | null;
  respHeaders: string | null;
  respBody: string | null;
  srcSession: string | null;
  srcUser: string | null;
  srcRole: string | null;
  srcLabel: string | null;
  extra: string | null;
}

export const REQUEST_COLUMNS = `id, source_id AS sourceId, line_no AS lineNo, ts_us AS tsUs, ip, xff,
  method, scheme, host, path, query, protocol, status, latency_ms AS latencyMs,
  req_bytes AS reqBytes, resp_bytes AS respBytes, user_agent AS userAgent, referer,
  request_id AS requestId, cookies, headers, req_body AS reqBody, resp_headers AS respHeaders,
  resp_body AS respBody, src_session AS srcSession, src_user AS srcUser, src_role AS srcRole,
  src_label AS srcLabel, extra`;

const LIST_REQUESTS_SQL = `SELECT ${REQUEST_COLUMNS} FROM requests
  WHERE (? IS NULL OR (ts_us, id) > (?, ?))
  ORDER BY ts_us, id LIMIT ?`;

const capStored = (text: string): string => capJsonDepth(text, MAX_JSON_DEPTH, true);

/**
 * Requests in time order, a keyset page at a time (after the given (ts, id)). The JSON columns
 * come capped in depth (storedJson.ts): a case imported before the cap may hold a value nested
 * too deeply for a reader to serialize again.
 */
export function listRequests(
  db: CaseDb,
  limit: number,
  after?: { tsUs: number; id: number },
): RequestRow[] {
  const rows = db
    .prepare(LIST_REQUESTS_SQL)
    .all(after?.tsUs ?? null, after?.tsUs ?? null, after?.id ?? null, limit) as RequestRow[];
  for (const r of rows) {
    if (r.headers !== null) r.headers = capStored(r.headers);
    if (r.respHeaders !== null) r.respHeaders = capStored(r.respHeaders);
    if (r.extra !== null) r.extra = capStored(r.extra);
  }
  return rows;
}
