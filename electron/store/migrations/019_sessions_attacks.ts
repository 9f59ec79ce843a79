import type { Migration } from './index.js';

/**
 * The session list sorted by attack count (the sessions with the most findings first), walked
 * in an index as every other sort is: ties by first time, then session id (002_analysis.ts).
 * The rebuild writes the index with the sessions from now on.
 */
export const m019SessionsAttacks: Migration = {
  version: 19,
  name: 'sessions by attack count',
  sql: `CREATE INDEX IF NOT EXISTS sessions_attacks ON sessions (attack_count, first_us, sid);`,
};
