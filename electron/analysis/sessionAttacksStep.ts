import {
  DETECTIONS_REQUEST_COL,
  DETECTIONS_TABLE,
  hasDetections,
} from '../query/detectionsLink.js';
import type { RebuildContext, RebuildStep } from './rebuildContext.js';

/** Counts, per session, the requests with at least one detection (after detection has run). */
export const sessionAttacksStep: RebuildStep = {
  name: 'session attack counts',
  order: 90,
  run(ctx: RebuildContext) {
    if (!hasDetections(ctx.db)) return;
    ctx.db.exec(`UPDATE sessions SET attack_count = coalesce((
        SELECT count(*) FROM request_facts f
        WHERE f.session_id = sessions.id AND f.request_id IN (
          SELECT d.${DETECTIONS_REQUEST_COL} FROM ${DETECTIONS_TABLE} d)), 0)`);
  },
};
