import type { Migration } from './index.js';

/** Sessions with at least this many requests have their whole-session mix stored. */
export const SESSION_MIX_MIN_REQUESTS = 1000;

/**
 * Requests per (status, IP, user) of each large session, derived by the rebuild
 * (sessionMixStep). A session's detail reads its unfiltered status, IP and user distributions
 * from here instead of grouping every one of its requests (about 30 ms for a 50,000-request
 * session, each time it is opened); smaller sessions group theirs in well under a millisecond.
 */
export const SESSION_MIX_CREATE = `CREATE TABLE session_mix (
    session_id INTEGER NOT NULL,
    status INTEGER,
    ip TEXT,
    user TEXT,
    n INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX session_mix_session ON session_mix (session_id)`;

/** Fills the table from request_facts (a case analysed before this version). */
export const SESSION_MIX_FILL = `INSERT INTO session_mix (session_id, status, ip, user, n)
  SELECT f.session_id, f.status, f.ip, f.user, count(*)
  FROM sessions s JOIN request_facts f ON f.session_id = s.id
  WHERE s.request_count >= ${SESSION_MIX_MIN_REQUESTS}
  GROUP BY f.session_id, f.status, f.ip, f.user`;

export const m008SessionMix: Migration = {
  version: 8,
  name: 'session mix',
  sql: `${SESSION_MIX_CREATE};\n${SESSION_MIX_FILL};`,
};
