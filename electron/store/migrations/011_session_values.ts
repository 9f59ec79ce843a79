import type { Migration } from './index.js';

/**
 * The request_facts columns whose filters find their sessions through session_values and
 * value_sessions rather than through an index of every request (ip, user and role hold
 * fact_values ids, status the code). Each index cost the rebuild of 1M requests 0.1–0.6 s.
 */
export const SESSION_VALUE_COLUMNS = ['ip', 'role', 'status', 'user'] as const;
export type SessionValueColumn = (typeof SESSION_VALUE_COLUMNS)[number];

/** The per-request indexes these tables replace (dropped by the migration). */
const REPLACED_INDEXES = ['facts_ip', 'facts_status', 'facts_user', 'facts_role'];

/**
 * Per session, the distinct non-null values of its requests' ip, role, status and user, each a
 * JSON array in ascending order ('[]' for none): a filter on one of them tests a session here
 * before reading its requests. One row per session (a row per value cost the rebuild several
 * times more to write).
 */
export const SESSION_VALUES_CREATE = `CREATE TABLE session_values (
    session_id INTEGER PRIMARY KEY,
    ${SESSION_VALUE_COLUMNS.map((c) => `${c} TEXT NOT NULL`).join(',\n    ')}
  ) STRICT`;

/**
 * Per column and value, the sessions that hold it (`sessions`: their ids, a JSON array,
 * ascending; `n`: how many), so a filter on a rare value starts from its few sessions.
 */
export const VALUE_SESSIONS_CREATE = `CREATE TABLE value_sessions (
    col TEXT NOT NULL,
    value INTEGER NOT NULL,
    n INTEGER NOT NULL,
    sessions TEXT NOT NULL,
    PRIMARY KEY (col, value)
  ) STRICT, WITHOUT ROWID`;

/** Fills session_values from request_facts and sessions (a case analysed before this version). */
export const SESSION_VALUES_FILL = `INSERT INTO session_values (session_id, ${SESSION_VALUE_COLUMNS.join(', ')})
  SELECT s.id, ${SESSION_VALUE_COLUMNS.map(
    (c) => `(SELECT json_group_array(v) FROM (SELECT DISTINCT f.${c} AS v FROM request_facts f
       WHERE f.session_id = s.id AND f.${c} IS NOT NULL ORDER BY v))`,
  ).join(',\n    ')}
  FROM sessions s ORDER BY s.id`;

/** Fills value_sessions from session_values. */
export const VALUE_SESSIONS_FILL = `INSERT INTO value_sessions (col, value, n, sessions)
  SELECT col, value, count(*), json_group_array(session_id)
  FROM (${SESSION_VALUE_COLUMNS.map(
    (c) =>
      `SELECT '${c}' AS col, j.value AS value, sv.session_id FROM session_values sv, json_each(sv.${c}) j`,
  ).join(' UNION ALL ')}
    ORDER BY col, value, session_id)
  GROUP BY col, value`;

export const m011SessionValues: Migration = {
  version: 11,
  name: 'session values',
  sql: `${REPLACED_INDEXES.map((i) => `DROP INDEX IF EXISTS ${i};`).join('\n')}
    DROP TABLE IF EXISTS session_values;
    DROP TABLE IF EXISTS value_sessions;
    ${SESSION_VALUES_CREATE};
    ${VALUE_SESSIONS_CREATE};
    ${SESSION_VALUES_FILL};
    ${VALUE_SESSIONS_FILL};`,
};
