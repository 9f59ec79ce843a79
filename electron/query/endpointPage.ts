import type {
  EndpointFilters,
  EndpointPage,
  EndpointSort,
} from '../../shared/contract/analysisApi.js';
import { endpointWhere } from './endpointWhere.js';
import { AppError } from '../../shared/contract/errors.js';
import type { CaseDb } from '../store/openCase.js';
import { ENDPOINT_COLUMNS, ENDPOINT_FROM, toSummary, type EndpointRow } from './endpointsQuery.js';

/**
 * Each sort's key over `endpoints e`, as the list shows it: a missing latency sorts below
 * every measured one, the error share is 4xx and 5xx requests over all.
 */
const SORT_KEY: Record<EndpointSort, string> = {
  requests: 'e.request_count',
  template: 'e.template',
  median: 'coalesce(e.latency_median, -1)',
  p95: 'coalesce(e.latency_p95, -1)',
  errors: `(SELECT coalesce(sum(j.value), 0) FROM json_each(e.status_mix) j
    WHERE substr(j.key, 1, 1) IN ('4', '5')) * 1.0 / max(e.request_count, 1)`,
  outliers: 'e.outlier_count',
  // Riskiest first, then busiest: one number, so the keyset stays a single key (a score is
  // at most 10, a request count far below 10^13). Unscored endpoints below every score.
  risk: 'coalesce((SELECT k.score FROM endpoint_risk k WHERE k.eid = e.eid), 0) * 10000000000000 + e.request_count',
};

/** The SQL of one page; exported for the tests. */
export function endpointPageSql(
  sort: EndpointSort,
  dir: 'asc' | 'desc',
  hasCursor: boolean,
  whereSql = '1',
) {
  const k = SORT_KEY[sort];
  // Keyset: past the cursor's key in the sort's direction, or at it and past its id.
  const past = hasCursor
    ? `AND (${k} ${dir === 'asc' ? '>' : '<'} ? OR (${k} = ? AND e.eid > ?))`
    : '';
  return `SELECT ${ENDPOINT_COLUMNS} FROM ${ENDPOINT_FROM} WHERE ${whereSql} ${past}
    ORDER BY ${k} ${dir === 'asc' ? 'ASC' : 'DESC'}, e.eid LIMIT ?`;
}

export interface EndpointPageOptions {
  sort?: EndpointSort;
  dir?: 'asc' | 'desc';
  cursor?: string;
  limit?: number;
  filters?: EndpointFilters;
}

/**
 * A page of the endpoint inventory in the given order (ties by id), with how many endpoints
 * match. The cursor is the last endpoint of the previous page: its key is read again here, so
 * no value from the logs (a template can be tens of kilobytes) travels in it.
 */
export function listEndpointPage(db: CaseDb, opts: EndpointPageOptions = {}): EndpointPage {
  return { ...endpointPageRows(db, opts), total: countEndpoints(db, opts.filters) };
}

/** listEndpointPage without the total, for a reader of every page (an export counts once). */
export function endpointPageRows(
  db: CaseDb,
  opts: EndpointPageOptions = {},
): Omit<EndpointPage, 'total'> {
  const sort = opts.sort ?? 'requests';
  const dir = opts.dir ?? 'desc';
  const limit = opts.limit ?? 500;
  const params: unknown[] = [];
  if (opts.cursor !== undefined) {
    const at = db
      .prepare(`SELECT ${SORT_KEY[sort]} AS k FROM endpoints e WHERE e.eid = ?`)
      .get(opts.cursor) as { k: number | string } | undefined;
    if (!at) throw new AppError('NOT_FOUND', 'The endpoint list changed (a rebuild?): reload it.');
    params.push(at.k, at.k, opts.cursor);
  }
  const where = endpointWhere(opts.filters);
  const rows = db
    .prepare(endpointPageSql(sort, dir, opts.cursor !== undefined, where.sql))
    .all(...where.params, ...params, limit + 1) as EndpointRow[];
  const more = rows.length > limit;
  if (more) rows.length = limit;
  return {
    items: rows.map(toSummary),
    nextCursor: more ? rows[rows.length - 1]!.eid : null,
  };
}

/** How many endpoints match the filters (all the case has without): a page's total, an export's rows. */
export function countEndpoints(db: CaseDb, filters?: EndpointFilters): number {
  const where = endpointWhere(filters);
  return db
    .prepare(`SELECT count(*) FROM endpoints e WHERE ${where.sql}`)
    .pluck()
    .get(...where.params) as number;
}
