import type { RequestRecord } from '../../shared/model/requestRecord.js';
import { capJsonDepth, stringifyDeep } from '../store/storedJson.js';
import { withNote } from './formats/jsonFields.js';

/*
 * Parsed lines on their way from the parser thread to the thread that writes them. Sending
 * every cell as its own value cost about 2 µs per row to serialize on one side and as much to
 * deserialize on the other (a new string per cell): as much as the SQLite insert itself. So
 * a batch is numbers in one Float64Array (copied in one piece) plus a table of its distinct
 * strings (user agents, referers, methods… repeat on most lines), and the writer rebuilds the
 * bind arrays from both: the same values, so the same rows.
 */

/** Raw text of a rejected line is kept whole up to this many bytes; its true length always. */
export const REJECT_RAW_LIMIT = 64 * 1024;

/** The requests columns a row fills, in the order encodeRequest writes them. */
export const REQUEST_COLUMNS = [
  'line_no',
  'ts_us',
  'ip',
  'xff',
  'method',
  'scheme',
  'host',
  'path',
  'query',
  'protocol',
  'status',
  'latency_ms',
  'req_bytes',
  'resp_bytes',
  'user_agent',
  'referer',
  'request_id',
  'cookies',
  'headers',
  'req_body',
  'resp_headers',
  'resp_body',
  'src_session',
  'src_user',
  'src_role',
  'src_label',
  'extra',
] as const;

export const ROW_WIDTH = REQUEST_COLUMNS.length;
export const REJECT_WIDTH = 4;

/** Columns holding numbers; every other column holds text. */
const NUMERIC = new Set(['line_no', 'ts_us', 'status', 'latency_ms', 'req_bytes', 'resp_bytes']);
/** Bit i set when REQUEST_COLUMNS[i] is text. */
export const TEXT_MASK = REQUEST_COLUMNS.reduce(
  (m, c, i) => (NUMERIC.has(c) ? m : m | (1 << i)),
  0,
);
/**
 * Text columns whose values repeat from line to line (a log has a handful of methods and user
 * agents): sent once per batch. Other text (paths, queries, bodies) is mostly distinct, and
 * looking each value up would cost more than sending it.
 */
const SHARED = new Set([
  'ip',
  'xff',
  'method',
  'scheme',
  'host',
  'protocol',
  'user_agent',
  'referer',
  'src_session',
  'src_user',
  'src_role',
  'src_label',
]);
const SHARED_MASK = REQUEST_COLUMNS.reduce((m, c, i) => (SHARED.has(c) ? m | (1 << i) : m), 0);
export const FULL_MASK = 2 ** ROW_WIDTH - 1;

/** Rows per INSERT statement: fewer calls from JS into SQLite (864 parameters, under the limit). */
export const ROWS_PER_INSERT = 32;

export interface EncodedBatch {
  /**
   * Accepted rows, chunk after chunk (at most ROWS_PER_INSERT rows each), each chunk holding
   * only the columns in its mask. A cell of a column in the chunk's table mask is an index
   * into `values`, any other its number; NaN is null (SQLite stores a bound NaN as NULL too).
   */
  cells: Float64Array<ArrayBuffer>;
  /**
   * Per chunk, three numbers: its column mask (bit i = REQUEST_COLUMNS[i]), its table mask
   * (the columns whose cells index `values`: text ones) and its row count.
   */
  chunks: number[];
  /** The distinct values of the batch's table cells (text, mostly). */
  values: unknown[];
  /** line_no, reason, raw bytes (kept up to REJECT_RAW_LIMIT), true length: per rejected line. */
  rejects: unknown[];
  /** Accepted rows in the batch. */
  accepted: number;
}

export function maskColumns(mask: number): number[] {
  const cols: number[] = [];
  for (let i = 0; i < ROW_WIDTH; i++) if (mask & (1 << i)) cols.push(i);
  return cols;
}

/**
 * A record that cannot be stored as it is: a JSON column longer than the longest string V8 can
 * hold. The format rejects its line with this message (nothing else is lost).
 */
export class UnstorableRecord extends Error {}

/**
 * A JSON column's text. A value nested too deeply for JSON.stringify (it recurses) is written
 * with a stack of its own, and any container deeper than MAX_JSON_DEPTH is kept as its JSON text
 * (storedJson.ts): every reader can then serialize the column again, whatever its stack.
 */
function json(v: Record<string, unknown> | Record<string, string> | null): string | null {
  if (v === null) return null;
  try {
    let text: string;
    try {
      text = JSON.stringify(v);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      text = stringifyDeep(v);
    }
    return capJsonDepth(text);
  } catch (err) {
    if (err instanceof RangeError)
      throw new UnstorableRecord('a JSON value too long to store (over the longest string)');
    throw err;
  }
}

