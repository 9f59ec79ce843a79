import { keyedFactsTable, REQUEST_FACTS_VIEW } from './002_analysis.js';
import type { Migration } from './index.js';

/**
 * request_facts, one row per request keyed by its session, becomes keyed_facts, keyed by the
 * session's key, with request_facts a view that joins each request to its session
 * (002_analysis.ts says why). A case analysed before this version keeps its analysis: each
 * session stands for a key of its own (key_id = id), which gives every request the session it
 * had; its next rebuild writes the real keys.
 */
export const m015KeyedFacts: Migration = {
  version: 15,
  name: 'keyed facts',
  sql: `
    ALTER TABLE sessions ADD COLUMN key_id INTEGER NOT NULL DEFAULT 0;
    UPDATE sessions SET key_id = id;
    CREATE INDEX sessions_key ON sessions (key_id, first_us);
    DROP TABLE IF EXISTS keyed_facts;
    ${keyedFactsTable.create};
    INSERT INTO keyed_facts (key_id, ts_us, request_id, endpoint_id, ip, method, status, user,
        role, outlier, latency_z, size_z)
      SELECT session_id, ts_us, request_id, endpoint_id, ip, method, status, user, role,
        outlier, latency_z, size_z
      FROM request_facts ORDER BY session_id, ts_us, request_id;
    DROP TABLE request_facts;
    ${keyedFactsTable.indexes.map((i) => `${i};`).join('\n')}
    ${REQUEST_FACTS_VIEW};
    DELETE FROM analysis_state WHERE key = 'keyed_facts_digest';
    -- The planner's figures for both (plannerStats.ts says why).
    PRAGMA analysis_limit = 1000;
    ANALYZE keyed_facts;
    ANALYZE sessions;
    PRAGMA analysis_limit = 0;
  `,
};
