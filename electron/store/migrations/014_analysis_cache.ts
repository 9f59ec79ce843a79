import type { Migration } from './index.js';

/**
 * What a rebuild step derived from every request, kept for the next rebuild whose inputs are
 * those of `basis` (analysisCache.ts): `scan`, what the request scan derived (scanCache.ts;
 * secret key values only as their salted digests), and `outliers`, the outlier scores and
 * baselines (outliersCache.ts). Per-request values as typed arrays in `data`, the rest as JSON
 * in `meta`. A derived copy: a rebuild whose basis differs ignores it and writes its own.
 */
export const ANALYSIS_CACHE_CREATE = `CREATE TABLE IF NOT EXISTS analysis_cache (
    name TEXT PRIMARY KEY,
    basis TEXT NOT NULL,
    meta TEXT NOT NULL,
    data BLOB NOT NULL
  ) STRICT`;

/**
 * Migration 13's triggers, which now also drop the analysis cache when a request is changed or
 * deleted outside Sessionscope (an added request changes the cache's basis).
 */
export const REQUESTS_CHANGED_TRIGGERS_V14 = `CREATE TRIGGER requests_changed AFTER UPDATE ON requests
  BEGIN
    DELETE FROM analysis_state WHERE key IN ('text_index', 'detections_basis', 'analysis_basis');
    DELETE FROM request_columns WHERE source_id IN (old.source_id, new.source_id);
    DELETE FROM analysis_cache;
  END;
  CREATE TRIGGER requests_deleted AFTER DELETE ON requests
  BEGIN
    DELETE FROM request_columns WHERE source_id = old.source_id;
    DELETE FROM analysis_cache;
  END`;

export const m014AnalysisCache: Migration = {
  version: 14,
  name: 'analysis cache',
  sql: `${ANALYSIS_CACHE_CREATE};
    DROP TRIGGER IF EXISTS requests_changed;
    DROP TRIGGER IF EXISTS requests_deleted;
    ${REQUESTS_CHANGED_TRIGGERS_V14};`,
};
