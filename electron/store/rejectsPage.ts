import type { CaseDb } from './openCase.js';

export interface RejectPageRow {
  id: number;
  sourceId: number;
  lineNo: number;
  reason: string;
  raw: string;
  rawLength: number;
  truncated: boolean;
}

const REJECTS_PAGE_SQL = `SELECT id, source_id AS sourceId, line_no AS lineNo, reason, raw,
    raw_length AS rawLength
  FROM rejects
  WHERE (? IS NULL OR source_id = ?) AND id > ?
  ORDER BY id LIMIT ?`;

/**
 * Rejects a keyset page at a time, after the reject with id `afterId`. Rows are inserted in
 * (source, line) order, so id order is also reading order within a source.
 */
export function listRejectsPage(
  db: CaseDb,
  limit: number,
  afterId: number,
  sourceId?: number,
): RejectPageRow[] {
  const rows = db
    .prepare(REJECTS_PAGE_SQL)
    .all(sourceId ?? null, sourceId ?? null, afterId, limit) as (Omit<
    RejectPageRow,
    'raw' | 'truncated'
  > & { raw: Buffer })[];
  return rows.map((r) => ({
    ...r,
    raw: r.raw.toString('utf8'),
    truncated: r.raw.length < r.rawLength,
  }));
}
