import { splitTarget, type RequestRecord } from '../../../shared/model/requestRecord.js';
import { parseClfTime } from '../../../shared/time/parseTime.js';

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

/**
 * Index of the quote closing a quoted field that starts at `from` (just after its opening
 * quote), skipping quotes escaped with a backslash; -1 when the field never closes.
 */
export function findClosingQuote(s: string, from: number): number {
  let q = s.indexOf('"', from);
  while (q >= 0) {
    let bs = 0;
    while (q - bs - 1 >= from && s.charCodeAt(q - bs - 1) === 92) bs++;
    if ((bs & 1) === 0) return q;
    q = s.indexOf('"', q + 1);
  }
  return -1;
}

/** "0.042" seconds → 42 ms, rounded to the microsecond so 0.042 does not become 42.00000000000001. */
export function secondsToMs(v: string): number | null {
  const n = Number(v);
  return Number.isFinite(n) && v.trim() !== '' ? Math.round(n * 1e6) / 1000 : null;
}

const DIGIT0 = 48;

function twoDigits(s: string, at: number): number {
  const a = s.charCodeAt(at) - DIGIT0;
  const b = s.charCodeAt(at + 1) - DIGIT0;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * A CLF time parser ("10/Oct/2000:13:55:36 -0700") that remembers the last minute it saw:
 * lines of one log share their minute far more often than not, so most lines cost a compare
 * and an add. Zone offsets (and DST changes) only ever change on a whole minute.
 */
export function createClfClock(tz: string): (text: string) => number | null {
  let lastKey = '';
  let lastMinuteUs = 0;
  return (text) => {
    const plain = text.length === 20 || (text.length === 26 && text.charCodeAt(20) === 32);
    const sec = plain && text.charCodeAt(17) === 58 ? twoDigits(text, 18) : -1;
    if (sec < 0 || sec > 60) return parseClfTime(text, tz);
    const key = text.length === 20 ? text.slice(0, 17) : text.slice(0, 17) + text.slice(20);
    if (key === lastKey) return lastMinuteUs + sec * 1_000_000;
    const us = parseClfTime(text, tz);
    if (us === null) return null;
    lastKey = key;
    lastMinuteUs = us - sec * 1_000_000;
    return us;
  };
}
