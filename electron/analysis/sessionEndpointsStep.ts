import {
  SESSION_ENDPOINTS_CREATE,
  SESSION_ENDPOINTS_FILL,
} from '../store/migrations/007_session_endpoints.js';
import {
  ENDPOINT_SESSIONS_CREATE,
  ENDPOINT_SESSIONS_FILL,
} from '../store/migrations/010_endpoint_sessions.js';
import { BatchInsert } from './batchInsert.js';
import type { EndpointResult } from './endpointsStep.js';
import type { RebuildContext, RebuildStep } from './rebuildContext.js';
import type { SessionResult } from './sessionsStep.js';

/**
 * The pairs counted from the rebuild's arrays, session by session, so rows arrive in the
 * table's key order (session, endpoint) and are appended. The SQL fill groups in endpoint
 * order and so inserts all over the table; it also re-reads every request's facts. Each
 * endpoint's sessions are gathered on the way (in ascending id order) for endpoint_sessions.
 */
function fillFromArrays(ctx: RebuildContext, ses: SessionResult, ep: EndpointResult): number {
  const counts = new Int32Array(ep.list.length);
  const touched: number[] = [];
  const sessionsOf: number[][] = ep.list.map(() => []);
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
    for (const e of touched) {
      insert.push(k + 1, e + 1, counts[e]!);
      sessionsOf[e]!.push(k + 1);
    }
    rows += touched.length;
    for (const e of touched) counts[e] = 0;
    touched.length = 0;
  });
  insert.flush();
  const bySessions = new BatchInsert(ctx.db, 'endpoint_sessions', ['endpoint_id', 'n', 'sessions']);
  sessionsOf.forEach((ids, e) => {
    if (ids.length > 0) bySessions.push(e + 1, ids.length, JSON.stringify(ids));
  });
  bySessions.flush();
  return rows;
}

/**
 * Requests per (session, endpoint) for the sessions list's unfiltered flow shares and top
 * endpoints, and per endpoint its sessions (endpoint_sessions) for the endpoint, host and flow
 * filters. After the write step (60), which has written the sessions and facts they count.
 */
export const sessionEndpointsStep: RebuildStep = {
  name: 'session endpoints',
  order: 62,
  run(ctx: RebuildContext) {
    const { db } = ctx;
    db.exec('DROP TABLE IF EXISTS session_endpoints');
    db.exec(SESSION_ENDPOINTS_CREATE);
    db.exec('DROP TABLE IF EXISTS endpoint_sessions');
    db.exec(ENDPOINT_SESSIONS_CREATE);
    if (ctx.sessions && ctx.endpoints) {
      ctx.stats.sessionEndpoints = fillFromArrays(ctx, ctx.sessions, ctx.endpoints);
    } else {
      ctx.stats.sessionEndpoints = db.prepare(SESSION_ENDPOINTS_FILL).run().changes;
      db.exec(ENDPOINT_SESSIONS_FILL);
    }
  },
};
