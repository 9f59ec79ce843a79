import type { Statement } from 'better-sqlite3';
import type { RequestRecord } from '../../shared/model/requestRecord.js';
import type { CaseDb } from '../store/openCase.js';

/** Raw text of a rejected line is kept whole up to this many bytes; its true length always. */
export const REJECT_RAW_LIMIT = 64 * 1024;

/** The requests columns a row fills, in the order encodeRequest writes them. */
const REQUEST_COLUMNS = [
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
const REJECT_WIDTH = 4;

/**
 * Parsed lines on their way to the database, as flat arrays: cheap to build, cheap to send
 * between threads (structured clone of primitives), and bound as-is by the multi-row INSERT.
 */
export interface EncodedBatch {
  /**
   * Accepted records, ROW_WIDTH values each, in chunks of at most ROWS_PER_INSERT records;
   * after compactBatch, each chunk holds only the columns in its mask.
   */
  rows: unknown[][];
  /** Per chunk, the columns it holds (bit i = REQUEST_COLUMNS[i]); absent = all. */
  masks?: number[];
  /** line_no, reason, raw bytes (kept up to REJECT_RAW_LIMIT), true length: per rejected line. */
  rejects: unknown[];
}

export function newBatch(): EncodedBatch {
  return { rows: [], rejects: [] };
}

/** Rows per INSERT statement: fewer calls from JS into SQLite (864 parameters, under the limit). */
const ROWS_PER_INSERT = 32;
const CHUNK_VALUES = ROWS_PER_INSERT * ROW_WIDTH;

export function batchSize(b: EncodedBatch): number {
  const n = b.rows.length;
  const full = n === 0 ? 0 : (n - 1) * ROWS_PER_INSERT + b.rows[n - 1]!.length / ROW_WIDTH;
  return full + b.rejects.length / REJECT_WIDTH;
}

const FULL_MASK = 2 ** ROW_WIDTH - 1;

function maskColumns(mask: number): number[] {
  const cols: number[] = [];
  for (let i = 0; i < ROW_WIDTH; i++) if (mask & (1 << i)) cols.push(i);
  return cols;
}

/**
 * Drops from each chunk the columns that are null in all its rows (most sources fill about
 * half the columns): fewer values to send between threads and to bind. Run by the parser.
 */
export function compactBatch(b: EncodedBatch): void {
  b.masks = b.rows.map((chunk, ci) => {
    let mask = 0;
    for (let i = 0, col = 0; i < chunk.length; i++) {
      if (chunk[i] !== null) mask |= 1 << col;
      if (++col === ROW_WIDTH) col = 0;
    }
    if (mask === FULL_MASK) return mask;
    const cols = maskColumns(mask);
    const out: unknown[] = new Array((chunk.length / ROW_WIDTH) * cols.length);
    let k = 0;
    for (let r = 0; r < chunk.length; r += ROW_WIDTH) {
      for (const c of cols) out[k++] = chunk[r + c];
    }
    b.rows[ci] = out;
    return mask;
  });
}

function json(v: Record<string, unknown> | Record<string, string> | null): string | null {
  return v === null ? null : JSON.stringify(v);
}

export function encodeRequest(batch: EncodedBatch, lineNo: number, r: RequestRecord): void {
  let out = batch.rows[batch.rows.length - 1];
  if (out === undefined || out.length === CHUNK_VALUES) {
    out = [];
    batch.rows.push(out);
  }
  let i = out.length;
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
  out[i++] = json(r.headers);
  out[i++] = r.reqBody;
  out[i++] = json(r.respHeaders);
  out[i++] = r.respBody;
  out[i++] = r.srcSession;
  out[i++] = r.srcUser;
  out[i++] = r.srcRole;
  out[i++] = r.srcLabel;
  out[i] = json(r.extra);
}

export function encodeReject(
  out: unknown[],
  lineNo: number,
  reason: string,
  raw: string | Uint8Array,
  length?: number,
): void {
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  out.push(
    lineNo,
    reason,
    bytes.length > REJECT_RAW_LIMIT ? bytes.subarray(0, REJECT_RAW_LIMIT) : bytes,
    length ?? bytes.length,
  );
}

/**
 * Writes encoded batches for one source inside the caller's transaction and counts them.
 * Statements are prepared once per source and reused.
 */
export class RequestWriter {
  accepted = 0;
  rejected = 0;
  private readonly inserts = new Map<number, Statement>();
  private readonly insertReject: Statement;

  constructor(
    private readonly db: CaseDb,
    private readonly sourceId: number,
  ) {
    // The source id is ours (an integer we just created), not log content: inlined so each row
    // binds one parameter fewer.
    if (!Number.isSafeInteger(sourceId)) throw new Error(`bad source id ${sourceId}`);
    this.insertReject = db.prepare(
      `INSERT INTO rejects (source_id, line_no, reason, raw, raw_length) VALUES (${sourceId}, ?, ?, ?, ?)`,
    );
  }

  get lines(): number {
    return this.accepted + this.rejected;
  }

  /** The INSERT for `rows` rows of the columns in `mask`, prepared once and reused. */
  private insertFor(mask: number, rows: number): Statement {
    const key = mask * 64 + rows;
    let st = this.inserts.get(key);
    if (!st) {
      const names = maskColumns(mask).map((i) => REQUEST_COLUMNS[i]!);
      const tuple = `(${this.sourceId}, ${names.map(() => '?').join(', ')})`;
      st = this.db.prepare(
        `INSERT INTO requests (source_id, ${names.join(', ')}) VALUES ` +
          Array(rows).fill(tuple).join(', '),
      );
      this.inserts.set(key, st);
    }
    return st;
  }

  write(batch: EncodedBatch): void {
    for (let ci = 0; ci < batch.rows.length; ci++) {
      const chunk = batch.rows[ci]!;
      const mask = batch.masks?.[ci] ?? FULL_MASK;
      const width = popcount(mask);
      const rows = chunk.length / width;
      // A source with wildly varying columns would prepare many statements: past a bound,
      // rows go in one at a time with every column.
      if (this.inserts.size < 256 || this.inserts.has(mask * 64 + rows)) {
        this.insertFor(mask, rows).run(chunk);
      } else {
        const cols = maskColumns(mask);
        const one = this.insertFor(FULL_MASK, 1);
        for (let r = 0; r < chunk.length; r += width) {
          const full: unknown[] = new Array(ROW_WIDTH).fill(null);
          cols.forEach((c, k) => (full[c] = chunk[r + k]));
          one.run(full);
        }
      }
      this.accepted += rows;
    }
    const rj = batch.rejects;
    for (let j = 0; j < rj.length; j += REJECT_WIDTH) {
      const raw = rj[j + 2] as Uint8Array;
      // Bound as a BLOB: a Uint8Array that crossed a thread comes back as a Buffer view.
      const blob = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.length);
      this.insertReject.run(rj[j], rj[j + 1], blob, rj[j + 3]);
    }
    this.rejected += rj.length / REJECT_WIDTH;
  }
}

function popcount(mask: number): number {
  let n = 0;
  for (let m = mask; m !== 0; m &= m - 1) n++;
  return n;
}
