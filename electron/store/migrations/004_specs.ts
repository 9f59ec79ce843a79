import type { Migration } from './index.js';

/**
 * Loaded API specifications (OpenAPI/Swagger), their operations, and what the rebuild derives
 * from them: each endpoint's spec status, the spec paths nothing called, and endpoint risk.
 * `specs` and `spec_paths` are evidence the investigator loaded (kept across rebuilds); the
 * other three are refilled by the spec and risk steps. Endpoints are keyed by their stable
 * `eid` (with method, host and template copied) so the rows outlive the endpoints table's
 * rebuilt rowids.
 */
export const m004Specs: Migration = {
  version: 4,
  name: 'specs and risk',
  sql: `
    CREATE TABLE specs (
      id INTEGER PRIMARY KEY,
      file TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      title TEXT NOT NULL,
      version TEXT NOT NULL,
      loaded_at TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('openapi3', 'swagger2')),
      spec_version TEXT NOT NULL,
      servers TEXT NOT NULL,
      unresolved_refs TEXT NOT NULL
    ) STRICT;
    CREATE INDEX specs_sha256 ON specs (sha256);

    CREATE TABLE spec_paths (
      spec_id INTEGER NOT NULL REFERENCES specs (id) ON DELETE CASCADE,
      method TEXT NOT NULL,
      path_template TEXT NOT NULL,
      deprecated INTEGER NOT NULL CHECK (deprecated IN (0, 1)),
      operation_id TEXT,
      parameters TEXT NOT NULL,
      PRIMARY KEY (spec_id, method, path_template)
    ) STRICT;

    CREATE TABLE endpoint_spec_status (
      eid TEXT PRIMARY KEY,
      method TEXT NOT NULL,
      host TEXT NOT NULL,
      template TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('documented', 'shadow', 'zombie')),
      reason TEXT CHECK (reason IN ('deprecated', 'removed', 'not-found')),
      spec_id INTEGER REFERENCES specs (id) ON DELETE CASCADE,
      spec_method TEXT,
      spec_path TEXT
    ) STRICT;
    CREATE INDEX endpoint_spec_status_status ON endpoint_spec_status (status);

    CREATE TABLE spec_orphans (
      spec_id INTEGER NOT NULL REFERENCES specs (id) ON DELETE CASCADE,
      method TEXT NOT NULL,
      path_template TEXT NOT NULL,
      deprecated INTEGER NOT NULL CHECK (deprecated IN (0, 1)),
      PRIMARY KEY (spec_id, method, path_template)
    ) STRICT;

    CREATE TABLE endpoint_risk (
      eid TEXT PRIMARY KEY,
      method TEXT NOT NULL,
      host TEXT NOT NULL,
      template TEXT NOT NULL,
      score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 10),
      level TEXT NOT NULL CHECK (level IN ('Low', 'Medium', 'High')),
      factors TEXT NOT NULL
    ) STRICT;
    CREATE INDEX endpoint_risk_score ON endpoint_risk (score DESC, eid);
  `,
};
