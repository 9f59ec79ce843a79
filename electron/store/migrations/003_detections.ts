import type { Migration } from './index.js';

/** Attack detections, verdicts, false-positive marks and investigator rules. */
export const m003Detections: Migration = {
  version: 3,
  name: 'detections',
  sql: `SELECT 1;`,
};
