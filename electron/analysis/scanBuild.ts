import type { ContextParam } from '../../shared/analysis/settings.js';
import type { CaseDb } from '../store/openCase.js';
import {
  COLUMN_SOURCES,
  COLUMN_STRINGS,
  RequestColumnsBuilder,
  decodeChunk,
  encodeChunk,
  type BuiltChunk,
} from '../store/requestColumns.js';
import { ColumnsMismatch, scanColumns, type ColumnsCover } from './scanColumns.js';
import { RARE_SET } from './scanExtract.js';
import { scanRows, type ScanPart, type ScanRange } from './scanRows.js';

/*
 * The scan of a case that has no analysis columns yet (the first analysis after an import):
 * its read of the rows builds the columns (requestColumns.ts), then scans them as the scan
 * from request_columns does (scanColumns.ts, which gives what scanRows gives, value for value).
 * The rebuild stores the columns it built, so neither detection nor a later rebuild reads
 * every row again to make them; building and scanning them costs about what scanRows costs.
 */

/** The analysis columns a scan of rows built. */
export interface BuiltColumns {
  /** In id order within each source. */
  chunks: BuiltChunk[];
  /** Per source, how many strings its chunks' dictionary holds. */
  strings: Map<number, number>;
}

/** A range's scan, and the analysis columns it built (null: none). */
export interface BuiltPart {
  part: ScanPart;
  columns: BuiltColumns | null;
}

/** Rows per read (as scanRows). */
const READ = 4000;

/**
 * What a chunk is made from (COLUMN_SOURCES), the rare columns as one flag: the builder only
 * asks whether one of them is set, and the scan reads those rows' values apart.
 */
const SELECTED = [
  'line_no',
  'ts_us',
  'latency_ms',
  'resp_bytes',
  'status',
  ...COLUMN_STRINGS,
  `CASE WHEN ${RARE_SET} THEN 1 END`,
];

/** Where each of COLUMN_SOURCES is in a row of SELECT_ROWS (after id and source_id). */
const POSITIONS = Int32Array.from(COLUMN_SOURCES, (c) => {
  const at = c === 'src_session' ? SELECTED.length - 1 : SELECTED.indexOf(c);
  return at < 0 ? -1 : at + 2;
});

const SELECT_ROWS = `SELECT id, source_id, ${SELECTED.join(', ')}
  FROM requests WHERE id > ? AND id <= ? ORDER BY id LIMIT ${READ}`;

/**
 * Reads the requests of `range` into their analysis columns, one dictionary per source (as
 * compact writes them); null when a source's columns were given up (an id beyond 2^53).
 * Throws when the range does not hold exactly range.count requests.
 */
export function buildColumns(
  db: CaseDb,
  range: ScanRange,
  cancelPoint?: () => void,
): BuiltChunk[] | null {
  const stmt = db.prepare(SELECT_ROWS).raw(true);
  const chunks: BuiltChunk[] = [];
  const builders = new Map<number, RequestColumnsBuilder>();
  let builder: RequestColumnsBuilder | undefined;
  let n = 0;
  let after = range.after;
  for (;;) {
    cancelPoint?.();
    const rows = stmt.all(after, range.upTo) as unknown[][];
    if (rows.length === 0) break;
    for (const row of rows) {
      const source = row[1] as number;
      if (builder?.sourceOf !== source) {
        // A source's requests come in one run of ids; should they not, its dictionary goes on.
        builder = builders.get(source);
        if (builder === undefined)
          builders.set(
            source,
            (builder = new RequestColumnsBuilder(source, (c) => chunks.push(c))),
          );
      }
      builder.add(row[0] as number, row, 0, POSITIONS);
    }
    n += rows.length;
    after = rows[rows.length - 1]![0] as number;
  }
  if (n !== range.count)
    throw new Error(`requests changed during the rebuild (${n} of ${range.count} read)`);
  let usable = true;
  for (const b of builders.values()) {
    b.flush();
    if (!b.usable) usable = false;
  }
  return usable ? chunks : null;
}

/** Built chunks as the scan from request_columns reads them, from memory. */
function coverOf(built: readonly BuiltChunk[]): ColumnsCover {
  const dictionaries = new Map<number, string[]>();
  const chunks = built.map((c) => {
    // A source's chunks come in id order: its dictionary is their strings in that order.
    const added = JSON.parse(c.strings) as string[];
    const dict = dictionaries.get(c.sourceId);
    if (dict === undefined) dictionaries.set(c.sourceId, added);
    else for (const v of added) dict.push(v);
    return { rowid: -1, sourceId: c.sourceId, firstId: c.firstId, count: c.count, data: c.data };
  });
  chunks.sort((a, b) => a.firstId - b.firstId);
  return { chunks, dictionaries };
}

/**
 * The scan of `range` (as scanRows gives it) and the analysis columns of its requests, built
 * by its one read of the rows; the columns null when they could not be built (the scan then
 * reads the rows as scanRows does).
 */
export function scanRowsBuilding(
  db: CaseDb,
  params: readonly ContextParam[],
  range: ScanRange,
  capacity = range.count,
  cancelPoint?: () => void,
): BuiltPart {
  const chunks = buildColumns(db, range, cancelPoint);
  if (chunks !== null) {
    const cover = coverOf(chunks);
    try {
      const part = scanColumns(db, params, cover, range, capacity, cancelPoint);
      const strings = new Map([...cover.dictionaries].map(([s, d]) => [s, d.length]));
      return { part, columns: { chunks, strings } };
    } catch (err) {
      // Not expected of columns just built from the same rows: scan the rows, build nothing.
      if (!(err instanceof ColumnsMismatch)) throw err;
    }
  }
  return { part: scanRows(db, params, range, capacity, cancelPoint), columns: null };
}

/** `c` with its dictionary ids moved up by `offset` (its strings follow `offset` others). */
function shifted(c: BuiltChunk, offset: number): BuiltChunk {
  const decoded = decodeChunk(c.sourceId, c.firstId, c.count, c.data);
  for (const ids of decoded.strings)
    for (let k = 0; k < ids.length; k++) if (ids[k]! >= 0) ids[k] = ids[k]! + offset;
  return { ...c, data: encodeChunk(decoded) };
}

/**
 * The columns of two consecutive ranges as one: a source in both keeps one dictionary, the
 * later range's strings after the earlier's (a string in both then has two ids, as after a
 * dictionary forgets: the scan from the columns gives the same).
 */
export function joinColumns(first: BuiltColumns, later: BuiltColumns): BuiltColumns {
  const chunks = [...first.chunks];
  for (const c of later.chunks) {
    const offset = first.strings.get(c.sourceId) ?? 0;
    chunks.push(offset === 0 ? c : shifted(c, offset));
  }
  const strings = new Map(first.strings);
  for (const [source, k] of later.strings) strings.set(source, (strings.get(source) ?? 0) + k);
  return { chunks, strings };
}

/** The buffers of built chunks, to transfer rather than copy. */
export function chunkBuffers(columns: BuiltColumns | null): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const c of columns?.chunks ?? [])
    if (c.data.buffer instanceof ArrayBuffer) buffers.add(c.data.buffer);
  return [...buffers];
}
