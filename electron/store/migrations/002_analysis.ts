import type { Migration } from './index.js';

/**
 * Derived tables the analysis rebuild fills. The rebuild drops and recreates the large ones
 * (request_facts, sessions, endpoints) from the DDL below, bulk-loads them, then builds their
 * indexes, so this file stays the one source of their schema. What the investigator decided
 * (settings, manual flow tags) lives in tables the rebuild never clears.
 */

export interface DerivedTable {
  name: string;
  create: string;
  indexes: readonly string[];
}

export const endpointsTable: DerivedTable = {
  name: 'endpoints',
  create: `CREATE TABLE endpoints (
      id INTEGER PRIMARY KEY,
      eid TEXT NOT NULL UNIQUE,
      method TEXT NOT NULL,
      host TEXT NOT NULL,
      template TEXT NOT NULL,
      request_count INTEGER NOT NULL,
      first_us INTEGER NOT NULL,
      last_us INTEGER NOT NULL,
      status_mix TEXT NOT NULL,
      latency_count INTEGER NOT NULL,
      latency_median REAL,
      latency_p95 REAL,
      latency_mad REAL,
      size_count INTEGER NOT NULL,
      size_median REAL,
      size_p95 REAL,
      size_mad REAL,
      params TEXT NOT NULL,
      flows_auto INTEGER NOT NULL,
      flows INTEGER NOT NULL,
      outlier_count INTEGER NOT NULL
    ) STRICT`,
  indexes: [
    'CREATE INDEX endpoints_host ON endpoints (host)',
    'CREATE INDEX endpoints_flows ON endpoints (flows) WHERE flows != 0',
  ],
};

export const sessionsTable: DerivedTable = {
  name: 'sessions',
  create: `CREATE TABLE sessions (
      id INTEGER PRIMARY KEY,
      sid TEXT NOT NULL UNIQUE,
      key_kind TEXT NOT NULL,
      key_display TEXT,
      first_us INTEGER NOT NULL,
      last_us INTEGER NOT NULL,
      duration_us INTEGER NOT NULL,
      request_count INTEGER NOT NULL,
      ip_count INTEGER NOT NULL,
      first_ip TEXT,
      user_agent TEXT,
      hosts TEXT NOT NULL,
      user TEXT,
      role TEXT,
      flows INTEGER NOT NULL,
      outlier_count INTEGER NOT NULL,
      attack_count INTEGER NOT NULL DEFAULT 0
    ) STRICT`,
  // One index per sort order of the session list, each ending in sid for a total keyset order.
  indexes: [
    'CREATE INDEX sessions_first ON sessions (first_us, sid)',
    'CREATE INDEX sessions_last ON sessions (last_us, sid)',
    'CREATE INDEX sessions_requests ON sessions (request_count, sid)',
    'CREATE INDEX sessions_duration ON sessions (duration_us, sid)',
    'CREATE INDEX sessions_outliers ON sessions (outlier_count, sid)',
  ],
};

/**
 * The strings request_facts' ip, method, user and role columns name by id. Ids are the
 * rebuild's (deterministic: first appearance in rowid order); only values the facts use are
 * listed. Integers make the facts and their indexes narrower: on 1M requests the facts' write
 * and indexes took 1.6 s less than with the strings copied into every row.
 */
export const factValuesTable: DerivedTable = {
  name: 'fact_values',
  create: `CREATE TABLE fact_values (
      id INTEGER PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT`,
  indexes: ['CREATE UNIQUE INDEX fact_values_value ON fact_values (value)'],
};

/**
 * One row per request (request_id = requests.id): its session, endpoint and outlier scores,
 * plus the columns the filters use most (strings as fact_values ids), so a filter reads one
 * narrow table. outlier is a bit set: 1 latency, 2 response size. Clustered by (session,
 * time): a session's requests are one contiguous range, which is what the session views read.
 */
export const requestFactsTable: DerivedTable = {
  name: 'request_facts',
  create: `CREATE TABLE request_facts (
      session_id INTEGER NOT NULL,
      ts_us INTEGER NOT NULL,
      request_id INTEGER NOT NULL,
      endpoint_id INTEGER NOT NULL,
      ip INTEGER,
      method INTEGER,
      status INTEGER,
      user INTEGER,
      role INTEGER,
      outlier INTEGER NOT NULL,
      latency_z REAL,
      size_z REAL,
      PRIMARY KEY (session_id, ts_us, request_id)
    ) STRICT, WITHOUT ROWID`,
  // Each index costs rebuild time on a million rows, so only lookups by request and the
  // outlier filter get one; time ranges go through sessions (bounded by the maximum session
  // length) and the key; endpoints, hosts and flows through session_endpoints
  // (010_endpoint_sessions.ts); ips, statuses, users and roles through session_values
  // (011_session_values.ts).
  indexes: [
    'CREATE UNIQUE INDEX facts_request ON request_facts (request_id)',
    'CREATE INDEX facts_outlier ON request_facts (session_id) WHERE outlier != 0',
  ],
};

export const derivedTables: readonly DerivedTable[] = [
  endpointsTable,
  sessionsTable,
  factValuesTable,
  requestFactsTable,
];

export const m002Analysis: Migration = {
  version: 2,
  name: 'analysis',
  sql: `
    CREATE TABLE analysis_settings (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      settings TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;

    -- The investigator's manual flow tags, keyed by what an endpoint is (not by a rebuilt id)
    -- so they survive every rebuild.
    CREATE TABLE endpoint_flow_overrides (
      method TEXT NOT NULL,
      host TEXT NOT NULL,
      template TEXT NOT NULL,
      flow TEXT NOT NULL,
      action TEXT NOT NULL CHECK (action IN ('add', 'remove')),
      at TEXT NOT NULL,
      PRIMARY KEY (method, host, template, flow)
    ) STRICT;

    CREATE TABLE analysis_state (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE INDEX requests_request_id ON requests (request_id) WHERE request_id IS NOT NULL;

    ${derivedTables.map((t) => `${t.create};\n${t.indexes.map((i) => i + ';').join('\n')}`).join('\n')}
  `,
};
