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

/**
 * One index per sort order of the session list, each ending in sid for a total keyset order.
 * Sorts by a count or a duration, whose values many sessions share, break ties by first time:
 * the rows are stored in that order, so the index is built from rows already in order within
 * each value (1M one-request sessions: 0.5 s an index, against 2 s sorting them by sid).
 */
export const SESSION_SORT_INDEXES: readonly string[] = [
  'CREATE INDEX sessions_first ON sessions (first_us, sid)',
  'CREATE INDEX sessions_last ON sessions (last_us, sid)',
  'CREATE INDEX sessions_requests ON sessions (request_count, first_us, sid)',
  'CREATE INDEX sessions_duration ON sessions (duration_us, first_us, sid)',
  'CREATE INDEX sessions_outliers ON sessions (outlier_count, first_us, sid)',
  // Migration 19.
  'CREATE INDEX sessions_attacks ON sessions (attack_count, first_us, sid)',
];

/**
 * key_id: the session key its requests share (keyed_facts.key_id); a key's sessions are
 * disjoint time ranges of its requests.
 */
export const sessionsTable: DerivedTable = {
  name: 'sessions',
  // sid is unique by its index, built after the rows are in: kept during the insert, the
  // random order of the ids cost 1M sessions 2.5 s more than building it after (1.5 s).
  create: `CREATE TABLE sessions (
      id INTEGER PRIMARY KEY,
      sid TEXT NOT NULL,
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
      attack_count INTEGER NOT NULL DEFAULT 0,
      key_id INTEGER NOT NULL
    ) STRICT`,
  indexes: [
    'CREATE UNIQUE INDEX sessions_sid ON sessions (sid)',
    ...SESSION_SORT_INDEXES,
    // A request's session: its key's session starting last at or before it (request_facts).
    'CREATE INDEX sessions_key ON sessions (key_id, first_us)',
  ],
};

/** sessions as migrations 2–14 created it (015_keyed_facts.ts adds key_id). */
export const sessionsTableV14: DerivedTable = {
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
 * One row per request (request_id = requests.id): its session key (key_id, the scan's
 * interned key after issued keys are linked), endpoint and outlier scores, plus the columns the
 * filters use most (strings as fact_values ids), so a filter reads one narrow table. outlier is
 * a bit set: 1 latency, 2 response size. Clustered by (key, time): a session is one contiguous
 * range of its key's requests (sessionsStep.ts cuts a key's requests at time gaps), so the
 * session views read one range, and nothing here depends on the inactivity timeout or the
 * maximum session length: a rebuild after such a change rewrites the sessions, not these rows
 * (writeStep.ts keeps them when what it would write is what is stored).
 */
export const keyedFactsTable: DerivedTable = {
  name: 'keyed_facts',
  create: `CREATE TABLE keyed_facts (
      key_id INTEGER NOT NULL,
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
      PRIMARY KEY (key_id, ts_us, request_id)
    ) STRICT, WITHOUT ROWID`,
  // Each index costs rebuild time on a million rows, so only lookups by request and the
  // outlier filter get one; time ranges go through sessions (bounded by the maximum session
  // length) and the key; endpoints, hosts and flows through session_endpoints
  // (010_endpoint_sessions.ts); ips, statuses, users and roles through session_values
  // (011_session_values.ts).
  indexes: [
    'CREATE UNIQUE INDEX facts_request ON keyed_facts (request_id)',
    'CREATE INDEX facts_outlier ON keyed_facts (key_id, ts_us) WHERE outlier != 0',
  ],
};

/**
 * What every query reads: keyed_facts with each request's session (session_id = sessions.id).
 * From a session, its key's range between its first and last request; from a request, the
 * session of its key that starts at most the longest session's duration before it and ends
 * at or after it (one per request: a key's sessions do not overlap in time). A view, so the
 * rows a settings change leaves alone are not rewritten; SQLite flattens it into each query.
 */
export const REQUEST_FACTS_VIEW = `CREATE VIEW request_facts AS
  SELECT fs.id AS session_id, f.ts_us, f.request_id, f.endpoint_id, f.ip, f.method, f.status,
    f.user, f.role, f.outlier, f.latency_z, f.size_z
  FROM sessions fs JOIN keyed_facts f
    ON f.key_id = fs.key_id AND f.ts_us BETWEEN fs.first_us AND fs.last_us
  WHERE fs.first_us >= f.ts_us - (SELECT max(duration_us) FROM sessions)`;

/**
 * request_facts as migrations 2–14 created it: one row per request with its session id,
 * clustered by (session, time). 015_keyed_facts.ts turns it into keyed_facts and the view.
 */
export const requestFactsTableV14: DerivedTable = {
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
  indexes: [
    'CREATE UNIQUE INDEX facts_request ON request_facts (request_id)',
    'CREATE INDEX facts_outlier ON request_facts (session_id) WHERE outlier != 0',
  ],
};

/** The tables the rebuild writes (writeStep.ts), in that order. */
export const derivedTables: readonly DerivedTable[] = [
  endpointsTable,
  sessionsTable,
  factValuesTable,
  keyedFactsTable,
];

/** The derived tables as this migration creates them (later ones change some). */
const derivedTablesV2: readonly DerivedTable[] = [
  endpointsTable,
  sessionsTableV14,
  factValuesTable,
  requestFactsTableV14,
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

    ${derivedTablesV2.map((t) => `${t.create};\n${t.indexes.map((i) => i + ';').join('\n')}`).join('\n')}
  `,
};
