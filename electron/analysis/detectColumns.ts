import type { CaseDb } from '../store/openCase.js';
import { COLUMN_STRINGS, type BuiltChunk } from '../store/requestColumns.js';
import { CHUNK_LAYOUT } from './scanBuild.js';
import type { DetectRow } from './detectRows.js';

/*
 * Attack detection's read of every request from the analysis columns the rebuild's scan has
 * just built (a first analysis), instead of every row of `requests` again: the host, path,
 * query, cookies, headers and user agent come from the chunks (each distinct string made once
 * per source), and only the four texts the columns do not hold (request body, referer,
 * response body, source label) from `requests`. The rows handed to the scanner are those
 * DETECT_SELECT gives, value for value (the requests table is STRICT: its texts are strings or
 * null, as the columns keep them), so the findings are the same. On 1M requests the read of
 * the rows took about 1.0 s of CPU, the narrow read 0.45 s.
 */

const HOST = COLUMN_STRINGS.indexOf('host');
const PATH = COLUMN_STRINGS.indexOf('path');
const QUERY = COLUMN_STRINGS.indexOf('query');
const COOKIES = COLUMN_STRINGS.indexOf('cookies');
const HEADERS = COLUMN_STRINGS.indexOf('headers');
const UA = COLUMN_STRINGS.indexOf('user_agent');
/** The string columns handed over: the run of them from the first to the last detection reads. */
const FIRST = Math.min(HOST, PATH, QUERY, COOKIES, HEADERS, UA);
const LAST = Math.max(HOST, PATH, QUERY, COOKIES, HEADERS, UA);
if (
  COLUMN_STRINGS.some(
    (_, j) =>
      j > FIRST && j <= LAST && CHUNK_LAYOUT.stringsAt[j - 1]! + 4 !== CHUNK_LAYOUT.stringsAt[j]!,
  )
)
  throw new Error('request_columns: string columns not one after another');

/**
 * The built chunks as the detection worker is handed them (copied into its message): per chunk
 * its dictionary's new strings and, of its columns, only the string ids detection reads (about
 * a third of its data: the rest would be copied for nothing).
 */
export interface DetectColumns {
  chunks: {
    sourceId: number;
    firstId: number;
    count: number;
    strings: string;
    /** COLUMN_STRINGS[FIRST] … COLUMN_STRINGS[LAST], one after another. */
    ids: Uint8Array;
  }[];
}

/**
 * The scan's chunks for the detection worker, in id order; null when one is not of its size
 * (not expected of chunks just built: the worker then reads the rows).
 */
export function detectColumnsOf(chunks: readonly BuiltChunk[]): DetectColumns | null {
  if (chunks.some((c) => c.data.length !== CHUNK_LAYOUT.bytes * c.count)) return null;
  const from = (c: BuiltChunk): number => CHUNK_LAYOUT.stringsAt[FIRST]! * c.count;
  return {
    chunks: [...chunks]
      .sort((a, b) => a.firstId - b.firstId)
      .map((c) => ({
        sourceId: c.sourceId,
        firstId: c.firstId,
        count: c.count,
        strings: c.strings,
        ids: c.data.slice(from(c), from(c) + 4 * (LAST - FIRST + 1) * c.count),
      })),
  };
}

/** What the columns do not hold, per request in id order. */
const REST_SELECT = `SELECT id, req_body, referer, resp_body, src_label FROM requests
  WHERE id > ? ORDER BY id LIMIT ?`;

/** Thrown when the columns do not describe the requests `db` holds. */
export class DetectColumnsMismatch extends Error {}

/**
 * Hands `scan` every request of `db` (in id order) as DETECT_SELECT reads it, from `columns`
 * and the texts they lack; `batch` is called after every `batchSize` requests. Returns the last
 * id read (0: none). Throws DetectColumnsMismatch when the columns hold other requests than
 * `db` (its snapshot differs from the rebuild's), before or after some were scanned.
 */
export function scanFromColumns(
  db: CaseDb,
  columns: DetectColumns,
  scan: (row: DetectRow) => void,
  batch: () => boolean,
  batchSize: number,
): number {
  const rest = db.prepare(REST_SELECT).raw(true);
  const dictionaries = new Map<number, string[]>();
  let rows: unknown[][] = [];
  let at = 0;
  let after = 0;
  let sinceBatch = 0;
  const text = (dict: string[], id: number): string | null => {
    if (id < 0) return null;
    const v = dict[id];
    if (v === undefined) throw new DetectColumnsMismatch('a string id beyond its dictionary');
    return v;
  };
  for (const c of columns.chunks) {
    let dict = dictionaries.get(c.sourceId);
    const added = JSON.parse(c.strings) as string[];
    if (dict === undefined) dictionaries.set(c.sourceId, (dict = added));
    else for (const v of added) dict.push(v);
    if (c.ids.length !== 4 * (LAST - FIRST + 1) * c.count)
      throw new DetectColumnsMismatch('a chunk of a bad size');
    // A copy of our own: the message's bytes need not be aligned for Int32 views.
    const bytes = c.ids.byteOffset % 4 === 0 ? c.ids : c.ids.slice();
    const column = (j: number): Int32Array =>
      new Int32Array(bytes.buffer, bytes.byteOffset + 4 * (j - FIRST) * c.count, c.count);
    const host = column(HOST);
    const path = column(PATH);
    const query = column(QUERY);
    const cookies = column(COOKIES);
    const headers = column(HEADERS);
    const ua = column(UA);
    for (let k = 0; k < c.count; k++) {
      if (at === rows.length) {
        rows = rest.all(after, batchSize) as unknown[][];
        at = 0;
      }
      const r = rows[at++];
      const id = c.firstId + k;
      if (r === undefined || r[0] !== id)
        throw new DetectColumnsMismatch('the columns hold other requests than the case');
      scan([
        id,
        text(dict, host[k]!),
        text(dict, path[k]!),
        text(dict, query[k]!),
        r[1] as string | null,
        text(dict, cookies[k]!),
        text(dict, headers[k]!),
        text(dict, ua[k]!),
        r[2] as string | null,
        r[3] as string | null,
        r[4] as string | null,
      ]);
      after = id;
      if (++sinceBatch === batchSize) {
        sinceBatch = 0;
        if (!batch()) return after;
      }
    }
  }
  if (at < rows.length || rest.all(after, 1).length > 0)
    throw new DetectColumnsMismatch('the case holds requests the columns do not');
  return after;
}
