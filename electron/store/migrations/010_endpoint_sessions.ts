import type { Migration } from './index.js';

/**
 * Per endpoint, the sessions that requested it (`sessions`: their ids, a JSON array, ascending;
 * `n`: how many), derived by the rebuild (sessionEndpointsStep). The endpoint, host and flow
 * filters find their sessions here instead of through an index of every request by endpoint,
 * which cost the rebuild about 0.8 s on 1M requests (and an index of session_endpoints by
 * endpoint, 0.45 s); these are a few dozen rows.
 */
export const ENDPOINT_SESSIONS_CREATE = `CREATE TABLE endpoint_sessions (
    endpoint_id INTEGER PRIMARY KEY,
    n INTEGER NOT NULL,
    sessions TEXT NOT NULL
  ) STRICT`;

/** Fills the table from session_endpoints (a case analysed before this version). */
export const ENDPOINT_SESSIONS_FILL = `INSERT INTO endpoint_sessions (endpoint_id, n, sessions)
  SELECT endpoint_id, count(*), json_group_array(session_id)
  FROM (SELECT endpoint_id, session_id FROM session_endpoints ORDER BY endpoint_id, session_id)
  GROUP BY endpoint_id`;

export const m010EndpointSessions: Migration = {
  version: 10,
  name: 'endpoint sessions',
  // The per-request endpoint index is no longer read.
  sql: `DROP INDEX IF EXISTS facts_endpoint;
    DROP TABLE IF EXISTS endpoint_sessions;
    ${ENDPOINT_SESSIONS_CREATE};
    ${ENDPOINT_SESSIONS_FILL};`,
};
