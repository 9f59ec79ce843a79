import type { Migration } from './index.js';

/**
 * Attack detections. One row per finding: `source = 'engine'` rows come from the signature
 * engine (shared/detect) with the rule, where it matched and the matched fragment;
 * `source = 'source-label'` rows keep the attack label the source itself gave a request
 * (rule_id 'source-label', the label text in `fragment`), beside ours and never overwritten.
 * Offsets [frag_start, frag_end) index the location's raw or decoded text, as `basis` says.
 * The table is derived: the rebuild deletes and rewrites it. `detection_fp_marks` is not:
 * it holds the investigator's false-positive marks, which the rebuild applies.
 */
export const m003Detections: Migration = {
  version: 3,
  name: 'detections',
  sql: `
    CREATE TABLE detections (
      id INTEGER PRIMARY KEY,
      request_id INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
      type TEXT NOT NULL,
      rule_id TEXT NOT NULL,
      location TEXT CHECK (location IN ('path', 'query', 'body', 'cookie', 'header', 'ua', 'response')),
      param TEXT,
      part TEXT CHECK (part IN ('name', 'value')),
      frag_start INTEGER,
      frag_end INTEGER,
      basis TEXT CHECK (basis IN ('raw', 'decoded')),
      fragment TEXT,
      source TEXT NOT NULL CHECK (source IN ('engine', 'source-label')),
      CHECK (source = 'source-label' OR (location IS NOT NULL AND part IS NOT NULL
        AND frag_start IS NOT NULL AND frag_end >= frag_start AND basis IS NOT NULL))
    ) STRICT;
    CREATE INDEX detections_request ON detections (request_id);
    CREATE INDEX detections_type ON detections (type, request_id);
    CREATE INDEX detections_rule ON detections (rule_id, request_id);

    -- Investigator verdicts, kept across rebuilds: a rule is a false positive on one request
    -- (request_id set) or everywhere (request_id NULL), optionally only for one parameter.
    -- The detect step leaves marked findings out; every mark is also in the audit log.
    CREATE TABLE detection_fp_marks (
      id INTEGER PRIMARY KEY,
      rule_id TEXT NOT NULL,
      request_id INTEGER REFERENCES requests (id) ON DELETE CASCADE,
      param TEXT,
      note TEXT,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX detection_fp_marks_rule ON detection_fp_marks (rule_id);
  `,
};
