import type { CaseDb } from './openCase.js';
import { StringKeyMap } from '../../shared/collections/stringKeyMap.js';

/*
 * request_columns (migration 13): what the analysis scan reads of each request, kept beside the
 * requests by the import so a rebuild reads a few dozen blobs instead of a million rows. The
 * scan's cost was mostly SQLite stepping through wide rows and turning their text into
 * JavaScript strings once per request; here each distinct string is stored once per source
 * (and turned into a string once per rebuild), each request naming it by number.
 */

/** Layout of `data`; chunks of another format are not read (the rebuild reads `requests`). */
export const COLUMNS_FORMAT = 1;

/** Requests per chunk (about 4.5 MB of `data`). */
export const COLUMNS_CHUNK = 65_536;

/**
 * Distinct strings a writer remembers before it forgets them all (a string seen again after
 * that gets a new id): the dictionary's memory stays bounded however many distinct paths or
 * queries a log holds. Ids stay unique within a source; one string under two ids costs the scan
 * only a second lookup.
 */
export const DICTIONARY_MAX = 200_000;

/** The text columns kept as dictionary ids, in `data`'s order. */
export const COLUMN_STRINGS = [
  'ip',
  'user_agent',
  'method',
  'host',
  'path',
  'query',
  'cookies',
  'headers',
] as const;

/** The numeric columns, as Float64 in `data` (null: NaN; status: -1, as an Int32). */
const COLUMN_NUMBERS = ['line_no', 'ts_us', 'latency_ms', 'resp_bytes'] as const;

/**
 * Columns few requests set, which the scan reads from `requests` for the requests flagged
 * (a source column may name the session, user or role; responses may issue session keys).
 */
export const RARE_COLUMNS = [
  'src_session',
  'src_user',
  'src_role',
  'resp_headers',
  'resp_body',
] as const;

/** Every requests column a chunk is made from. */
export const COLUMN_SOURCES = [
  ...COLUMN_NUMBERS,
  'status',
  ...COLUMN_STRINGS,
  ...RARE_COLUMNS,
] as const;
export type ColumnSource = (typeof COLUMN_SOURCES)[number];

/** For RequestColumnsWriter.add: where each of COLUMN_SOURCES is in rows of `columns`. */
export function columnPositions(columns: readonly string[]): Int32Array {
  return Int32Array.from(COLUMN_SOURCES, (c) => columns.indexOf(c));
}

/** One chunk of consecutive requests, ids firstId … firstId + count - 1. */
export interface ColumnsChunk {
  sourceId: number;
  firstId: number;
  count: number;
  lineNo: Float64Array;
  ts: Float64Array;
  /** NaN: null. */
  latency: Float64Array;
  /** Response bytes; NaN: null. */
  size: Float64Array;
  /** -1: null (as the scan keeps it). */
  status: Int32Array;
  /** Per COLUMN_STRINGS entry, the dictionary id of each request's value; -1: null. */
  strings: Int32Array[];
  /** 1 when the request sets one of RARE_COLUMNS. */
  rare: Uint8Array;
}

function chunkBytes(n: number): number {
  return n * (8 * COLUMN_NUMBERS.length + 4 * (1 + COLUMN_STRINGS.length) + 1);
}

/** The chunk's columns as `data` holds them: the Float64 columns, the Int32 ones, the flags. */
export function encodeChunk(c: ColumnsChunk): Buffer {
  const n = c.count;
  const buf = Buffer.alloc(chunkBytes(n));
  let at = 0;
  const put = (a: Float64Array | Int32Array | Uint8Array): void => {
    buf.set(new Uint8Array(a.buffer, a.byteOffset, n * a.BYTES_PER_ELEMENT), at);
    at += n * a.BYTES_PER_ELEMENT;
  };
  for (const a of [c.lineNo, c.ts, c.latency, c.size, c.status, ...c.strings, c.rare]) put(a);
  return buf;
}

