import type { CaseDb } from '../store/openCase.js';

/**
 * From this many requests the rebuild gives the query planner the real figures of keyed_facts
 * and sessions (sqlite_stat1). request_facts joins each request to its session: without them
 * SQLite takes both tables for equally large (a million rows each), and may answer a filter
 * over every request by walking the requests and looking up each one's session (2.9 s for the
 * DELETE requests of 1M, 3.4 s for a common word) rather than each session's range of
 * requests (0.45 s, 0.95 s). Below it either way is fast, and plans stay those of that
 * default, which is also what the query-plan tests of small cases check.
 */
export const PLANNER_STATS_MIN_REQUESTS = 20_000;

/** True when sqlite_stat1 holds figures of `table`. */
export function hasStats(db: CaseDb, table: string): boolean {
  const stat1 = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").get();
  return (
    stat1 !== undefined &&
    db.prepare('SELECT 1 FROM sqlite_stat1 WHERE tbl = ?').get(table) !== undefined
  );
}

/**
 * ANALYZE of `tables` on a sample of each index (milliseconds). A table's figures go when it
 * is dropped, so a table kept from the last rebuild keeps its own.
 */
export function analyzeForPlanner(db: CaseDb, tables: readonly string[]): void {
  const limit = db.pragma('analysis_limit', { simple: true }) as number;
  db.pragma('analysis_limit = 1000');
  try {
    for (const t of tables) db.exec(`ANALYZE ${t}`);
  } finally {
    db.pragma(`analysis_limit = ${limit}`);
  }
}
