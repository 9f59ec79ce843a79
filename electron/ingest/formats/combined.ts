import { emptyRecord, type RequestRecord } from '../../../shared/model/requestRecord.js';
import type { TimeReading } from '../../../shared/time/parseTime.js';
import {
  applyRequestLine,
  dash,
  findClosingQuote,
  intOrNull,
  secondsToMs,
  unescapeQuoted,
  createClfClock,
} from './requestLine.js';
import type { LineFormat, LineParser, ParserOptions, SniffSample } from './types.js';

// host ident user [time] "request" status bytes ["referer" "ua"] [trailing fields]
// The scanner below reads this layout; the regex is the reference for lines it does not take.
const CLF_LINE =
  /^(\S+) (\S+) (\S+) \[([^\]]+)\] "((?:[^"\\]|\\.)*)" (\d{3}|-) (\d+|-)(?: "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)")?(.*)$/;

const TRAILING_TOKEN = /\s*("((?:[^"\\]|\\.)*)"|\S+)/g;
const SECONDS = /^\d+\.\d+$/;
const IP_LIST = /^[0-9a-fA-F.:]+(?:, *[0-9a-fA-F.:]+)*$/;

/**
 * Fields after the combined layout (nginx admins append $request_time, "$http_x_forwarded_for",
 * $upstream_response_time…). The first seconds-with-fraction value is read as $request_time
 * and the first address list as X-Forwarded-For; every other non-"-" field is kept in order
 * in extra.trailing so nothing the line said is lost.
 */
function parseTrailing(rec: RequestRecord, rest: string): void {
  const kept: string[] = [];
  const one = singlePlainToken(rest);
  if (one !== null) {
    takeTrailing(rec, one, kept);
  } else {
    if (rest.trim() === '') return;
    TRAILING_TOKEN.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = TRAILING_TOKEN.exec(rest)) !== null) {
      takeTrailing(rec, m[2] !== undefined ? unescapeQuoted(m[2]) : m[1]!, kept);
    }
  }
  if (kept.length > 0) rec.extra = { ...(rec.extra ?? {}), trailing: kept };
}

function takeTrailing(rec: RequestRecord, f: string, kept: string[]): void {
  if (f === '-' || f === '') return;
  if (rec.latencyMs === null && SECONDS.test(f)) rec.latencyMs = secondsToMs(f);
  else if (rec.xff === null && IP_LIST.test(f) && /[.:]/.test(f)) rec.xff = f;
  else kept.push(f);
}

/**
 * The usual trailing field, one space and one unquoted ASCII token (" 0.042"), without the
 * tokenizing regex; null for anything else.
 */
function singlePlainToken(rest: string): string | null {
  const n = rest.length;
  if (n < 2 || rest.charCodeAt(0) !== 32) return null;
  for (let i = 1; i < n; i++) {
    const c = rest.charCodeAt(i);
    if (c <= 32 || c >= 127 || c === 34) return null;
  }
  return rest.slice(1);
}

