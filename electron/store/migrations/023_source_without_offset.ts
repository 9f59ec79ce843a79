import type { Migration } from './index.js';

/**
 * Per source, how many of its accepted lines had a time without an offset of its own, so that
 * the source's assumed zone (tz_assumption) was applied to them (counted by the parser as it
 * reads them: ingest/parseBatches.ts). The Overview says a zone was assumed only for a source
 * that has such lines. A source imported before has NULL: not counted, so the note stays as it
 * was (a zone assumed for times without an offset, however many there were).
 */
export const m023SourceWithoutOffset: Migration = {
  version: 23,
  name: 'sources: lines read in the assumed zone',
  sql: `
    ALTER TABLE sources ADD COLUMN without_offset INTEGER;
  `,
};
