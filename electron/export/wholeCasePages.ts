import type { Statement } from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors.js';
import type { ExportRow } from '../../shared/export/exportColumns.js';
import { readState, REBUILT_AT_KEY } from '../analysis/settingsRepo.js';
import type { CaseDb } from '../store/openCase.js';
import type { ExportFacts } from './exportFacts.js';
import { attacksSql, EXPORT_REQUEST_COLUMNS } from './exportSqlParts.js';

/** One page: its rows (possibly none), and whether it was the last. */
export interface ExportPage {
  rows: ExportRow[];
  done: boolean;
}

/** Request ids read per statement, in time order, and at most for one page. */
export const EXPORT_ID_BATCH = 20_000;

const ID_ORDER = 'ORDER BY ts_us, id LIMIT ?';

/**
 * The case's request ids in time order from the requests_ts index alone (it holds the time and
 * the rowid): from the start, then after a cursor in two seeks, the rest of its instant and
 * later instants (as exportSql's parts). Exported for the query-plan test.
 */
export const EXPORT_ID_SQL = {
  first: `SELECT id FROM requests ${ID_ORDER}`,
  sameInstant: `SELECT id FROM requests WHERE ts_us = ? AND id > ? ${ID_ORDER}`,
  later: `SELECT id FROM requests WHERE ts_us > ? ${ID_ORDER}`,
} as const;

/** The stored columns of the requests with the ids in a JSON array, in no order. */
export function exportRowsByIdSql(db: CaseDb): string {
  return `SELECT ${EXPORT_REQUEST_COLUMNS}, r.source_id, ${attacksSql(db)} AS attacks
    FROM requests r WHERE r.id IN (SELECT value FROM json_each(?))`;
}

/**
 * The pages of an export of the whole case: the ids of the requests `facts` holds, in time
 * order, then their rows by id, the analysis's part of each taken from `facts` (with the
 * sessions, endpoints and strings it names, read with it: one analysis). A page reads at
 * most `idBatch` ids, so under a filter few requests match it may hold fewer rows than
 * `pageSize`, or none; each call gives the next page.
 */
export function wholeCasePages(
  db: CaseDb,
  facts: ExportFacts,
  pageSize: number,
  idBatch = EXPORT_ID_BATCH,
): () => ExportPage {
  // Plain numbers: an array per id cost a million-id export 0.4 s more, and its collection.
  const ids = (sql: string): Statement => db.prepare(sql).pluck();
  const timeOf = db.prepare('SELECT ts_us FROM requests WHERE id = ?').pluck();
  const first = ids(EXPORT_ID_SQL.first);
  const sameInstant = ids(EXPORT_ID_SQL.sameInstant);
  const later = ids(EXPORT_ID_SQL.later);
  const byId = db.prepare(exportRowsByIdSql(db)).raw(true);
  // The stored columns by name, then the source's id and the attacks.
  const names = byId.columns().map((c) => c.name);
  const sourceAt = names.indexOf('source_id');
  const sources = new Map(
    db.prepare('SELECT id, file_name FROM sources').raw(true).all() as [number, string][],
  );
  const { endpoints, values } = facts;
  const value = (id: number): string | null => (id < 0 ? null : (values.get(id) ?? null));

  /** Up to `limit` ids after `cursor` (the time and id of the last read), in time order. */
  const idsAfter = (cursor: [number, number] | null, limit: number): number[] => {
    if (cursor === null) return first.all(limit) as number[];
    const rows = sameInstant.all(...cursor, limit) as number[];
    return rows.length < limit
      ? rows.concat(later.all(cursor[0], limit - rows.length) as number[])
      : rows;
  };

  /** The export rows of `wanted` (ids with facts), in that order. */
  const rowsOf = (wanted: number[]): ExportRow[] => {
    const stored = new Map<number, unknown[]>();
    for (const v of byId.all(JSON.stringify(wanted)) as unknown[][]) stored.set(v[0] as number, v);
    const rows: ExportRow[] = [];
    for (const id of wanted) {
      const v = stored.get(id);
      const source = v && sources.get(v[sourceAt] as number);
      const endpoint = endpoints.get(facts.endpoint[id]!);
      // As the join's CROSS JOINs would: no source or endpoint, no row.
      if (!v || source === undefined || endpoint === undefined) continue;
      // Filled in one order, so every row shares one hidden class.
      const row: Record<string, unknown> = {};
      for (let i = 0; i < sourceAt; i++) row[names[i]!] = v[i];
      row.attacks = v[sourceAt + 1];
      row.source = source;
      row.session_sid = facts.sid.get(facts.session[id]!) ?? null;
      row.fact_user = value(facts.user[id]!);
      row.fact_role = value(facts.role[id]!);
      row.endpoint_eid = endpoint.eid;
      row.flows = endpoint.flows;
      row.outlier = facts.outlier[id]!;
      rows.push(row as unknown as ExportRow);
    }
    return rows;
  };

  // Ids read ahead, in time order, and how far the pages have taken them.
  let ahead: number[] = [];
  let taken = 0;
  let exhausted = false;
  // The last id read and its time, taken as it is read (it may be removed before the next read).
  let cursor: [number, number] | null = null;
  return () => {
    // The attack types come with the rows: from the analysis the facts are of, or none.
    if (readState(db, REBUILT_AT_KEY) !== facts.rebuiltAt)
      throw new AppError('BUSY', 'The analysis was rebuilt during the export: export again.');
    const wanted: number[] = [];
    // Under a filter few requests match, a page gives up after idBatch ids, rows or none.
    for (let read = 0; wanted.length < pageSize && read < idBatch; read++) {
      if (taken === ahead.length) {
        if (exhausted) break;
        ahead = idsAfter(cursor, idBatch);
        taken = 0;
        exhausted = ahead.length < idBatch;
        if (ahead.length === 0) break;
        const last = ahead[ahead.length - 1]!;
        cursor = [timeOf.get(last) as number, last];
      }
      const id = ahead[taken++]!;
      if ((facts.session[id] ?? -1) >= 0) wanted.push(id);
    }
    return { rows: rowsOf(wanted), done: exhausted && taken === ahead.length };
  };
}