/** Reads `data` back; throws when its size does not fit `count` requests. */
export function decodeChunk(
  sourceId: number,
  firstId: number,
  count: number,
  data: Uint8Array,
): ColumnsChunk {
  if (data.length !== chunkBytes(count)) throw new Error('request_columns: chunk of a bad size');
  // A copy into memory of our own: the blob's bytes need not be aligned for Float64 views.
  const bytes = new Uint8Array(data.length);
  bytes.set(data);
  let at = 0;
  const f64 = (): Float64Array => {
    const a = new Float64Array(bytes.buffer, at, count);
    at += 8 * count;
    return a;
  };
  const i32 = (): Int32Array => {
    const a = new Int32Array(bytes.buffer, at, count);
    at += 4 * count;
    return a;
  };
  const lineNo = f64();
  const ts = f64();
  const latency = f64();
  const size = f64();
  const status = i32();
  const strings = COLUMN_STRINGS.map(() => i32());
  const rare = new Uint8Array(bytes.buffer, at, count);
  return { sourceId, firstId, count, lineNo, ts, latency, size, status, strings, rare };
}

function emptyChunk(sourceId: number, firstId: number, capacity: number): ColumnsChunk {
  return {
    sourceId,
    firstId,
    count: 0,
    lineNo: new Float64Array(capacity),
    ts: new Float64Array(capacity),
    latency: new Float64Array(capacity),
    size: new Float64Array(capacity),
    status: new Int32Array(capacity),
    strings: COLUMN_STRINGS.map(() => new Int32Array(capacity)),
    rare: new Uint8Array(capacity),
  };
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : NaN;
}

/** A chunk as built: what one request_columns row holds. */
export interface BuiltChunk {
  sourceId: number;
  firstId: number;
  count: number;
  /** JSON array of the strings this chunk adds to its source's dictionary. */
  strings: string;
  data: Uint8Array;
}

/**
 * Builds one source's chunks from its requests, handing each to `sink` when full. Requests must
 * arrive in id order; a gap in the ids starts a new chunk.
 */
export class RequestColumnsBuilder {
  private readonly dictionary = new StringKeyMap<number>();
  private nextString = 0;
  private added: string[] = [];
  private chunk: ColumnsChunk | null = null;
  /** False once the columns were given up for this source (see abandon). */
  private live = true;

  private readonly chunkRows: number;
  private readonly dictionaryMax: number;

  constructor(
    protected readonly sourceId: number,
    private readonly sink: (chunk: BuiltChunk) => void,
    opts: { chunkRows?: number; dictionaryMax?: number } = {},
  ) {
    this.chunkRows = opts.chunkRows ?? COLUMNS_CHUNK;
    this.dictionaryMax = opts.dictionaryMax ?? DICTIONARY_MAX;
  }

  /** True until the columns were given up (an id beyond 2^53). */
  get usable(): boolean {
    return this.live;
  }

  get sourceOf(): number {
    return this.sourceId;
  }

  private stringId(v: unknown): number {
    if (typeof v !== 'string') return -1;
    let id = this.dictionary.get(v);
    if (id === undefined) {
      if (this.dictionary.size >= this.dictionaryMax) this.dictionary.clear();
      id = this.nextString++;
      this.dictionary.set(v, id);
      this.added.push(v);
    }
    return id;
  }

  /**
   * One request: its id and its row, `values[at + pos[j]]` being the value of COLUMN_SOURCES[j]
   * (pos[j] = -1: not in the row, null). Ids beyond 2^53 (never given by SQLite to a case this
   * size) give the columns up.
   */
  add(id: number, values: ArrayLike<unknown>, at: number, pos: Int32Array): void {
    if (!this.live) return;
    if (!Number.isSafeInteger(id)) return this.abandon();
    let c = this.chunk;
    if (c !== null && (c.count === this.chunkRows || id !== c.firstId + c.count)) {
      this.flush();
      c = null;
    }
    if (c === null) this.chunk = c = emptyChunk(this.sourceId, id, this.chunkRows);
    const k = c.count++;
    const get = (j: number): unknown => (pos[j]! < 0 ? null : values[at + pos[j]!]);
    c.lineNo[k] = num(get(0));
    c.ts[k] = num(get(1));
    c.latency[k] = num(get(2));
    c.size[k] = num(get(3));
    const status = get(4);
    c.status[k] = status === null || status === undefined ? -1 : num(status);
    for (let j = 0; j < COLUMN_STRINGS.length; j++) c.strings[j]![k] = this.stringId(get(5 + j));
    let rare = 0;
    for (let j = 5 + COLUMN_STRINGS.length; j < COLUMN_SOURCES.length; j++) {
      const v = get(j);
      if (v !== null && v !== undefined) rare = 1;
    }
    c.rare[k] = rare;
  }

