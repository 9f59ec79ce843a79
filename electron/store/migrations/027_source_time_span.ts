import type { Migration } from './index.js';

/**
 * Per source, the times of its earliest and latest accepted request (µs since the epoch, UTC):
 * which period each file covers, the first thing an investigator asks of a set of logs (one
 * months or years off, or not reaching the incident). The import records them as it reads
 * (ingest/parseBatches.ts); a source imported before gets them here from its requests, in
 * one read of the table. NULL for a source with no accepted request.
 */
export const m027SourceTimeSpan: Migration = {
  version: 27,
  name: 'sources: time span of their requests',
  sql: `
    ALTER TABLE sources ADD COLUMN first_us INTEGER;
    ALTER TABLE sources ADD COLUMN last_us INTEGER;
    UPDATE sources SET first_us = span.lo, last_us = span.hi
      FROM (SELECT source_id, min(ts_us) AS lo, max(ts_us) AS hi FROM requests GROUP BY source_id)
        AS span
      WHERE span.source_id = sources.id;
  `,
};
