import type { SessionCount } from '../../shared/contract/analysisApi.js';
import type { Filters } from '../../shared/query/filterModel.js';
import type { CaseDb } from '../store/openCase.js';
import { factsWhereWithMaps } from './filterSql.js';
import {
  chooseStrategy,
  longestSessionUs,
  parseSessionCursor,
  sessionsPageSql,
} from './sessionsQuery.js';

/** Sessions listed per step of a count that walks the list. */
const STEP = 5000;

/**
 * How many sessions the list under `filters` holds, counted the way it is listed: every
 * session when nothing narrows; the sessions of the matching requests when they are few; else
 * the list walked in first-time order a step at a time. A walk stops once `budgetMs` has
 * passed and hands out a cursor to go on from (a filter no index serves tests every session of
 * a large case, and a call holds the case while it runs): the caller adds up the parts' counts
 * until the cursor is null.
 */
export function countSessions(
  db: CaseDb,
  filters: Filters,
  cursor?: string,
  opts: { budgetMs?: number; step?: number } = {},
): SessionCount {
  const budgetMs = opts.budgetMs ?? 100;
  const step = opts.step ?? STEP;
  const where = factsWhereWithMaps(db, filters);
  const strategy = chooseStrategy(db, where);
  if (strategy === 'all') {
    const count = db.prepare('SELECT count(*) FROM sessions').pluck().get() as number;
    return { count, nextCursor: null };
  }
  if (strategy === 'fromRequests') {
    const count = db
      .prepare(`SELECT count(DISTINCT f.session_id) FROM request_facts f WHERE ${where.sql}`)
      .pluck()
      .get(...where.params) as number;
    return { count, nextCursor: null };
  }
  const window = { from: filters.from, to: filters.to, maxSessionUs: longestSessionUs(db) };
  const walk = (hasCursor: boolean) => {
    const q = sessionsPageSql(
      strategy,
      where,
      'firstSeen',
      false,
      hasCursor,
      window,
      's.first_us, s.sid',
    );
    return { stmt: db.prepare(q.sql).raw(true), params: q.params };
  };
  const first = walk(false);
  const next = walk(true);
  let after = cursor === undefined ? null : parseSessionCursor(cursor, 'firstSeen');
  const t0 = performance.now();
  let count = 0;
  for (;;) {
    const rows = (
      after === null
        ? first.stmt.all(...first.params, step)
        : next.stmt.all(...next.params, ...after, step)
    ) as [number, string][];
    count += rows.length;
    if (rows.length < step) return { count, nextCursor: null };
    const [firstUs, sid] = rows[rows.length - 1]!;
    after = [firstUs, sid];
    if (performance.now() - t0 >= budgetMs) return { count, nextCursor: `${firstUs}:${sid}` };
  }
}