  /** Writes the chunk being built (call before the transaction commits). */
  flush(): void {
    const c = this.chunk;
    this.chunk = null;
    if (!this.live || c === null || c.count === 0) return;
    const strings = JSON.stringify(this.added);
    this.added = [];
    this.sink({
      sourceId: c.sourceId,
      firstId: c.firstId,
      count: c.count,
      strings,
      data: encodeChunk(c),
    });
  }

  /** No columns for this source: the rebuild reads its requests from `requests`. */
  abandon(): void {
    this.live = false;
    this.chunk = null;
  }
}

function insertChunk(db: CaseDb): (c: BuiltChunk) => void {
  const insert = db.prepare(
    `INSERT INTO request_columns (source_id, format, first_id, count, strings, data)
     VALUES (?, ${COLUMNS_FORMAT}, ?, ?, ?, ?)`,
  );
  return (c) => insert.run(c.sourceId, c.firstId, c.count, c.strings, c.data);
}

/** A builder whose chunks go into request_columns (inside the caller's transaction). */
export class RequestColumnsWriter extends RequestColumnsBuilder {
  constructor(
    private readonly db: CaseDb,
    sourceId: number,
    opts: { chunkRows?: number; dictionaryMax?: number } = {},
  ) {
    super(sourceId, insertChunk(db), opts);
  }

  override abandon(): void {
    super.abandon();
    this.db.prepare('DELETE FROM request_columns WHERE source_id = ?').run(this.sourceId);
  }
}

/**
 * Replaces request_columns with `chunks` (built elsewhere, e.g. by the detection worker from
 * the same snapshot) when they hold exactly `requests` requests; returns whether it did.
 */
export function replaceColumns(
  db: CaseDb,
  chunks: readonly BuiltChunk[],
  requests: number,
): boolean {
  if (chunks.reduce((n, c) => n + c.count, 0) !== requests) return false;
  db.prepare('DELETE FROM request_columns').run();
  const insert = insertChunk(db);
  for (const c of chunks) insert(c);
  return true;
}

/**
 * Writes the columns of one source's requests from `requests` (a source imported before
 * request_columns existed), replacing any it had. Run it in a transaction.
 */
export function writeColumnsFromRequests(
  db: CaseDb,
  sourceId: number,
  opts: { chunkRows?: number; dictionaryMax?: number } = {},
): void {
  db.prepare('DELETE FROM request_columns WHERE source_id = ?').run(sourceId);
  const w = new RequestColumnsWriter(db, sourceId, opts);
  const pos = Int32Array.from(COLUMN_SOURCES, (_, j) => j + 1);
  // Pages of .all(): the connection cannot write (a full chunk) while it iterates a read.
  const page = db
    .prepare(
      // By rowid (+source_id: not through the (source_id, line_no) index, whose order is not
      // the ids', which made each page sort the rest of the source).
      `SELECT id, ${COLUMN_SOURCES.join(', ')} FROM requests
       WHERE id > ? AND id <= ? AND +source_id = ? ORDER BY id LIMIT 4096`,
    )
    .raw(true);
  const last = (
    db.prepare('SELECT max(id) AS m FROM requests WHERE source_id = ?').get(sourceId) as {
      m: number | null;
    }
  ).m;
  let after = -Infinity;
  for (;;) {
    if (last === null) break;
    const rows = page.all(after, last, sourceId) as unknown[][];
    if (rows.length === 0) break;
    for (const row of rows) w.add(row[0] as number, row, 0, pos);
    after = rows[rows.length - 1]![0] as number;
  }
  w.flush();
}

/**
 * Writes request_columns (requestColumns.ts) for every source whose requests they do not all
 * describe; returns how many sources that was. Each source in a transaction of its own.
 */
export function writeMissingColumns(db: CaseDb): number {
  const missing = db
    .prepare(
      `SELECT s.id FROM sources s
       WHERE (SELECT count(*) FROM requests r WHERE r.source_id = s.id)
         != (SELECT coalesce(sum(c.count), 0) FROM request_columns c WHERE c.source_id = s.id)
       ORDER BY s.id`,
    )
    .pluck()
    .all() as number[];
  for (const id of missing) db.transaction(() => writeColumnsFromRequests(db, id))();
  return missing.length;
}
