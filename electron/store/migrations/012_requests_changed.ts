import type { Migration } from './index.js';

/**
 * The analysis keeps what it derived from `requests` alone while they are unchanged — the text
 * index and the attack findings (textIndexStep.ts, detectBasis.ts) — and tells a partial rebuild
 * from a stale one (analysis_basis), by what requests there are: their count, last id and
 * sources. Sessionscope never changes a stored request (they are evidence), but whatever does
 * (a tool outside Sessionscope, a test) now makes every one of these records forget itself, so
 * the next rebuild derives from the requests as they are.
 */
export const REQUESTS_CHANGED_TRIGGER = `CREATE TRIGGER requests_changed AFTER UPDATE ON requests
  BEGIN
    DELETE FROM analysis_state WHERE key IN ('text_index', 'detections_basis', 'analysis_basis');
  END`;

export const m012RequestsChanged: Migration = {
  version: 12,
  name: 'requests changed',
  sql: `DROP TRIGGER IF EXISTS requests_changed;
    ${REQUESTS_CHANGED_TRIGGER};`,
};
