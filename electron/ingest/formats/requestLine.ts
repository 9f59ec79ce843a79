import { fillTarget, type RequestRecord } from '../../../shared/model/requestRecord.js';
import { parseClfTime, type TimeReading } from '../../../shared/time/parseTime.js';

const METHOD = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;
const PROTOCOL = /^HTTPS?\/\S*$/;

/** A request line's method, target and protocol (undefined when the line names none). */
type RequestLineParts = [method: string, target: string, protocol: string | undefined];

/**
 * Fills method, target parts and protocol from an HTTP request line ("GET /a?b HTTP/1.1").
 * A line that is not a request (TLS bytes, "-", garbage) is kept whole in extra.request_line.
 */
export function applyRequestLine(rec: RequestRecord, requestLine: string): void {
  const parts = splitPlainRequestLine(requestLine) ?? splitRequestLine(requestLine);
  if (!parts) {
    if (requestLine !== '-' && requestLine !== '') {
      rec.extra = { ...(rec.extra ?? {}), request_line: requestLine };
    }
    return;
  }
  const [method, target, protocol] = parts;
  // Most methods are already upper case; toUpperCase would make a copy of each.
  rec.method = isUpperAscii(method) ? method : method.toUpperCase();
  fillTarget(rec, target);
  rec.protocol = protocol ?? null;
}

/**
 * METHOD SP target [SP protocol]: the method runs to the first space; the protocol is the last
 * space-separated word when it reads as one ("HTTP/1.1", "HTTP/2", "HTTPS/1"); the target is
 * everything between, verbatim. Servers log the line as the client sent it, and a hand-made
 * request carries spaces in its target ("GET /s?q=' OR 1=1-- HTTP/1.1"): that is the payload,
 * so it must land in path and query, where detection and the free-text filter read. Without
 * a protocol (HTTP/0.9, or a line cut short) the target is the rest of the line. Null, for
 * extra.request_line, when the method is no method or the target has nothing but spaces.
 */
function splitRequestLine(s: string): RequestLineParts | null {
  const sp1 = s.indexOf(' ');
  if (sp1 < 1 || sp1 > 32) return null;
  const method = s.slice(0, sp1);
  if (!METHOD.test(method)) return null;
  const last = s.lastIndexOf(' ');
  const protocol = last > sp1 && PROTOCOL.test(s.slice(last + 1)) ? s.slice(last + 1) : undefined;
  const target = s.slice(sp1 + 1, protocol === undefined ? s.length : last);
  return /\S/.test(target) ? [method, target, protocol] : null;
}

function isUpperAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) return false;
  }
  return true;
}

/** A method character: [A-Za-z0-9_-]. */
function isMethodChar(c: number): boolean {
  return (
    (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45
  );
}

/** Printable ASCII other than space: what \S surely matches. */
function isPlain(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c >= 127) return false;
  }
  return true;
}

/**
 * splitRequestLine's answer for the plain lines it is certain about (ASCII, one space between
 * method and target and at most one before the protocol); null leaves the line to it. Per-line
 * regex matching was one of the larger costs of reading an access log.
 */
function splitPlainRequestLine(s: string): RequestLineParts | null {
  const sp1 = s.indexOf(' ');
  if (sp1 < 1 || sp1 > 32) return null;
  const c0 = s.charCodeAt(0);
  if (!((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122))) return null;
  for (let i = 1; i < sp1; i++) if (!isMethodChar(s.charCodeAt(i))) return null;
  const sp2 = s.indexOf(' ', sp1 + 1);
  const targetEnd = sp2 < 0 ? s.length : sp2;
  if (targetEnd === sp1 + 1 || !isPlain(s, sp1 + 1, targetEnd)) return null;
  const method = s.slice(0, sp1);
  const target = s.slice(sp1 + 1, targetEnd);
  if (sp2 < 0) return [method, target, undefined];
  if (!isPlain(s, sp2 + 1, s.length)) return null;
  // "HTTP/" or "HTTPS/" and the rest (HTTPS?\/\S* takes any non-space after the slash).
  if (!s.startsWith('HTTP', sp2 + 1)) return null;
  const slash = s.charCodeAt(sp2 + 5) === 47 ? sp2 + 5 : s.startsWith('S/', sp2 + 5) ? sp2 + 6 : -1;
  if (slash < 0) return null;
  return [method, target, s.slice(sp2 + 1)];
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
export function createClfClock(tz: string): (text: string, reading?: TimeReading) => number | null {
  let lastKey = '';
  let lastMinuteUs = 0;
  return (text, reading) => {
    const plain = text.length === 20 || (text.length === 26 && text.charCodeAt(20) === 32);
    const sec = plain && text.charCodeAt(17) === 58 ? twoDigits(text, 18) : -1;
    if (sec < 0 || sec > 60) return parseClfTime(text, tz, reading);
    // The key holds the offset as written (none in a 20-character time): read in `tz` or not.
    const key = text.length === 20 ? text.slice(0, 17) : text.slice(0, 17) + text.slice(20);
    if (key === lastKey) {
      if (reading) reading.zoneAssumed = text.length === 20;
      return lastMinuteUs + sec * 1_000_000;
    }
    const us = parseClfTime(text, tz, reading);
    if (us === null) return null;
    lastKey = key;
    lastMinuteUs = us - sec * 1_000_000;
    return us;
  };
}