/** String methods of ES2024 (Node 20 has them; the ES2023 lib does not declare them). */
interface WellFormed {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/** The record's text fields (the JSON ones escape a lone surrogate as \udXXX, which keeps it). */
const TEXT_FIELDS = [
  'ip',
  'xff',
  'method',
  'scheme',
  'host',
  'path',
  'query',
  'protocol',
  'userAgent',
  'referer',
  'requestId',
  'cookies',
  'reqBody',
  'respBody',
  'srcSession',
  'srcUser',
  'srcRole',
  'srcLabel',
] as const satisfies readonly (keyof RequestRecord)[];

/** True when `v` is text holding a lone surrogate. */
function illFormed(v: unknown): boolean {
  return typeof v === 'string' && !(v as unknown as WellFormed).isWellFormed();
}

/**
 * A lone UTF-16 surrogate (JSON's "\ud800") has no UTF-8 form: SQLite would store bytes that
 * read back as three U+FFFD. A text field holding one is stored with U+FFFD in its place, and its
 * original goes to extra under `_lone_surrogates` (field name to text; stored as JSON, which
 * writes the surrogate as its escape, so it reads back exactly).
 */
function replaceLoneSurrogates(r: RequestRecord): void {
  // Each field named, not looked up by a variable name: this runs for every row, and a lookup
  // by name costs more than the check itself.
  if (
    !illFormed(r.path) &&
    !illFormed(r.query) &&
    !illFormed(r.userAgent) &&
    !illFormed(r.referer) &&
    !illFormed(r.ip) &&
    !illFormed(r.xff) &&
    !illFormed(r.method) &&
    !illFormed(r.scheme) &&
    !illFormed(r.host) &&
    !illFormed(r.protocol) &&
    !illFormed(r.requestId) &&
    !illFormed(r.cookies) &&
    !illFormed(r.reqBody) &&
    !illFormed(r.respBody) &&
    !illFormed(r.srcSession) &&
    !illFormed(r.srcUser) &&
    !illFormed(r.srcRole) &&
    !illFormed(r.srcLabel)
  )
    return;
  const originals: Record<string, string> = {};
  for (const f of TEXT_FIELDS) {
    const v = r[f];
    if (!illFormed(v)) continue;
    originals[f] = v!;
    r[f] = (v as unknown as WellFormed).toWellFormed();
  }
  r.extra = withNote(r.extra, '_lone_surrogates', originals);
}

function newSeen(): unknown[][] {
  return Array.from({ length: ROW_WIDTH }, () => []);
}

/** Collects one batch on the parser's side. */
export class BatchBuilder {
  /** The chunk being filled: ROW_WIDTH values per row, every column. */
  private readonly row: unknown[] = new Array<unknown>(ROWS_PER_INSERT * ROW_WIDTH);
  private rowsInChunk = 0;
  private cells = new Float64Array(4096 * 16);
  private used = 0;
  private chunks: number[] = [];
  private values: unknown[] = [];
  /** Per column: value, table id, value, table id… (see sharedId). */
  private seen: unknown[][] = newSeen();
  private rejects: unknown[] = [];
  private accepted = 0;

  /** Lines (accepted and rejected) in the batch so far. */
  get size(): number {
    return this.accepted + this.rowsInChunk + this.rejects.length / REJECT_WIDTH;
  }

  /** Adds an accepted record; throws UnstorableRecord (adding nothing) when it cannot be kept. */
  request(lineNo: number, r: RequestRecord): void {
    replaceLoneSurrogates(r);
    // Serialized first, so a record that cannot be leaves the chunk as it was.
    const headers = json(r.headers);
    const respHeaders = json(r.respHeaders);
    const extra = json(r.extra);
    const out = this.row;
    let i = this.rowsInChunk * ROW_WIDTH;
    out[i++] = lineNo;
    out[i++] = r.tsUs;
    out[i++] = r.ip;
    out[i++] = r.xff;
    out[i++] = r.method;
    out[i++] = r.scheme;
    out[i++] = r.host;
    out[i++] = r.path;
    out[i++] = r.query;
    out[i++] = r.protocol;
    out[i++] = r.status;
    out[i++] = r.latencyMs;
    out[i++] = r.reqBytes;
    out[i++] = r.respBytes;
    out[i++] = r.userAgent;
    out[i++] = r.referer;
    out[i++] = r.requestId;
    out[i++] = r.cookies;
    out[i++] = headers;
    out[i++] = r.reqBody;
    out[i++] = respHeaders;
    out[i++] = r.respBody;
    out[i++] = r.srcSession;
    out[i++] = r.srcUser;
    out[i++] = r.srcRole;
    out[i++] = r.srcLabel;
    out[i] = extra;
    if (++this.rowsInChunk === ROWS_PER_INSERT) this.closeChunk();
  }

