import type { Migration } from './index.js';

/**
 * The columns the analysis scan reads of every request, written by the import in the same
 * transaction as the requests themselves (requestColumns.ts): per chunk of consecutive request
 * ids, their numbers as typed arrays and their strings as ids of a dictionary per source
 * (`strings`: the JSON array of the strings this chunk adds to it). A derived copy, never the
 * evidence: a rebuild reads it only while it covers every request, else reads `requests`.
 */
export const REQUEST_COLUMNS_CREATE = `CREATE TABLE IF NOT EXISTS request_columns (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    format INTEGER NOT NULL,
    first_id INTEGER NOT NULL,
    count INTEGER NOT NULL,
    strings TEXT NOT NULL,
    data BLOB NOT NULL
  ) STRICT`;

/**
 * Sessionscope never changes or deletes a stored request (a source goes as a whole, and its
 * columns with it), but whatever does (a tool outside Sessionscope, a test) now also drops the
 * columns of that request's source, which the rebuild then reads from `requests` again.
 */
export const REQUESTS_CHANGED_TRIGGERS = `CREATE TRIGGER requests_changed AFTER UPDATE ON requests
  BEGIN
    DELETE FROM analysis_state WHERE key IN ('text_index', 'detections_basis', 'analysis_basis');
    DELETE FROM request_columns WHERE source_id IN (old.source_id, new.source_id);
  END;
  CREATE TRIGGER requests_deleted AFTER DELETE ON requests
  BEGIN
    DELETE FROM request_columns WHERE source_id = old.source_id;
  END`;

export const m013RequestColumns: Migration = {
  version: 13,
  name: 'request columns',
  sql: `${REQUEST_COLUMNS_CREATE};
    CREATE INDEX IF NOT EXISTS request_columns_source ON request_columns (source_id, first_id);
    DROP TRIGGER IF EXISTS requests_changed;
    DROP TRIGGER IF EXISTS requests_deleted;
    ${REQUESTS_CHANGED_TRIGGERS};`,
};
