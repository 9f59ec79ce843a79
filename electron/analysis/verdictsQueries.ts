import type { CaseDb } from '../store/openCase.js';
import { queriesOf, type BuiltQueries } from './scanBuild.js';
import { ColumnsMismatch, columnsCovering } from './scanColumns.js';
import { readQueries } from './requestQueries.js';

/*
 * The query strings the session verdicts judge from, for their worker (verdictsWorker.ts):
 * from the analysis columns the rebuild's scan has just built (a first analysis), else from
 * request_columns when they describe exactly the scanned requests (every later rebuild), else
 * from the rows of `requests`. Each distinct string is handled once per source, not per request:
 * on 1M requests, 0.37–0.42 s of CPU for the rows against about 0.1 s for the columns.
 */

/** Where the query strings came from: for benchmarks and tests, never part of the case. */
export type QuerySource = 'built' | 'columns' | 'rows';

/**
 * More distinct queries than this are not posted to the worker (each string is copied into the
 * message on the rebuild's thread): it reads them itself.
 */
export const BUILT_QUERIES_MAX = 100_000;

/** The built queries worth posting (see BUILT_QUERIES_MAX), or null. */
export function postableQueries(q: BuiltQueries | undefined): BuiltQueries | null {
  return q !== undefined && q.values.length <= BUILT_QUERIES_MAX ? q : null;
}

/** Per request, its query string (null: none or ''), as the scan keeps them. */
export function queryStrings(q: BuiltQueries): (string | null)[] {
  const { ids, values } = q;
  const out = new Array<string | null>(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i]!;
    out[i] = v < 0 ? null : values[v]!;
  }
  return out;
}

/**
 * The query strings of the requests `ids` names from request_columns, or null when those do
 * not hold exactly these requests in this order (none yet, another set, another format).
 */
export function readColumnQueries(
  db: CaseDb,
  ids: Float64Array,
  progress: () => void = () => undefined,
): (string | null)[] | null {
  const cover = columnsCovering(db, ids.length);
  if (cover === null) return null;
  let i = 0;
  for (const ref of cover.chunks)
    for (let k = 0; k < ref.count; k++, i++) if (ids[i] !== ref.firstId + k) return null;
  const readData = db.prepare('SELECT data FROM request_columns WHERE id = ?').pluck(true);
  try {
    const q = queriesOf(cover, ids.length, (ref) => {
      progress();
      const data = readData.get(ref.rowid) as Uint8Array | undefined;
      if (data === undefined) throw new ColumnsMismatch('request_columns changed');
      return data;
    });
    return queryStrings(q);
  } catch (err) {
    if (err instanceof ColumnsMismatch) return null;
    throw err;
  }
}

/** The query strings of the requests `ids` names, from the first source that has them. */
export function verdictQueries(
  db: CaseDb,
  ids: Float64Array,
  built: BuiltQueries | null,
  progress: () => void = () => undefined,
): { query: (string | null)[]; source: QuerySource } {
  if (built !== null) {
    if (built.ids.length !== ids.length) throw new Error('queries for other requests than scanned');
    return { query: queryStrings(built), source: 'built' };
  }
  const fromColumns = readColumnQueries(db, ids, progress);
  if (fromColumns !== null) return { query: fromColumns, source: 'columns' };
  return { query: readQueries(db, ids, progress), source: 'rows' };
}