  reject(lineNo: number, reason: string, raw: string | Uint8Array, length?: number): void {
    const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    this.rejects.push(
      lineNo,
      // A reason may quote a key or value of the line, which keeps its bytes in `raw`.
      (reason as unknown as WellFormed).toWellFormed(),
      bytes.length > REJECT_RAW_LIMIT ? bytes.subarray(0, REJECT_RAW_LIMIT) : bytes,
      length ?? bytes.length,
    );
  }

  /** Hands over the batch and starts an empty one. */
  finish(): EncodedBatch {
    if (this.rowsInChunk > 0) this.closeChunk();
    const batch: EncodedBatch = {
      cells: this.cells.slice(0, this.used),
      chunks: this.chunks,
      values: this.values,
      rejects: this.rejects,
      accepted: this.accepted,
    };
    this.used = 0;
    this.chunks = [];
    this.values = [];
    this.seen = newSeen();
    this.rejects = [];
    this.accepted = 0;
    return batch;
  }

  /** Moves the chunk into `cells`, dropping the columns that are null in all its rows. */
  private closeChunk(): void {
    const row = this.row;
    const n = this.rowsInChunk * ROW_WIDTH;
    let mask = 0;
    // Columns whose cells go through the table: text, and any column holding a value that is
    // not of its kind (a parser giving a number for text, or text for a number), so the value
    // arrives exactly as the parser gave it.
    let tmask = TEXT_MASK;
    for (let i = 0, col = 0; i < n; i++) {
      const v = row[i];
      if (v !== null) {
        mask |= 1 << col;
        if ((typeof v === 'number') === ((TEXT_MASK & (1 << col)) !== 0)) tmask |= 1 << col;
      }
      if (++col === ROW_WIDTH) col = 0;
    }
    tmask &= mask;
    const cols = maskColumns(mask);
    const need = this.used + this.rowsInChunk * cols.length;
    if (need > this.cells.length) {
      const grown = new Float64Array(Math.max(need, this.cells.length * 2));
      grown.set(this.cells.subarray(0, this.used));
      this.cells = grown;
    }
    const cells = this.cells;
    // 0: a number; 1: a table entry per cell; 2: a table entry shared by equal cells.
    const kind = cols.map((c) =>
      (tmask & (1 << c)) === 0 ? 0 : (SHARED_MASK & (1 << c)) !== 0 ? 2 : 1,
    );
    const values = this.values;
    let k = this.used;
    for (let r = 0; r < n; r += ROW_WIDTH) {
      for (let j = 0; j < cols.length; j++) {
        const v = row[r + cols[j]!];
        if (v === null) cells[k++] = NaN;
        else if (kind[j] === 0) cells[k++] = v as number;
        else if (kind[j] === 2) cells[k++] = this.sharedId(cols[j]!, v);
        else cells[k++] = values.push(v) - 1;
      }
    }
    this.used = k;
    this.chunks.push(mask, tmask, this.rowsInChunk);
    this.accepted += this.rowsInChunk;
    this.rowsInChunk = 0;
  }

  /**
   * The table entry for a value of a repeating column: a short list of the column's values so
   * far, compared with ===, is much cheaper than a Map (which hashes every new string whole).
   * A column with more distinct values than that in one batch stops sharing for the batch.
   */
  private sharedId(col: number, v: unknown): number {
    const seen = this.seen[col]!;
    if (seen.length <= RECENT_MAX) {
      for (let i = 0; i < seen.length; i += 2) if (seen[i] === v) return seen[i + 1] as number;
    }
    const id = this.values.push(v) - 1;
    if (seen.length < RECENT_MAX) seen.push(v, id);
    else if (seen.length === RECENT_MAX) seen.push(null); // full: stop looking
    return id;
  }
}

/** Values (times two: value, id) a repeating column keeps for sharing within one batch. */
const RECENT_MAX = 2 * 16;

/**
 * The bind values of chunk after chunk of a batch, as `visit(mask, rows, values)`. `values`
 * is reused between calls of the same length: bind it before the next call.
 */
export function forEachChunk(
  b: EncodedBatch,
  visit: (mask: number, rows: number, values: unknown[]) => void,
): void {
  const scratch = new Map<number, unknown[]>();
  const { cells, values: table } = b;
  let k = 0;
  for (let ci = 0; ci < b.chunks.length; ci += 3) {
    const mask = b.chunks[ci]!;
    const tmask = b.chunks[ci + 1]!;
    const rows = b.chunks[ci + 2]!;
    const viaTable = maskColumns(mask).map((c) => (tmask & (1 << c)) !== 0);
    const width = viaTable.length;
    const len = rows * width;
    let values = scratch.get(len);
    if (values === undefined) {
      values = new Array<unknown>(len);
      scratch.set(len, values);
    }
    for (let i = 0, col = 0; i < len; i++) {
      const v = cells[k++]!;
      // v !== v: NaN, the null marker.
      values[i] = v !== v ? null : viaTable[col] ? table[v] : v;
      if (++col === width) col = 0;
    }
    visit(mask, rows, values);
  }
}
