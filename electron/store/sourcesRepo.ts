import { isUtf8 } from 'node:buffer';
import type { CaseDb } from './openCase.js';

export interface SourceRow {
  id: number;
  pathGiven: string;
  fileName: string;
  sizeBytes: number;
  sha256: string;
  format: string;
  parserOptions: string;
  tzAssumption: string | null;
  /** The host assumed for lines that name none (`assumeHost` in parserOptions), or null. */
  assumedHost: string | null;
  importedAt: string;
  /**
   * Accepted lines whose time had no offset of its own, read in tzAssumption; null for a source
   * imported before they were counted (migration 23).
   */
  withoutOffset: number | null;
  /** Its earliest and latest request's time (µs, UTC); null when it has no request. */
  firstUs: number | null;
  lastUs: number | null;
  linesRead: number;
  accepted: number;
  rejected: number;
  status: string;
}

export function listSources(db: CaseDb): SourceRow[] {
  return db
    .prepare(
      `SELECT id, path_given AS pathGiven, file_name AS fileName, size_bytes AS sizeBytes, sha256,
        format, parser_options AS parserOptions, tz_assumption AS tzAssumption,
        CASE WHEN json_valid(parser_options) THEN parser_options ->> '$.assumeHost' END
          AS assumedHost,
        imported_at AS importedAt, without_offset AS withoutOffset, first_us AS firstUs,
        last_us AS lastUs, lines_read AS linesRead,
        accepted, rejected, status
       FROM sources ORDER BY id`,
    )
    .all() as SourceRow[];
}

export interface CaseCounts {
  requests: number;
  sources: number;
  rejects: number;
}

export function caseCounts(db: CaseDb): CaseCounts {
  const one = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
  return {
    requests: one('SELECT count(*) AS n FROM requests'),
    sources: one("SELECT count(*) AS n FROM sources WHERE status = 'complete'"),
    rejects: one('SELECT count(*) AS n FROM rejects'),
  };
}

export interface RejectRow {
  sourceId: number;
  lineNo: number;
  reason: string;
  raw: string;
  rawLength: number;
  truncated: boolean;
  /**
   * The stored bytes in base64, only when they are not valid UTF-8: `raw` then shows U+FFFD
   * where they could not be decoded, and this is the evidence as it was read.
   */
  rawBase64?: string;
}

export function listRejects(db: CaseDb, limit: number, sourceId?: number): RejectRow[] {
  const rows = db
    .prepare(
      `SELECT source_id AS sourceId, line_no AS lineNo, reason, raw, raw_length AS rawLength
       FROM rejects WHERE (? IS NULL OR source_id = ?) ORDER BY source_id, line_no LIMIT ?`,
    )
    .all(sourceId ?? null, sourceId ?? null, limit) as (Omit<RejectRow, 'raw' | 'truncated'> & {
    raw: Buffer;
  })[];
  return rows.map((r) => {
    const row: RejectRow = {
      ...r,
      raw: r.raw.toString('utf8'),
      truncated: r.raw.length < r.rawLength,
    };
    if (Buffer.isBuffer(r.raw) && !isUtf8(r.raw)) row.rawBase64 = r.raw.toString('base64');
    return row;
  });
}

/** Removes a source and everything imported from it (cascades), audited by the caller. */
export function removeSource(db: CaseDb, sourceId: number): boolean {
  return db.prepare('DELETE FROM sources WHERE id = ?').run(sourceId).changes > 0;
}
