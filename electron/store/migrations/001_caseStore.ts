import type { Migration } from './index.js';

/** The evidence tables: what was imported, every request, every rejected line, the audit trail. */
export const m001CaseStore: Migration = {
  version: 1,
  name: 'case store',
  sql: `
    CREATE TABLE case_meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE sources (
      id INTEGER PRIMARY KEY,
      path_given TEXT NOT NULL,
      file_name TEXT NOT NULL,
      size_bytes INTEGER NOT NULL,
      sha256 TEXT NOT NULL,
      format TEXT NOT NULL,
      parser_options TEXT NOT NULL,
      tz_assumption TEXT,
      imported_at TEXT NOT NULL,
      lines_read INTEGER NOT NULL DEFAULT 0,
      accepted INTEGER NOT NULL DEFAULT 0,
      rejected INTEGER NOT NULL DEFAULT 0,
      status TEXT NOT NULL CHECK (status IN ('importing', 'complete', 'incomplete'))
    ) STRICT;
    CREATE INDEX sources_sha256 ON sources (sha256);

    CREATE TABLE requests (
      id INTEGER PRIMARY KEY,
      source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
      line_no INTEGER NOT NULL,
      ts_us INTEGER NOT NULL,
      ip TEXT,
      xff TEXT,
      method TEXT,
      scheme TEXT,
      host TEXT,
      path TEXT,
      query TEXT,
      protocol TEXT,
      status INTEGER,
      latency_ms REAL,
      req_bytes INTEGER,
      resp_bytes INTEGER,
      user_agent TEXT,
      referer TEXT,
      request_id TEXT,
      cookies TEXT,
      headers TEXT,
      req_body TEXT,
      resp_headers TEXT,
      resp_body TEXT,
      src_session TEXT,
      src_user TEXT,
      src_role TEXT,
      src_label TEXT,
      extra TEXT
    ) STRICT;

    CREATE TABLE rejects (
      id INTEGER PRIMARY KEY,
      source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
      line_no INTEGER NOT NULL,
      reason TEXT NOT NULL,
      raw BLOB NOT NULL,
      raw_length INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE audit_log (
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      action TEXT NOT NULL,
      details TEXT NOT NULL
    ) STRICT;
  `,
};

/**
 * Secondary indexes on requests. Kept out of the migration's CREATE TABLE so a bulk load into
 * an empty table can drop them and build them once afterwards.
 */
export const requestIndexes: readonly { name: string; create: string; drop: string }[] = [
  {
    name: 'requests_source_line',
    create:
      'CREATE UNIQUE INDEX IF NOT EXISTS requests_source_line ON requests (source_id, line_no)',
    drop: 'DROP INDEX IF EXISTS requests_source_line',
  },
  {
    name: 'requests_ts',
    create: 'CREATE INDEX IF NOT EXISTS requests_ts ON requests (ts_us)',
    drop: 'DROP INDEX IF EXISTS requests_ts',
  },
  {
    name: 'rejects_source_line',
    create: 'CREATE INDEX IF NOT EXISTS rejects_source_line ON rejects (source_id, line_no)',
    drop: 'DROP INDEX IF EXISTS rejects_source_line',
  },
];