function isStatus(s: string): boolean {
  if (s === '-') return true;
  if (s.length !== 3) return false;
  for (let i = 0; i < 3; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function isCount(s: string): boolean {
  if (s === '-') return true;
  if (s.length === 0 || s.length > 15) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** The pieces of one combined line, before interpretation. */
interface Fields {
  ip: string;
  ident: string;
  user: string;
  time: string;
  request: string;
  status: string;
  bytes: string;
  referer: string | undefined;
  userAgent: string | undefined;
  /** The user agent had an opening quote and no closing one (a cut-off line). */
  uaTruncated: boolean;
  rest: string;
}

/** indexOf-based reading of the layout; null when the line is not plainly in it. */
function scan(s: string): Fields | null {
  const p1 = s.indexOf(' ');
  if (p1 <= 0) return null;
  const p2 = s.indexOf(' ', p1 + 1);
  if (p2 < 0) return null;
  const p3 = s.indexOf(' ', p2 + 1);
  if (p3 < 0 || s.charCodeAt(p3 + 1) !== 91 /* [ */) return null;
  const tEnd = s.indexOf(']', p3 + 2);
  if (tEnd < 0 || s.charCodeAt(tEnd + 1) !== 32 || s.charCodeAt(tEnd + 2) !== 34) return null;
  const rStart = tEnd + 3;
  const rEnd = findClosingQuote(s, rStart);
  if (rEnd < 0 || s.charCodeAt(rEnd + 1) !== 32) return null;
  const sEnd = s.indexOf(' ', rEnd + 2);
  if (sEnd < 0) return null;
  const status = s.slice(rEnd + 2, sEnd);
  let bEnd = s.indexOf(' ', sEnd + 1);
  if (bEnd < 0) bEnd = s.length;
  const bytes = s.slice(sEnd + 1, bEnd);
  if (!isStatus(status) || !isCount(bytes)) return null;
  const f: Fields = {
    ip: s.slice(0, p1),
    ident: s.slice(p1 + 1, p2),
    user: s.slice(p2 + 1, p3),
    time: s.slice(p3 + 2, tEnd),
    request: s.slice(rStart, rEnd),
    status,
    bytes,
    referer: undefined,
    userAgent: undefined,
    uaTruncated: false,
    rest: s.slice(bEnd),
  };
  if (s.charCodeAt(bEnd + 1) === 34) {
    const refEnd = findClosingQuote(s, bEnd + 2);
    if (refEnd > 0 && s.charCodeAt(refEnd + 1) === 32 && s.charCodeAt(refEnd + 2) === 34) {
      const uaEnd = findClosingQuote(s, refEnd + 3);
      f.referer = s.slice(bEnd + 2, refEnd);
      if (uaEnd > 0) {
        f.userAgent = s.slice(refEnd + 3, uaEnd);
        f.rest = s.slice(uaEnd + 1);
      } else {
        f.userAgent = s.slice(refEnd + 3);
        f.uaTruncated = true;
        f.rest = '';
      }
    }
  }
  return f;
}

function fromRegex(s: string): Fields | null {
  const m = CLF_LINE.exec(s);
  if (!m) return null;
  return {
    ip: m[1]!,
    ident: m[2]!,
    user: m[3]!,
    time: m[4]!,
    request: m[5]!,
    status: m[6]!,
    bytes: m[7]!,
    referer: m[8],
    userAgent: m[9],
    uaTruncated: false,
    rest: m[10] ?? '',
  };
}

/** Some exporters wrap every line in one more pair of quotes (the ocatak scanner logs). */
function unwrap(text: string): string {
  const n = text.length;
  if (n > 2 && text.charCodeAt(0) === 34) {
    const sp = text.indexOf(' ');
    // "1.2.3.4 - - [..." : a quoted host with no space in it, then the usual fields. A cut-off
    // wrapped line may have lost its closing quote: only the opening one is required.
    if (sp > 1 && text.lastIndexOf('"', sp) === 0 && text.charCodeAt(sp + 1) !== 32) {
      return text.charCodeAt(n - 1) === 34 ? text.slice(1, -1) : text.slice(1);
    }
  }
  return text;
}

export function createCombinedParser(options: ParserOptions): LineParser {
  const clock = createClfClock(options.tz);
  const reading: TimeReading = { zoneAssumed: false };
  return {
    parse(line: string): RequestRecord | string {
      const text = unwrap(line);
      if (text.trim() === '') return 'empty line';
      const f = scan(text) ?? fromRegex(text);
      if (!f) return classifyFailure(text);
      const tsUs = clock(f.time, reading);
      if (tsUs === null) return `bad timestamp: ${f.time.slice(0, 40)}`;
      const rec = emptyRecord();
      rec.tsUs = tsUs;
      if (reading.zoneAssumed) rec.zoneAssumed = true;
      rec.ip = f.ip;
      const ident = dash(f.ident);
      if (ident !== null) rec.extra = { ident };
      rec.srcUser = dash(f.user);
      applyRequestLine(rec, unescapeQuoted(f.request));
      rec.status = intOrNull(f.status);
      rec.respBytes = intOrNull(f.bytes);
      if (f.referer !== undefined) rec.referer = dash(unescapeQuoted(f.referer));
      if (f.userAgent !== undefined) rec.userAgent = dash(unescapeQuoted(f.userAgent));
      if (f.uaTruncated) {
        rec.extra = { ...(rec.extra ?? {}), truncated: 'user agent has no closing quote' };
      }
      if (f.rest.length > 0) parseTrailing(rec, f.rest);
      return rec;
    },
  };
}

function classifyFailure(text: string): string {
  if (!/\[[^\]]+\]/.test(text)) return 'not an access log line: no [time] field';
  const quotes = (text.replace(/\\./g, '').match(/"/g) ?? []).length;
  if (quotes % 2 === 1) return 'unterminated quoted field';
  return 'does not match the combined/common layout';
}

const SNIFF = /^"?\S+ \S+ \S+ \[\d{1,2}\/[A-Za-z]{3}\/\d{4}:\d{2}:\d{2}:\d{2}[^\]]*\] "/;

export function sniffCombined(sample: SniffSample): number {
  const lines = sample.lines.filter((l) => l.trim() !== '');
  if (lines.length === 0) return 0;
  const hits = lines.filter((l) => SNIFF.test(l)).length;
  return hits / lines.length;
}

export const combinedFormat: LineFormat = {
  id: 'combined',
  label: 'nginx/Apache combined or common',
  kind: 'line',
  example:
    '203.0.113.7 - alice [10/Oct/2024:13:55:36 +0200] "GET /api/users/42?x=1 HTTP/1.1" 200 512 "https://example.com/" "Mozilla/5.0" 0.042',
  sniff: sniffCombined,
  createParser: createCombinedParser,
};
