import type { Statement } from 'better-sqlite3';
import type { ExportRow } from '../../shared/export/exportColumns.js';
import type { CaseDb } from '../store/openCase.js';
import { attacksSql, EXPORT_REQUEST_COLUMNS } from './exportSqlParts.js';
import type { ExportFacts } from './exportFacts.js';

/** Where a page of the export begins: after this request (its time and id). */
export type ExportCursor = [tsUs: number, id: number];

/** One page: its rows, and where the next begins (null when this was the last). */
export interface ExportPage {
  rows: ExportRow[];
  next: ExportCursor | null;
}

/**
 * The requests of the whole case in time order, read alone by the requests_ts index: the
 * cursor's instant after its id, then later instants (two seeks, as exportSql's parts).
 */
function requestsSql(db: CaseDb, part: 'first' | 'sameInstant' | 'later'): string {
  const after =
    part === 'first'
      ? ''
      : part === 'sameInstant'
        ? 'WHERE r.ts_us = ? AND r.id > ?'
        : 'WHERE r.ts_us > ?';
  return `SELECT ${EXPORT_REQUEST_COLUMNS}, r.source_id, ${attacksSql(db)} AS attacks
    FROM requests r ${after} ORDER BY r.ts_us, r.id LIMIT ?`;
}

/** Exported for the query-plan test. */
export const WHOLE_CASE_PARTS = ['first', 'sameInstant', 'later'] as const;
export { requestsSql as wholeCaseRequestsSql };

/**
 * The pages of an export of every analysed request, the analysis's part of each row taken from
 * `facts` (read beforehand in the facts' own order) and the few values it names (sources,
 * endpoints, users and roles) looked up once each. A request without facts is not written, as
 * the per-row join leaves it out; a page may then hold fewer rows than read.
 */
export function wholeCasePages(
  db: CaseDb,
  facts: ExportFacts,
  pageSize: number,
): (cursor: ExportCursor | null) => ExportPage {
  const prep = (part: (typeof WHOLE_CASE_PARTS)[number]): Statement =>
    db.prepare(requestsSql(db, part)).raw(true);
  const [first, sameInstant, later] = WHOLE_CASE_PARTS.map(prep) as [
    Statement,
    Statement,
    Statement,
  ];
  // The stored columns by name, then the source's id and the attacks (requestsSql's order).
  const names = first.columns().map((c) => c.name);
  const sourceAt = names.indexOf('source_id');
  const sources = new Map(
    (db.prepare('SELECT id, file_name FROM sources').raw(true).all() as [number, string][]).map(
      ([id, name]) => [id, name],
    ),
  );
  const endpoints = new Map(
    (
      db.prepare('SELECT id, eid, flows FROM endpoints').raw(true).all() as [
        number,
        string,
        number,
      ][]
    ).map(([id, eid, flows]) => [id, { eid, flows }]),
  );
  const valueStmt = db.prepare('SELECT value FROM fact_values WHERE id = ?').pluck();
  const values = new Map<number, string | null>();
  const value = (id: number): string | null => {
    if (id < 0) return null;
    let v = values.get(id);
    if (v === undefined) {
      v = (valueStmt.get(id) as string | undefined) ?? null;
      values.set(id, v);
    }
    return v;
  };

  return (cursor) => {
    let read = (cursor ? sameInstant.all(...cursor, pageSize) : first.all(pageSize)) as unknown[][];
    if (cursor && read.length < pageSize)
      read = read.concat(later.all(cursor[0], pageSize - read.length) as unknown[][]);
    const rows: ExportRow[] = [];
    for (const v of read) {
      const id = v[0] as number;
      const session = facts.session[id] ?? -1;
      const source = sources.get(v[sourceAt] as number);
      const endpoint = endpoints.get(facts.endpoint[id]!);
      // As the join's CROSS JOINs would: no facts, source or endpoint, no row.
      if (session < 0 || source === undefined || endpoint === undefined) continue;
      // Filled in one order, so every row shares one hidden class.
      const row: Record<string, unknown> = {};
      for (let i = 0; i < sourceAt; i++) row[names[i]!] = v[i];
      row.attacks = v[sourceAt + 1];
      row.source = source;
      row.session_sid = facts.sid.get(session) ?? null;
      row.fact_user = value(facts.user[id]!);
      row.fact_role = value(facts.role[id]!);
      row.endpoint_eid = endpoint.eid;
      row.flows = endpoint.flows;
      row.outlier = facts.outlier[id]!;
      rows.push(row as unknown as ExportRow);
    }
    const last = read[read.length - 1];
    return {
      rows,
      next: read.length < pageSize || !last ? null : [last[1] as number, last[0] as number],
    };
  };
}
