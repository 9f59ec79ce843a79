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
  /** The requests' query strings, from the chunks' query column (see BuiltQueries). */
  queries: BuiltQueries;
}

/**
 * The query string of each request of a range, in id order, as the columns hold it: an index
 * into `values` (-1: none or ''). The session verdicts take them from here rather than reading
 * a million strings from `requests` again (verdictsQueries.ts); `values` holds each distinct
 * query of a source once per range (a capture repeats a few), so posting them costs little.
 */
export interface BuiltQueries {
  ids: Int32Array;
  values: string[];
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

const QUERY = COLUMN_STRINGS.indexOf('query');

/**
 * A chunk's layout (requestColumns.ts), per request of the chunk: its size, and where each of
 * its string columns (COLUMN_STRINGS order) starts. The columns lie one after another, so a
 * chunk of n requests has n times each. Learnt from chunks of one and two requests.
 */
export const CHUNK_LAYOUT = ((): { bytes: number; stringsAt: number[] } => {
  const encoded = (count: number): Uint8Array =>
    encodeChunk({
      sourceId: 0,
      firstId: 0,
      count,
      lineNo: new Float64Array(count),
      ts: new Float64Array(count),
      latency: new Float64Array(count),
      size: new Float64Array(count),
      status: new Int32Array(count),
      strings: COLUMN_STRINGS.map(() => new Int32Array(count)),
      rare: new Uint8Array(count),
    });
  const stringsAt = (count: number): number[] =>
    decodeChunk(0, 0, count, encoded(count)).strings.map((a) => a.byteOffset);
  const one = { bytes: encoded(1).length, stringsAt: stringsAt(1) };
  const two = stringsAt(2);
  if (encoded(2).length !== 2 * one.bytes || one.stringsAt.some((at, j) => two[j] !== 2 * at))
    throw new Error('request_columns: a chunk layout not proportional to its requests');
  return one;
})();

const LAYOUT = { bytes: CHUNK_LAYOUT.bytes, queryAt: CHUNK_LAYOUT.stringsAt[QUERY]! };

/**
 * A chunk's query column: a view of `data` where it is aligned for one (a chunk built here or
 * read from SQLite is), else a copy. Throws ColumnsMismatch when `data` is not of the chunk's
 * size.
 */
function queryColumn(count: number, data: Uint8Array): Int32Array {
  if (data.length !== LAYOUT.bytes * count)
    throw new ColumnsMismatch('request_columns: a chunk of a bad size');
  const at = data.byteOffset + LAYOUT.queryAt * count;
  if (at % 4 === 0) return new Int32Array(data.buffer, at, count);
  const copy = data.slice(LAYOUT.queryAt * count, (LAYOUT.queryAt + 4) * count);
  return new Int32Array(copy.buffer, copy.byteOffset, count);
}

/**
 * The query strings of the `count` requests `cover` holds (BuiltQueries), in id order; each
 * chunk's data from `dataOf` (by default, the chunk's in memory).
 */
export function queriesOf(
  cover: ColumnsCover,
  count: number,
  dataOf: (ref: ColumnsCover['chunks'][number]) => Uint8Array = (ref) => ref.data!,
): BuiltQueries {
  const ids = new Int32Array(count);
  const values: string[] = [];
  /** Per source, dictionary id → index in `values` (-2: not yet). */
  const seen = new Map<number, Int32Array>();
  let i = 0;
  for (const ref of cover.chunks) {
    const dict = cover.dictionaries.get(ref.sourceId)!;
    let to = seen.get(ref.sourceId);
    if (to === undefined) seen.set(ref.sourceId, (to = new Int32Array(dict.length).fill(-2)));
    const col = queryColumn(ref.count, dataOf(ref));
    if (i + ref.count > count) throw new Error('more requests in the columns than counted');
    for (let k = 0; k < ref.count; k++, i++) {
      const d = col[k]!;
      if (d >= to.length) throw new ColumnsMismatch('a query id beyond its dictionary');
      let v = d < 0 ? -1 : to[d]!;
      if (v === -2) {
        const q = dict[d]!;
        // '' as none, as the scan keeps it.
        to[d] = v = q === '' ? -1 : values.push(q) - 1;
      }
      ids[i] = v;
    }
  }
  if (i !== count) throw new Error(`${i} of ${count} requests in the columns`);
  return { ids, values };
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
      return { part, columns: { chunks, strings, queries: queriesOf(cover, part.n) } };
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
  return { chunks, strings, queries: joinQueries(first.queries, later.queries) };
}

/**
 * The queries of two consecutive ranges as one: the later range's values after the earlier's
 * (a query in both is listed twice, which reads the same).
 */
function joinQueries(first: BuiltQueries, later: BuiltQueries): BuiltQueries {
  const ids = new Int32Array(first.ids.length + later.ids.length);
  ids.set(first.ids);
  const offset = first.values.length;
  for (let k = 0, at = first.ids.length; k < later.ids.length; k++, at++) {
    const v = later.ids[k]!;
    ids[at] = v < 0 ? v : v + offset;
  }
  const values = first.values.slice();
  for (const v of later.values) values.push(v);
  return { ids, values };
}

/** The buffers of built chunks (and of their query ids), to transfer rather than copy. */
export function chunkBuffers(columns: BuiltColumns | null): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const c of columns?.chunks ?? [])
    if (c.data.buffer instanceof ArrayBuffer) buffers.add(c.data.buffer);
  const ids = columns?.queries.ids.buffer;
  if (ids instanceof ArrayBuffer) buffers.add(ids);
  return [...buffers];
}
