import type { RequestDetail } from '../../shared/contract/analysisApi.js';
import { AppError } from '../../shared/contract/errors.js';
import type { CaseDb } from '../store/openCase.js';
import { parseStoredJson } from '../store/storedJson.js';
import { attackTypesOf } from './detectionsLink.js';
import {
  SESSION_REQUEST_COLUMNS,
  SIZE_BASELINE_JOIN,
  toSessionRequest,
  type SessionRequestRow,
} from './sessionRequests.js';

function parseObject(v: string | null): Record<string, unknown> | null {
  if (v === null) return null;
  try {
    // Capped in depth: the answer is serialized again on its way to the window.
    const o = parseStoredJson(v);
    return o !== null && typeof o === 'object' && !Array.isArray(o)
      ? (o as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** One request with everything the source said and what the analysis derived. */
export function getRequestDetail(db: CaseDb, id: number): RequestDetail {
  const row = db
    .prepare(
      `SELECT ${SESSION_REQUEST_COLUMNS}, s.sid AS sessionId, r.source_id AS sourceId,
        r.line_no AS lineNo, r.scheme, r.protocol, r.req_bytes AS reqBytes, r.referer,
        r.headers, r.resp_headers AS respHeaders, r.req_body AS reqBody, r.resp_body AS respBody,
        r.src_session AS srcSession, r.src_user AS srcUser, r.src_role AS srcRole,
        r.src_label AS srcLabel, r.extra
       FROM request_facts f
       JOIN requests r ON r.id = f.request_id
       JOIN endpoints e ON e.id = f.endpoint_id
       ${SIZE_BASELINE_JOIN}
       JOIN sessions s ON s.id = f.session_id
       WHERE f.request_id = ?`,
    )
    .get(id) as
    | (SessionRequestRow & {
        sessionId: string;
        sourceId: number;
        lineNo: number;
        scheme: string | null;
        protocol: string | null;
        reqBytes: number | null;
        referer: string | null;
        headers: string | null;
        respHeaders: string | null;
        reqBody: string | null;
        respBody: string | null;
        srcSession: string | null;
        srcUser: string | null;
        srcRole: string | null;
        srcLabel: string | null;
        extra: string | null;
      })
    | undefined;
  if (!row) throw new AppError('NOT_FOUND', `No analysed request ${id}`);
  return {
    ...toSessionRequest(row, attackTypesOf(db, [row.id]).get(row.id)),
    sessionId: row.sessionId,
    sourceId: row.sourceId,
    lineNo: row.lineNo,
    scheme: row.scheme,
    protocol: row.protocol,
    reqBytes: row.reqBytes,
    referer: row.referer,
    headers: parseObject(row.headers),
    respHeaders: parseObject(row.respHeaders),
    reqBody: row.reqBody,
    respBody: row.respBody,
    srcSession: row.srcSession,
    srcUser: row.srcUser,
    srcRole: row.srcRole,
    srcLabel: row.srcLabel,
    extra: parseObject(row.extra),
  };
}
