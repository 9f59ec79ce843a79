import type { SessionPage } from '../../shared/contract/analysisApi.js';
import { AppError } from '../../shared/contract/errors.js';
import type { Filters, SessionSort } from '../../shared/query/filterModel.js';
import type { CaseDb } from '../store/openCase.js';
import { factsWhereWithMaps, type FactsWhere } from './filterSql.js';
import { sessionPageMix } from './sessionPageMix.js';
import { SESSION_COLUMNS, toSummary, type SessionRow } from './sessionRow.js';
import type { SqlValue } from './textFilterSql.js';

export interface ListSessionsOptions {
  filters?: Filters;
  sort?: SessionSort;
  descending?: boolean;
  cursor?: string;
  limit?: number;
}

/** One key of a sort: the column ordered by, and the row's value of it (for the cursor). */
type SortKey = [column: string, value: (r: SessionRow) => number];

const FIRST_SEEN: SortKey = ['s.first_us', (r) => r.firstUs];

/**
 * What each sort orders by, before the sid that ends every order: a count or a duration, which
 * many sessions share, then the first time (SESSION_SORT_INDEXES in 002_analysis.ts).
 */
const SORT_KEYS: Record<SessionSort, readonly SortKey[]> = {
  firstSeen: [FIRST_SEEN],
  lastSeen: [['s.last_us', (r) => r.lastUs]],
  requests: [['s.request_count', (r) => r.requestCount], FIRST_SEEN],
  duration: [['s.duration_us', (r) => r.durationUs], FIRST_SEEN],
  outliers: [['s.outlier_count', (r) => r.outlierCount], FIRST_SEEN],
  attacks: [['s.attack_count', (r) => r.attackCount], FIRST_SEEN],
};

/**
 * Below this many matching requests the list starts from the matching requests (an index
 * range on the filter's column); above it, from the sessions in sort order, probing each for a
 * matching request. Both give the same rows; the choice only decides which is fast.
 */
export const SELECTIVE_LIMIT = 4000;

export type SessionStrategy = 'all' | 'fromRequests' | 'fromSessions';

export function chooseStrategy(db: CaseDb, where: FactsWhere<SqlValue>): SessionStrategy {
  if (!where.narrows) return 'all';
  // Counting matches of an unindexed filter would itself read every request.
  if (!where.indexed) return 'fromSessions';
  const probe = db
    .prepare(
      `SELECT count(*) AS n FROM (SELECT 1 FROM request_facts f WHERE ${where.sql} LIMIT ${SELECTIVE_LIMIT})`,
    )
    .get(...where.params) as { n: number };
  return probe.n < SELECTIVE_LIMIT ? 'fromRequests' : 'fromSessions';
}

/**
 * The SQL of one page (of the `select`ed columns of sessions s); exported for the query-plan
 * test and the count (sessionsCount.ts).
 */
export function sessionsPageSql(
  strategy: SessionStrategy,
  where: FactsWhere<SqlValue>,
  sort: SessionSort,
  descending: boolean,
  hasCursor: boolean,
  window: { from?: number; to?: number; maxSessionUs: number },
  select: string = SESSION_COLUMNS,
): { sql: string; params: SqlValue[] } {
  const cols = [...SORT_KEYS[sort].map(([c]) => c), 's.sid'];
  const conds: string[] = [];
  const params: SqlValue[] = [];
  if (strategy === 'fromRequests') {
    conds.push(`s.id IN (SELECT f.session_id FROM request_facts f WHERE ${where.sql})`);
    params.push(...where.params);
  } else if (strategy === 'fromSessions') {
    // A session is never longer than the maximum length, which bounds where one can start.
    if (window.from !== undefined) {
      conds.push('s.last_us >= ? AND s.first_us >= ?');
      params.push(window.from, window.from - window.maxSessionUs);
    }
    if (window.to !== undefined) {
      conds.push('s.first_us < ?');
      params.push(window.to);
    }
    // Sessions that cannot match (none of the filter's endpoints) are passed over at once.
    if (where.session) {
      conds.push(where.session.sql);
      params.push(...where.session.params);
    }
    // The key (session_id, ts_us) walks one session's requests; an indexed filter may seek
    // (value, session_id) instead. `+s.id`: the filter's own session conditions (f.session_id
    // IN …) then stay inside, rather than SQLite carrying them over to s.id and looking up all
    // their sessions to sort them, instead of walking the list in order up to a page.
    conds.push(
      `EXISTS (SELECT 1 FROM request_facts f WHERE f.session_id = +s.id AND ${where.sql})`,
    );
    params.push(...where.params);
  }
  if (hasCursor)
    conds.push(
      `(${cols.join(', ')}) ${descending ? '<' : '>'} (${cols.map(() => '?').join(', ')})`,
    );
  const dir = descending ? 'DESC' : 'ASC';
  return {
    sql: `SELECT ${select} FROM sessions s
      ${conds.length > 0 ? 'WHERE ' + conds.join(' AND ') : ''}
      ORDER BY ${cols.map((c) => `${c} ${dir}`).join(', ')} LIMIT ?`,
    params,
  };
}

