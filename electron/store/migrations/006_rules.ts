import type { Migration } from './index.js';

/**
 * Investigator verdicts and rules (shared/rules/ruleModel.ts), kept across rebuilds, and what
 * the rebuild derives from them.
 *
 * - `rules`: suppress / detect / tag rules. A suppress rule's endpoint is keyed by method, host
 *   and template (as endpoint_flow_overrides are) so it outlives the rebuilt endpoint ids.
 * - `detection_marks`: true/false-positive verdicts on one finding of one request, found again
 *   after a rebuild by (request, rule id, parameter). Replaces migration 3's
 *   `detection_fp_marks`: per-request marks move here, everywhere-marks become suppress rules.
 * - `fp_detections`: findings judged false positives, with the mark or rule that judged them.
 *   They live beside `detections` rather than in it on purpose: everything that counts,
 *   filters or lists attacks (session counts, risk, filters, export, overview) reads
 *   `detections`, so a false positive leaves all of them at once and stays visible on its
 *   request. Ids come from one sequence, so a finding keeps its id when it moves.
 * - `detections` is rebuilt to admit `source = 'custom'` (findings of detect rules).
 * - `request_tags`: labels that tag rules put on requests.
 */
export const m006Rules: Migration = {
  version: 6,
  name: 'rules and verdicts',
  sql: `
    CREATE TABLE rules (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('suppress', 'detect', 'tag')),
      enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
      scope TEXT CHECK (scope IN ('signature', 'type', 'all')),
      rule_id TEXT,
      type TEXT,
      method TEXT,
      host TEXT,
      template TEXT,
      param TEXT,
      field TEXT CHECK (field IN ('path', 'query', 'body', 'param', 'header', 'cookie', 'ua')),
      field_name TEXT,
      match TEXT CHECK (match IN ('literal', 'regex')),
      pattern TEXT,
      label TEXT,
      note TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      CHECK ((kind = 'suppress') = (scope IS NOT NULL)),
      CHECK (kind = 'suppress' OR (field IS NOT NULL AND match IS NOT NULL AND pattern IS NOT NULL)),
      CHECK (kind != 'detect' OR type IS NOT NULL),
      CHECK (kind != 'tag' OR label IS NOT NULL),
      CHECK ((method IS NULL) = (template IS NULL) AND (method IS NULL) = (host IS NULL))
    ) STRICT;

    CREATE TABLE detection_marks (
      id INTEGER PRIMARY KEY,
      request_id INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
      rule_id TEXT NOT NULL,
      param TEXT,
      verdict TEXT NOT NULL CHECK (verdict IN ('true_positive', 'false_positive')),
      note TEXT,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX detection_marks_request ON detection_marks (request_id, rule_id);

    INSERT INTO detection_marks (id, request_id, rule_id, param, verdict, note, created_at)
      SELECT id, request_id, rule_id, param, 'false_positive', note, created_at
      FROM detection_fp_marks WHERE request_id IS NOT NULL;
    INSERT INTO rules (kind, scope, rule_id, param, note, created_at, updated_at)
      SELECT 'suppress', 'signature', rule_id, param, note, created_at, created_at
      FROM detection_fp_marks WHERE request_id IS NULL ORDER BY id;
    DROP TABLE detection_fp_marks;

    CREATE TABLE detections_v6 (
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
      source TEXT NOT NULL CHECK (source IN ('engine', 'source-label', 'custom')),
      CHECK (source = 'source-label' OR (location IS NOT NULL AND part IS NOT NULL
        AND frag_start IS NOT NULL AND frag_end >= frag_start AND basis IS NOT NULL))
    ) STRICT;
    INSERT INTO detections_v6 SELECT * FROM detections;
    DROP TABLE detections;
    ALTER TABLE detections_v6 RENAME TO detections;
    CREATE INDEX detections_request ON detections (request_id);
    CREATE INDEX detections_type ON detections (type, request_id);
    CREATE INDEX detections_rule ON detections (rule_id, request_id);

    CREATE TABLE fp_detections (
      id INTEGER PRIMARY KEY,
      request_id INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
      type TEXT NOT NULL,
      rule_id TEXT NOT NULL,
      location TEXT,
      param TEXT,
      part TEXT,
      frag_start INTEGER,
      frag_end INTEGER,
      basis TEXT,
      fragment TEXT,
      source TEXT NOT NULL,
      mark_id INTEGER,
      rule_ref INTEGER,
      CHECK ((mark_id IS NULL) != (rule_ref IS NULL))
    ) STRICT;
    CREATE INDEX fp_detections_request ON fp_detections (request_id);

    CREATE TABLE request_tags (
      tag TEXT NOT NULL,
      request_id INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
      rule_ref INTEGER NOT NULL,
      PRIMARY KEY (tag, request_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX request_tags_request ON request_tags (request_id);
  `,
};
