import {
  SESSION_ENDPOINTS_CREATE,
  SESSION_ENDPOINTS_FILL,
} from '../store/migrations/007_session_endpoints.js';
import type { RebuildContext, RebuildStep } from './rebuildContext.js';

/**
 * Requests per (session, endpoint) for the sessions list's unfiltered flow shares and top
 * endpoints. After the write step (60), which has built the facts_endpoint index it reads.
 */
export const sessionEndpointsStep: RebuildStep = {
  name: 'session endpoints',
  order: 62,
  run(ctx: RebuildContext) {
    const { db } = ctx;
    db.exec('DROP TABLE IF EXISTS session_endpoints');
    db.exec(SESSION_ENDPOINTS_CREATE);
    ctx.stats.sessionEndpoints = db.prepare(SESSION_ENDPOINTS_FILL).run().changes;
  },
};