/** Filters that pick whole sessions: with only these, every request of a listed session counts. */
const SESSION_LEVEL: ReadonlySet<keyof Filters> = new Set(['verdicts', 'sessionId']);

/** True when some filter keeps only part of a session's requests (an empty list keeps all). */
export function narrowsInsideSessions(filters: Filters): boolean {
  return (Object.keys(filters) as (keyof Filters)[]).some((k) => {
    const v = filters[k];
    if (v === undefined || SESSION_LEVEL.has(k)) return false;
    if (Array.isArray(v)) return v.length > 0;
    return k !== 'outliersOnly' || v === true;
  });
}

/**
 * A cursor's values, the sort's then the sid ("<value>[:<first time>]:<sid>", as a page hands
 * it out); one made for another sort is refused.
 */
export function parseSessionCursor(cursor: string, sort: SessionSort): (number | string)[] {
  const parts = cursor.split(':');
  if (parts.length !== SORT_KEYS[sort].length + 1)
    throw new AppError('BAD_INPUT', `Cursor ${cursor} is not one of a list sorted by ${sort}`);
  return [...parts.slice(0, -1).map(Number), parts.at(-1)!];
}

/**
 * The longest session's duration, which bounds how long before a time window a session that
 * reaches into it can start: the stored one (an index's last entry), not the setting's maximum,
 * which a capture of short sessions is far below (1M one-request sessions: a one-hour window's
 * first page walked every session of the day before it, 50 ms) and which a settings change not
 * yet rebuilt may have lowered below the stored sessions'.
 */
export function longestSessionUs(db: CaseDb): number {
  return (
    db.prepare('SELECT coalesce(max(duration_us), 0) AS m FROM sessions').get() as { m: number }
  ).m;
}

/** One keyset page of sessions that have at least one request matching the filters. */
export function listSessions(db: CaseDb, opts: ListSessionsOptions = {}): SessionPage {
  const filters = opts.filters ?? {};
  const sort = opts.sort ?? 'firstSeen';
  const descending = opts.descending ?? false;
  const limit = opts.limit ?? 50;
  const where = factsWhereWithMaps(db, filters);
  const strategy = chooseStrategy(db, where);
  const maxSessionUs = longestSessionUs(db);
  const page = sessionsPageSql(strategy, where, sort, descending, opts.cursor !== undefined, {
    from: filters.from,
    to: filters.to,
    maxSessionUs,
  });
  const params = [...page.params];
  if (opts.cursor !== undefined) params.push(...parseSessionCursor(opts.cursor, sort));
  params.push(limit + 1);
  const rows = db.prepare(page.sql).all(...params) as SessionRow[];
  const more = rows.length > limit;
  if (more) rows.length = limit;
  const mixes = sessionPageMix(
    db,
    where,
    rows.map((r) => r.rowId),
    where.narrows && narrowsInsideSessions(filters),
    rows.filter((r) => r.attackCount > 0).map((r) => r.rowId),
  );
  const last = rows[rows.length - 1];
  return {
    sessions: rows.map((r) => {
      const mix = mixes.get(r.rowId);
      return {
        ...toSummary(r, { count: mix?.matched ?? 0 }),
        matchedAttacks: mix?.attacks ?? r.attackCount,
        matchedOutliers: mix?.outliers ?? r.outlierCount,
        flowShares: mix?.flowShares ?? [],
        topEndpoints: mix?.topEndpoints ?? [],
        endpointCount: mix?.endpointCount ?? 0,
      };
    }),
    nextCursor:
      more && last ? [...SORT_KEYS[sort].map(([, v]) => v(last)), last.sid].join(':') : null,
  };
}
