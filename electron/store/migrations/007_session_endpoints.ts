import type { Migration } from './index.js';

/**
 * Requests per (session, endpoint), derived by the rebuild (sessionEndpointsStep). The
 * sessions list reads its flow shares and top endpoints from here when no filter narrows the
 * requests inside a session: a few rows per listed session instead of every request of it
 * (a page can hold a 50,000-request session).
 */
export const SESSION_ENDPOINTS_CREATE = `CREATE TABLE session_endpoints (
    session_id INTEGER NOT NULL,
    endpoint_id INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (session_id, endpoint_id)
  ) STRICT, WITHOUT ROWID`;

/**
 * Fills the table from request_facts. Grouped in the order of the covering (endpoint_id,
 * session_id) index, which yields the groups already sorted: one streamed pass, no sorter. Not
 * forced with INDEXED BY, so a case missing the index still opens (it would only be slower).
 */
export const SESSION_ENDPOINTS_FILL = `INSERT INTO session_endpoints (session_id, endpoint_id, n)
  SELECT session_id, endpoint_id, count(*) FROM request_facts
  GROUP BY endpoint_id, session_id`;

export const m007SessionEndpoints: Migration = {
  version: 7,
  name: 'session endpoints',
  // Filled here too, so a case analysed before this version lists the same mixes at once.
  sql: `${SESSION_ENDPOINTS_CREATE};\n${SESSION_ENDPOINTS_FILL};`,
};
