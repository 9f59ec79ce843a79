import {
  SESSION_ENDPOINTS_CREATE,
  SESSION_ENDPOINTS_FILL,
} from '../store/migrations/007_session_endpoints.js';
import { BatchInsert } from './batchInsert.js';
import type { EndpointResult } from './endpointsStep.js';
import type { RebuildContext, RebuildStep } from './rebuildContext.js';
import type { SessionResult } from './sessionsStep.js';

/**
 * The pairs counted from the rebuild's arrays, session by session, so rows arrive in the
 * table's key order (session, endpoint) and are appended. The SQL fill groups in endpoint
 * order and so inserts all over the table; it also re-reads every request's facts.
 */
function fillFromArrays(ctx: RebuildContext, ses: SessionResult, ep: EndpointResult): number {
  const counts = new Int32Array(ep.list.length);
  const touched: number[] = [];
  const insert = new BatchInsert(ctx.db, 'session_endpoints', ['session_id', 'endpoint_id', 'n']);
  let rows = 0;
  let j = 0;
  ses.list.forEach((info, k) => {
    for (const end = j + info.count; j < end; j++) {
      const e = ep.of[ses.order[j]!]!;
      if (counts[e]!++ === 0) touched.push(e);
    }
    touched.sort((a, b) => a - b);
    // Stored ids are index + 1, as the write step stores them.
    for (const e of touched) insert.push(k + 1, e + 1, counts[e]!);
    rows += touched.length;
    for (const e of touched) counts[e] = 0;
    touched.length = 0;
  });
  insert.flush();
  return rows;
}

/**
 * Requests per (session, endpoint) for the sessions list's unfiltered flow shares and top
 * endpoints. After the write step (60), which has written the sessions and facts they count.
 */
export const sessionEndpointsStep: RebuildStep = {
  name: 'session endpoints',
  order: 62,
  run(ctx: RebuildContext) {
    const { db } = ctx;
    db.exec('DROP TABLE IF EXISTS session_endpoints');
    db.exec(SESSION_ENDPOINTS_CREATE);
    ctx.stats.sessionEndpoints =
      ctx.sessions && ctx.endpoints
        ? fillFromArrays(ctx, ctx.sessions, ctx.endpoints)
        : db.prepare(SESSION_ENDPOINTS_FILL).run().changes;
  },
};
