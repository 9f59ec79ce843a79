import type { Migration } from './index.js';

/**
 * Rule and mark ids are never given again. Both tables had `INTEGER PRIMARY KEY` alone, so
 * deleting the newest rule (or mark) let the next one take its id, and the audit trail named
 * two different rules `rule.add id: 1`. With AUTOINCREMENT SQLite keeps the largest id ever
 * given (sqlite_sequence) and never goes back below it.
 *
 * A table gains AUTOINCREMENT only by being made again: each is copied with its ids, then its
 * sequence starts after the largest id the case has ever used for it — in the table or named
 * by the audit trail (a deleted newest rule is only there) — so an id already reused before
 * this version is at least not reused again. Nothing references these ids by foreign key
 * (fp_detections and request_tags keep them as plain values), so the copies keep every link.
 */
export const m020IdsNotReused: Migration = {
  version: 20,
  name: 'rule and mark ids not reused',
  sql: `
    CREATE TABLE rules_v20 (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
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
    INSERT INTO rules_v20 (id, kind, enabled, scope, rule_id, type, method, host, template, param,
        field, field_name, match, pattern, label, note, created_at, updated_at)
      SELECT id, kind, enabled, scope, rule_id, type, method, host, template, param,
        field, field_name, match, pattern, label, note, created_at, updated_at
      FROM rules;
    DROP TABLE rules;
    ALTER TABLE rules_v20 RENAME TO rules;

    CREATE TABLE detection_marks_v20 (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      request_id INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
      rule_id TEXT NOT NULL,
      param TEXT,
      verdict TEXT NOT NULL CHECK (verdict IN ('true_positive', 'false_positive')),
      note TEXT,
      created_at TEXT NOT NULL
    ) STRICT;
    INSERT INTO detection_marks_v20 (id, request_id, rule_id, param, verdict, note, created_at)
      SELECT id, request_id, rule_id, param, verdict, note, created_at FROM detection_marks;
    DROP TABLE detection_marks;
    ALTER TABLE detection_marks_v20 RENAME TO detection_marks;
    CREATE INDEX detection_marks_request ON detection_marks (request_id, rule_id);

    DELETE FROM sqlite_sequence WHERE name IN ('rules', 'detection_marks');
    INSERT INTO sqlite_sequence (name, seq)
      SELECT 'rules', max(
        (SELECT coalesce(max(id), 0) FROM rules),
        (SELECT coalesce(max(CAST(json_extract(details, '$.id') AS INTEGER)), 0) FROM audit_log
          WHERE action LIKE 'rule.%' AND json_valid(details)))
      UNION ALL
      SELECT 'detection_marks', max(
        (SELECT coalesce(max(id), 0) FROM detection_marks),
        (SELECT coalesce(max(CAST(json_extract(details, '$.id') AS INTEGER)), 0) FROM audit_log
          WHERE action IN ('detection.mark', 'detection.unmark', 'detection.fp-mark',
            'detection.fp-unmark') AND json_valid(details)));
  `,
};
