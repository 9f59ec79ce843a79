import type { Statement } from 'better-sqlite3';
import type { RequestRecord } from '../../shared/model/requestRecord.js';
import type { CaseDb } from '../store/openCase.js';
import type { RecordSink } from './formats/types.js';

/** Raw text of a rejected line is kept whole up to this many bytes; its true length always. */
export const REJECT_RAW_LIMIT = 64 * 1024;

function json(v: Record<string, unknown> | Record<string, string> | null): string | null {
  return v === null ? null : JSON.stringify(v);
}

/** Counts and stores what a parser produced for one source, inside the caller's transaction. */
export class RequestWriter implements RecordSink {
  accepted = 0;
  rejected = 0;
  private readonly insertRequest: Statement;
  private readonly insertReject: Statement;

  constructor(
    db: CaseDb,
    private readonly sourceId: number,
  ) {
    this.insertRequest = db.prepare(`INSERT INTO requests (
        source_id, line_no, ts_us, ip, xff, method, scheme, host, path, query, protocol, status,
        latency_ms, req_bytes, resp_bytes, user_agent, referer, request_id, cookies, headers,
        req_body, resp_headers, resp_body, src_session, src_user, src_role, src_label, extra)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertReject = db.prepare(
      'INSERT INTO rejects (source_id, line_no, reason, raw, raw_length) VALUES (?, ?, ?, ?, ?)',
    );
  }

  get lines(): number {
    return this.accepted + this.rejected;
  }

  accept(lineNo: number, r: RequestRecord): void {
    this.insertRequest.run(
      this.sourceId,
      lineNo,
      r.tsUs,
      r.ip,
      r.xff,
      r.method,
      r.scheme,
      r.host,
      r.path,
      r.query,
      r.protocol,
      r.status,
      r.latencyMs,
      r.reqBytes,
      r.respBytes,
      r.userAgent,
      r.referer,
      r.requestId,
      r.cookies,
      json(r.headers),
      r.reqBody,
      json(r.respHeaders),
      r.respBody,
      r.srcSession,
      r.srcUser,
      r.srcRole,
      r.srcLabel,
      json(r.extra),
    );
    this.accepted++;
  }

  reject(lineNo: number, reason: string, raw: string | Buffer): void {
    const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    this.insertReject.run(
      this.sourceId,
      lineNo,
      reason,
      bytes.length > REJECT_RAW_LIMIT ? bytes.subarray(0, REJECT_RAW_LIMIT) : bytes,
      bytes.length,
    );
    this.rejected++;
  }

  /** A line too long to buffer: its head and its true length. */
  rejectTooLong(lineNo: number, head: Buffer, length: number): void {
    this.insertReject.run(
      this.sourceId,
      lineNo,
      `line longer than the ${head.length}-byte limit kept (${length} bytes)`,
      head.subarray(0, REJECT_RAW_LIMIT),
      length,
    );
    this.rejected++;
  }
}
