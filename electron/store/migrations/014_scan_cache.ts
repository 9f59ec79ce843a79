import type { Migration } from './index.js';

/**
 * What the analysis scan derived from every request under one set of key parameters
 * (scanCache.ts): per request its session key, raw endpoint, user, role and body type, as typed
 * arrays (`data`), and the interned values they name (`meta`, JSON; secret key values only as
 * their salted digests). A rebuild whose requests, key parameters and scan code are those of
 * `basis` reads it instead of scanning again; the request_columns give the rest.
 */
export const SCAN_CACHE_CREATE = `CREATE TABLE IF NOT EXISTS scan_cache (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    basis TEXT NOT NULL,
    meta TEXT NOT NULL,
    data BLOB NOT NULL
  ) STRICT`;

/**
 * Migration 13's triggers, which now also drop the scan cache when a request is changed or
 * deleted outside Sessionscope (an added request changes the cache's basis).
 */
export const REQUESTS_CHANGED_TRIGGERS_V14 = `CREATE TRIGGER requests_changed AFTER UPDATE ON requests
  BEGIN
    DELETE FROM analysis_state WHERE key IN ('text_index', 'detections_basis', 'analysis_basis');
    DELETE FROM request_columns WHERE source_id IN (old.source_id, new.source_id);
    DELETE FROM scan_cache;
  END;
  CREATE TRIGGER requests_deleted AFTER DELETE ON requests
  BEGIN
    DELETE FROM request_columns WHERE source_id = old.source_id;
    DELETE FROM scan_cache;
  END`;

export const m014ScanCache: Migration = {
  version: 14,
  name: 'scan cache',
  sql: `${SCAN_CACHE_CREATE};
    DROP TRIGGER IF EXISTS requests_changed;
    DROP TRIGGER IF EXISTS requests_deleted;
    ${REQUESTS_CHANGED_TRIGGERS_V14};`,
};
