import { isUtf8 } from 'node:buffer';
import type { CaseDb } from './openCase.js';

export interface RejectPageRow {
  id: number;
  sourceId: number;
  lineNo: number;
  reason: string;
  raw: string;
  rawLength: number;
  truncated: boolean;
  /** Set when the stored bytes are not valid UTF-8 (`raw` shows U+FFFD for what is not). */
  notUtf8?: true;
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
  return rows.map((r) => {
    const row: RejectPageRow = {
      ...r,
      raw: r.raw.toString('utf8'),
      truncated: r.raw.length < r.rawLength,
    };
    // Only the mark: the bytes themselves (in base64) come with one line's detail.
    if (!isUtf8(r.raw)) row.notUtf8 = true;
    return row;
  });
}

/** The stored bytes of reject `id` in base64, or null when there is no such reject. */
export function rejectBytesBase64(db: CaseDb, id: number): string | null {
  const raw = db.prepare('SELECT raw FROM rejects WHERE id = ?').pluck().get(id) as
    Buffer | undefined;
  return raw === undefined ? null : raw.toString('base64');
}
