import { splitTarget, type RequestRecord } from '../../../shared/model/requestRecord.js';

const REQUEST_LINE = /^([A-Za-z][A-Za-z0-9_-]{0,31}) (\S+)(?: (HTTP\/[0-9.]+|HTTPS?\/\S*))?$/;

/**
 * Fills method, target parts and protocol from an HTTP request line ("GET /a?b HTTP/1.1").
 * A line that is not a request (TLS bytes, "-", garbage) is kept whole in extra.request_line.
 */
export function applyRequestLine(rec: RequestRecord, requestLine: string): void {
  const m = REQUEST_LINE.exec(requestLine);
  if (!m) {
    if (requestLine !== '-' && requestLine !== '') {
      rec.extra = { ...(rec.extra ?? {}), request_line: requestLine };
    }
    return;
  }
  rec.method = m[1]!.toUpperCase();
  const t = splitTarget(m[2]!);
  rec.path = t.path;
  rec.query = t.query;
  if (t.scheme) rec.scheme = t.scheme;
  if (t.host) rec.host = t.host;
  rec.protocol = m[3] ?? null;
}

/** "-" and "" mean "absent" in access logs. */
export function dash(v: string | undefined): string | null {
  return v === undefined || v === '-' || v === '' ? null : v;
}

export function intOrNull(v: string | undefined): number | null {
  if (v === undefined || v === '-' || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** Undoes the \" and \\ escapes nginx and Apache write inside quoted fields. */
export function unescapeQuoted(v: string): string {
  return v.includes('\\') ? v.replace(/\\(["\\])/g, '$1') : v;
}
